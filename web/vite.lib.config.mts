import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// A package is built for production whatever the caller runs as (Jest sets NODE_ENV=test,
// which would make the JSX call React's development runtime, absent from production React).
process.env.NODE_ENV = 'production';

/**
 * The browser packages as ES modules: `mp-scan-login/client` and `mp-scan-login/react`,
 * into the package's dist/browser (the drop-in script is vite.drop-in.config.mts). React
 * stays outside, a peer dependency; the client is one shared chunk, so both entries hold
 * the same LoginError class.
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  build: {
    outDir: here('../dist/browser'),
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: { client: here('src/client/index.ts'), react: here('src/react/index.ts') },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/],
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
