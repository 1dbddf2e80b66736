import { createRoot } from 'react-dom/client';
import { DEFAULT_PREFIX, type LoginEvents } from '../client';
import { ScanLogin } from '../react';
import { postLogin } from './login-form';
import { adoptStyles } from './shadow-styles';

/** The event a mounted element dispatches once someone logged in (bubbles; cancelable). */
export const LOGIN_EVENT = 'mp-scan-login:login';

/**
 * Renders the ScanLogin component into `element`'s shadow root (so the host's styles and
 * the component's do not meet), configured by its attributes:
 * - `data-server`: the login server's base URL (default `defaultServer`, the script's origin);
 * - `data-prefix`: its routes' prefix (default `/api/login`);
 * - `data-locale`: `zh` or `en` (default the browser's);
 * - `data-form-action`: if set, the token is posted there as a form field once logged in,
 *   unless a listener of the login event called `preventDefault()`;
 * - `data-form-field`: that field's name (default `token`).
 * Returns a function that unmounts it. An element mounted before is left as it is.
 */
export function mountScanLogin(element: HTMLElement, defaultServer?: string): () => void {
  if (element.shadowRoot) return () => undefined;
  const shadow = element.attachShadow({ mode: 'open' });
  adoptStyles(shadow);
  const container = document.createElement('div');
  shadow.append(container);
  const { server, prefix, locale, formAction, formField } = element.dataset;

  const loggedIn = (login: LoginEvents['confirmed']) => {
    const event = new CustomEvent(LOGIN_EVENT, { detail: login, bubbles: true, cancelable: true, composed: true });
    const proceed = element.dispatchEvent(event);
    if (formAction && proceed) postLogin(element, formAction, formField || 'token', login.token);
  };

  const root = createRoot(container);
  root.render(
    <ScanLogin server={server || defaultServer} prefix={prefix || DEFAULT_PREFIX} locale={locale || undefined} onLogin={loggedIn} />,
  );
  return () => root.unmount();
}
