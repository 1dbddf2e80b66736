import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// A package is built for production whatever the caller runs as (Jest sets NODE_ENV=test,
// which would make the JSX call React's development runtime, absent from production React).
process.env.NODE_ENV = 'production';

/**
 * The `<script>` drop-in: one classic script (IIFE, global `MpScanLogin`) with React, the
 * component and its styles inside, for sites with no build step. Written beside the ES
 * modules in the package's dist/browser, which the library serves at
 * `${prefix}/scan-login.js`.
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  // Library mode leaves process.env to the consumer's bundler; this bundle has none.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: here('../dist/browser'),
    emptyOutDir: false,
    lib: {
      entry: here('src/drop-in/main.ts'),
      formats: ['iife'],
      name: 'MpScanLogin',
      fileName: () => 'scan-login.js',
    },
  },
});
