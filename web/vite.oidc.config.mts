import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Built for production whatever the caller runs as (Jest sets NODE_ENV=test, which would
// make the JSX call React's development runtime).
process.env.NODE_ENV = 'production';

/**
 * The OpenID provider's interaction page (src/oidc) into dist/browser/oidc: the server
 * answers `/oidc/interaction/:uid` with its index.html and serves `/oidc/assets/*` from its
 * assets/. The base is `/oidc/`, so with Vite's `assets/` folder every URL the page uses is
 * `/oidc/assets/…`, absolute: the page's own path is the interaction's, never its folder.
 */
export default defineConfig({
  root: here('src/oidc'),
  base: '/oidc/',
  plugins: [react()],
  // No public/ folder: everything the page loads is a hashed asset.
  publicDir: false,
  build: {
    outDir: here('../dist/browser/oidc'),
    // Outside the root, so Vite asks; the folder is this page's alone (stale hashed assets go).
    emptyOutDir: true,
  },
});
