import css from '../react/styles.css?inline';

let shared: CSSStyleSheet | null = null;

/**
 * Gives a shadow root the component's styles. A constructable stylesheet
 * (`adoptedStyleSheets`) is not an inline `<style>`, so a host page whose CSP has
 * `style-src 'self'` does not block it; one sheet serves every element on the page. Where
 * the browser has none (Safari before 16.4), a `<style>` is the fallback.
 */
export function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(css);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, shared];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}
