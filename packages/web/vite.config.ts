import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API lives on the same origin in production (the server serves dist/); in development Vite
// forwards the API paths to a server started with `npm start` on port 3000.
const apiPaths = [
  '/auth',
  '/members',
  '/tasks',
  '/metrics',
  '/fhir',
  '/ingest',
  '/users',
  '/programs',
  '/ops',
  '/docs',
  '/openapi.json',
  '/healthz',
  '/readyz',
];
const api = process.env.CARELOOP_API ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api }])) },
});
