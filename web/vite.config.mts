import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the page runs on Vite's server and reaches the login server through
// this proxy, so it stays same-origin exactly as when the server serves web/dist.
const server = process.env.LOGIN_SERVER_URL ?? 'http://localhost:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: server, ws: true },
      '/__wechat__': { target: server },
      '/miniapp': { target: server },
    },
  },
});
