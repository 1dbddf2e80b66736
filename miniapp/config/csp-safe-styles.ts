import type { IProjectConfig } from '@tarojs/taro/types/compile';
import { join } from 'node:path';

type WebpackChain = Parameters<NonNullable<NonNullable<IProjectConfig<'webpack5'>['h5']>['webpackChain']>>[0];

/**
 * The H5 build runs under the server's Content-Security-Policy (`style-src 'self'` without
 * 'unsafe-inline', `font-src 'self'`), so every style has to arrive as a stylesheet file and
 * every font as a font file. Taro's H5 runtime would write three kinds of `<style>`
 * elements, which that policy blocks:
 * - its own CSS (`@tarojs/components/global.css`, `taro-components.css`): style-loader, on
 *   purpose, to sit above the app's CSS. Extracted here like the app's CSS; the entry
 *   imports it first, so the app's rules still come later and win.
 * - each component's CSS (Stencil's runtime): see stencil-styles-loader.js.
 * - the router's CSS: see router-styles-loader.js.
 * Rule keys that webpack-chain's types predate (webpack 5's) are `set` by name.
 */
export function cspSafeStyles(chain: WebpackChain): void {
  const extractLoader = chain.module.rule('customStyle').use('0').get('loader') as string;
  const taroStyle = chain.module.rule('taroStyle');
  taroStyle.uses.clear();
  taroStyle.use('extract').loader(extractLoader);

  // `pre`: the loaders read the packages' own output, before Babel reshapes it.
  chain.module
    .rule('stencilStyles')
    .test(/[\\/]@tarojs[\\/]components[\\/]dist[\\/]components[\\/][^\\/]+\.js$/)
    .enforce('pre')
    .use('extract')
    .loader(join(__dirname, 'stencil-styles-loader.js'));
  chain.module
    .rule('routerStyles')
    .test(/[\\/]@tarojs[\\/]router[\\/]dist[\\/]style\.js$/)
    .enforce('pre')
    .use('extract')
    .loader(join(__dirname, 'router-styles-loader.js'));
  // Nothing imports a name from that CSS; without this, the packages' `sideEffects` lists
  // (which name `*.css` files, not `*.js.css` match resources) would let webpack drop it.
  chain.module
    .rule('runtimeStylesKept')
    .test(/[\\/]@tarojs[\\/](components|router)[\\/]dist[\\/].+\.js\.css$/)
    .set('sideEffects', true);

  // `font-src 'self'` refuses data: fonts: the weui icon font that taro-components.css
  // carries as a data: URL becomes a file of its own.
  chain.module
    .rule('dataFonts')
    .set('scheme', 'data')
    .set('mimetype', 'application/octet-stream')
    .set('type', 'asset/resource')
    .set('generator', { filename: 'static/fonts/[contenthash:8][ext]' });
}
