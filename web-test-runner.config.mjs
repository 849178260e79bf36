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

/**
 * Serves the scenes Chromium's fake camera plays in the end-to-end tests (test/support/fake-camera.ts,
 * compiled), as PNG: the detectors must pass on exactly what the camera tests show them.
 */
function cameraScenesPlugin() {
  const scenes = new Map();
  return {
    name: 'camera-scenes',
    async serve(context) {
      const match = /^\/__scenes__\/(document|selfie|no-document)\.(png|json)$/.exec(context.path);
      if (!match) return undefined;
      if (!scenes.has(match[1])) {
        const camera = await import('./dist/test/support/fake-camera.js');
        const { PNG } = (await import('pngjs')).default;
        const make = { document: camera.documentScene, selfie: camera.selfieScene, 'no-document': camera.noDocumentScene }[match[1]];
        const { image, ...truth } = make();
        const png = new PNG({ width: image.width, height: image.height });
        png.data = Buffer.from(image.data);
        scenes.set(match[1], { png: PNG.sync.write(png), truth: JSON.stringify(truth) });
      }
      const scene = scenes.get(match[1]);
      // The PNG, or what is really in it (the card's corners, the face's box) in pixels.
      return match[2] === 'png' ? { body: scene.png, type: 'image/png' } : { body: scene.truth, type: 'application/json' };
    },
  };
}

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  rootDir: '.',
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), faceModelPlugin(), cameraScenesPlugin()],
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
