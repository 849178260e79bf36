import { defineConfig } from 'vite';
import { precompress } from './build/precompress-plugin.js';

/**
 * The demo page's script and style (the designers' playground), served by the demo site from its
 * own origin under fixed names (no-cache: it changes with every build, and nobody else links it).
 * Runs after the main build, which empties dist/web.
 */
export default defineConfig({
  plugins: [precompress()],
  build: {
    outDir: 'dist/web/demo',
    assetsDir: '',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: 'demo/main.ts',
      output: { entryFileNames: 'demo.js', assetFileNames: 'demo[extname]' },
    },
  },
});
