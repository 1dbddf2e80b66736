const { basename } = require('node:path');

/**
 * Moves the CSS of Taro's components (Stencil custom elements in
 * @tarojs/components/dist/components) from their scripts into the extracted stylesheet.
 *
 * Each component keeps its CSS in `static get style()`, and Stencil's runtime writes it into a
 * `<style>` element when the component first connects; a Content-Security-Policy with
 * `style-src 'self'` blocks that element, and the buttons and inputs lose their look. Here
 * the getter goes (so Stencil has nothing to insert) and the module imports its CSS instead,
 * through a match resource (`taro-button-core.js.css!=!…`) that webpack's CSS rules extract.
 *
 * With `?css=true` (the match resource's request) the loader answers that CSS.
 */
const GETTER = /static get style\(\) \{ return (\w+); \}/g;

module.exports = function stencilStylesLoader(source) {
  const names = [...source.matchAll(GETTER)].map((match) => match[1]);
  if (names.length === 0) return source;
  if (this.getOptions().css) return names.map((name) => cssOf(source, name, this.resourcePath)).join('\n');
  const file = basename(this.resourcePath);
  const request = `./${file}.css!=!${__filename}?css=true!./${file}`;
  return `import ${JSON.stringify(request)};\n${source.replace(GETTER, '')}`;
};

/** The string literal `const <name> = "…";`, which Stencil's compiler writes in JSON's syntax. */
function cssOf(source, name, path) {
  const literal = new RegExp(`const ${name} = ("(?:[^"\\\\]|\\\\.)*");`).exec(source);
  if (!literal) throw new Error(`${path}: no CSS literal ${name} for its style getter (did Stencil's output change?)`);
  return JSON.parse(literal[1]);
}
