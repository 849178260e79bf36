/**
 * `virtual:vision-assets`: where the detection worker finds MediaPipe's wasm and the face model, as
 * files of our own build (hashed names under /assets/, served immutable) rather than a CDN. The
 * wasm and its loader are the package's files as they are; the model is made here, at build time,
 * by adding the metadata MediaPipe needs (see face-model.ts).
 */
import type { Plugin } from 'vite';
import { readFaceModel } from './face-model.js';

const VIRTUAL_ID = 'virtual:vision-assets';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** The model's URL under `vite` (dev), where nothing is emitted; the browser tests use it too. */
export const DEV_FACE_MODEL_PATH = '/__vision__/face-model.tflite';

export function visionAssetsPlugin(): Plugin {
  let isBuild = false;
  return {
    name: 'verify-now:vision-assets',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const modelUrl = isBuild
        ? `import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: 'face-model.tflite', source: await readFaceModel() })}`
        : JSON.stringify(DEV_FACE_MODEL_PATH);
      // The "module" build: its loader is an ES module, which a module worker can import().
      return `import wasmLoaderUrl from '@mediapipe/tasks-vision/vision_wasm_module_internal.js?url';
import wasmBinaryUrl from '@mediapipe/tasks-vision/vision_wasm_module_internal.wasm?url';
export const visionAssets = { wasmLoaderUrl, wasmBinaryUrl, modelUrl: ${modelUrl} };
`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_FACE_MODEL_PATH, (_req, res, next) => {
        readFaceModel().then((model) => {
          res.setHeader('content-type', 'application/octet-stream');
          res.end(model);
        }, next);
      });
    },
  };
}
