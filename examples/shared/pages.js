// The example sites' pages, server-rendered. The login page is all the browser side a host
// needs: the login server's drop-in script and one element; `login.js` hands the one-time
// code it receives to the host's backend.
const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const layout = (title, body) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body>
${body}
</body>
</html>
`;

function homePage(account) {
  if (!account) return layout('Example shop', '<h1>Example shop</h1>\n<p><a href="/login">Log in with WeChat</a></p>');
  return layout(
    'Example shop',
    `<h1>Example shop</h1>
<p data-testid="greeting">Hello, ${escape(account.nickname ?? 'WeChat user')}</p>
<form method="post" action="/logout"><button type="submit">Log out</button></form>`,
  );
}

function loginPage(prefix) {
  return layout(
    'Log in',
    `<h1>Log in</h1>
<div data-mp-scan-login data-prefix="${escape(prefix)}"></div>
<p id="login-failed" role="alert" hidden>That login did not go through. Reload the page for a fresh code.</p>
<script src="${escape(prefix)}/scan-login.js" defer></script>
<script src="/login.js" defer></script>`,
  );
}

const notFoundPage = () => layout('Not found', '<h1>Not found</h1>\n<p>There is no such page in this shop.</p>');

const loginScript = `document.addEventListener('mp-scan-login:login', async (event) => {
  const response = await fetch('/auth/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: event.detail.token }),
  });
  if (response.ok) location.assign('/');
  else document.getElementById('login-failed').hidden = false;
});
`;

module.exports = { homePage, loginPage, notFoundPage, loginScript };
