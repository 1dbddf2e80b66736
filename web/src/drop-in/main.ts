import { mountScanLogin } from './mount';

export { LOGIN_EVENT } from './mount';

/**
 * The `<script>` drop-in: every `[data-mp-scan-login]` element of the page becomes a
 * scan-login box once the document is parsed. The server defaults to the origin this script
 * came from (the library serves it at `${prefix}/scan-login.js`).
 */
const scriptOrigin = (() => {
  // Only while the script first runs: later, currentScript is whichever script runs then.
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : undefined;
})();

/** `MpScanLogin.mount(element)`: for an element added after the page loaded. Returns its unmount. */
export function mount(element: HTMLElement): () => void {
  return mountScanLogin(element, scriptOrigin);
}

function mountAll(): void {
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-mp-scan-login]'))) mount(element);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll, { once: true });
else mountAll();
