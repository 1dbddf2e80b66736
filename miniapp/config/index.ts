import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { cspSafeStyles } from './csp-safe-styles';
import devConfig from './dev';
import prodConfig from './prod';

export default defineConfig<'webpack5'>((merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'mp-scan-login-miniapp',
    date: '2025-11-25',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // One folder per target, so a weapp build never overwrites the H5 build the server serves.
    // MINIAPP_OUTPUT_ROOT lets the build tests write elsewhere, never under a running server.
    outputRoot: process.env.MINIAPP_OUTPUT_ROOT || `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: true },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      // The server serves this build under /miniapp/ and the simulator's QR text is
      // /miniapp/#/pages/confirm/index?scene=…, hence the public path and the hash router.
      publicPath: '/miniapp/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      // Every style in a stylesheet file, in every mode: the server's CSP has no 'unsafe-inline'.
      enableExtract: true,
      webpackChain: cspSafeStyles,
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        // rem against the browser's own root font size (16 px unless the reader chose more).
        // Taro's default instead sets the root size from the window width with a script in
        // index.html, and the server's CSP forbids inline scripts. With baseFontSize 16, 750
        // design px are 375 CSS px, what that script gave a phone up to 375 px wide.
        pxtransform: { enable: true, config: { baseFontSize: 16 } },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  return merge({}, baseConfig, process.env.NODE_ENV === 'development' ? devConfig : prodConfig);
});
