import { defineConfig } from 'vite';
import { precompress } from './build/precompress-plugin.js';

/**
 * The <verify-now> loader, built apart from the flow: merchants link it by a stable URL
 * (/widget/verify-now.js), not a hashed one, so it is a library build with fixed names: an ES
 * module, and an IIFE for a plain `<script src>`. Runs after the main build, which empties dist/web.
 */
export default defineConfig({
  plugins: [precompress()],
  build: {
    outDir: 'dist/web/widget',
    // The precompression plugin compresses the assets directory: here, the output itself.
    assetsDir: '',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    // Lib mode keeps an ES module's whitespace (for bundlers' tree-shaking); this file goes to browsers as is.
    rolldownOptions: {
      output: { minify: true },
      // The IIFE has no import.meta (rolldown makes it `{}`): the element reads document.currentScript
      // first there, so the empty object is what we want, and its warning is noise.
      onLog(level, log, handler) {
        if (log.code === 'EMPTY_IMPORT_META') return;
        handler(level, log);
      },
    },
    lib: {
      entry: 'widget/verify-now.ts',
      name: 'VerifyNow',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'verify-now.js' : 'verify-now.classic.js'),
    },
  },
});
