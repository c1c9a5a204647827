// Builds the browser app into web/dist (served by the express server) and, in development,
// proxies the API to the server on :4000 so the app and the server's routes share one origin.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    port: 5173,
    // The API, uploaded posters, share posters and scanned share links come from the server; the
    // slashes keep the app's own /shared/<code> page here.
    proxy: Object.fromEntries(['/graphql', '/media', '/share/', '/s/'].map((path) => [path, 'http://localhost:4000'])),
  },
});
