// Browser unit tests (the flow's detection pipeline) on the system's Chromium, never a downloaded one.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

/**
 * Serves the face model as the production build ships it (BlazeFace plus our TFLite metadata), made
 * by the compiled build step: `npm test` runs `tsc` first; alone, run `npm run build:node` once.
 */
function faceModelPlugin() {
  const path = '/__vision__/face-model.tflite';
  let model;
  return {
    name: 'face-model',
    async serve(context) {
      if (context.path !== path) return undefined;
      const { readFaceModel } = await import('./dist/build/face-model.js');
      model ??= Buffer.from(await readFaceModel());
      return { body: model, type: 'application/octet-stream' };
    },
  };
}

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  rootDir: '.',
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), faceModelPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      },
    }),
  ],
  // One browser, tests in sequence: the machine has two cores and the worker tests load wasm.
  concurrency: 1,
  staticLogging: true,
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 240000,
};
