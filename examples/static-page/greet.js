// The drop-in dispatches `mp-scan-login:login` on its element once the phone confirmed;
// it bubbles, so one listener on the document hears every login box of the page.
document.addEventListener('mp-scan-login:login', (event) => {
  const { token, user } = event.detail;
  const name = (user && user.nickname) || 'WeChat user';
  document.getElementById('greeting').textContent = `Welcome, ${name}! You can comment now.`;
  document.getElementById('token').textContent = token;
  document.getElementById('welcome').hidden = false;
  event.target.hidden = true;
});
