const { runInNewContext } = require('node:vm');

/**
 * Moves the CSS of Taro's H5 router (@tarojs/router/dist/style.js) into the extracted
 * stylesheet.
 *
 * The router builds its CSS (the page stack, the navigation bar, the page animation) in
 * JavaScript and writes it into `<style>` elements when the app mounts; a
 * Content-Security-Policy with `style-src 'self'` blocks them, and the navigation bar's
 * icons and every page ever opened show at once. Here the module keeps its exports, which do
 * nothing, and imports its CSS instead, through a match resource (`style.js.css!=!…`) that
 * webpack's CSS rules extract.
 *
 * With `?css=true` (the match resource's request) the loader answers that CSS: what the
 * router's own functions produce, run here at build time with the arguments the router uses
 * for this app (router/page.js `mount()` and navigationBar.js): the navigation bar, the page
 * animation at its default 300 ms, and the page stack without a tab bar, without window
 * scroll and without `enhanceAnimation`.
 */
const CALLS = 'loadNavigationBarStyle(); loadAnimateStyle(300); loadRouterStyle(false, false, undefined);';

const EXPORTS = /^export \{([^}]*)\};?\s*$/m;

module.exports = function routerStylesLoader(source) {
  const exported = EXPORTS.exec(source);
  if (!exported) throw new Error(`${this.resourcePath}: no export list (did @tarojs/router change?)`);
  if (this.getOptions().css) return cssOf(source.replace(EXPORTS, ''));
  const names = exported[1].split(',').map((name) => name.trim()).filter(Boolean);
  const request = `./style.js.css!=!${__filename}?css=true!./style.js`;
  return [
    `import ${JSON.stringify(request)};`,
    'const inserted = () => undefined;',
    `export { ${names.map((name) => `inserted as ${name}`).join(', ')} };`,
  ].join('\n');
};

/** Runs the router's style functions with a document that only records what they insert. */
function cssOf(functions) {
  const inserted = [];
  const head = { appendChild: (element) => inserted.push(element.innerHTML) };
  const document = { createElement: () => ({}), getElementsByTagName: () => [head] };
  runInNewContext(`${functions}\n${CALLS}`, { document });
  if (inserted.length !== 3) throw new Error(`@tarojs/router inserted ${inserted.length} styles, not 3 (did it change?)`);
  return inserted.join('\n');
}
