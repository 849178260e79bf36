import { defineConfig } from 'vite';
import { precompress } from './build/precompress-plugin.js';

/**
 * The merchant dashboard, built apart from the flow (its own chunks: the applicant's page never
 * shares a file with it) into dist/web/dashboard, hashed names and a manifest the server reads;
 * served under /dashboard/assets with a year's caching. Runs after the main build.
 */
export default defineConfig({
  plugins: [precompress()],
  build: {
    outDir: 'dist/web/dashboard',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: { input: { dashboard: 'dashboard/main.ts' } },
  },
});
