import { defineConfig } from 'vite';
import { precompress } from './build/precompress-plugin.js';
import { visionAssetsPlugin } from './build/vision-assets-plugin.js';

/**
 * Browser code (flow, and later widget, dashboard, demo) is built into dist/web with hashed file
 * names; the server finds each entry's file through the manifest and serves /assets/* immutable.
 */
export default defineConfig({
  plugins: [visionAssetsPlugin(), precompress()],
  // MediaPipe's loader is an ES module that a module worker import()s; a classic worker cannot.
  worker: { format: 'es' },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { flow: 'flow/main.ts' },
      // The precompression plugin takes seconds on purpose (the 13 MB wasm): no timing warning for it.
      checks: { bundlerTimings: false },
    },
  },
});
