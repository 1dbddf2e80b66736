/**
 * Posts the login's token to the host's own backend as an ordinary form (`token=…`), the
 * way a server-rendered site without a build step makes its own session: the answer is a
 * page (or a redirect) with the host's cookie. Hidden inputs the host put inside the
 * element (a CSRF token, say) go along, since a login form of its own would carry them too.
 */
export function postLogin(element: HTMLElement, action: string, field: string, token: string): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.hidden = true;
  for (const extra of Array.from(element.querySelectorAll<HTMLInputElement>('input[type="hidden"]'))) {
    form.append(extra.cloneNode());
  }
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = field;
  input.value = token;
  form.append(input);
  document.body.append(form);
  form.submit();
}
