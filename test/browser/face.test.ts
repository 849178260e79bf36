/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { transfer, wrap, type Remote } from 'comlink';
import type { FaceBox, VisionAssets } from '../../flow/vision/types.js';
import type { FaceWorker } from './face-worker.js';

// The wasm straight from the package, the model as web-test-runner.config.mjs builds it.
const assets: VisionAssets = {
  wasmLoaderUrl: new URL('/node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_module_internal.js', location.origin).href,
  wasmBinaryUrl: new URL('/node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_module_internal.wasm', location.origin).href,
  modelUrl: new URL('/__vision__/face-model.tflite', location.origin).href,
};

async function bitmapOf(fixture: string): Promise<ImageBitmap> {
  const response = await fetch(new URL(`/test/fixtures/${fixture}`, location.origin));
  return createImageBitmap(await response.blob());
}

describe('face finder (BlazeFace with our metadata, in a module worker)', () => {
  let worker: Worker;
  let faces: Remote<FaceWorker>;
  const detect = async (fixture: string): Promise<FaceBox[]> => {
    const bitmap = await bitmapOf(fixture);
    return faces.detect(transfer(bitmap, [bitmap]));
  };

  before(async () => {
    worker = new Worker(new URL('./face-worker.ts', import.meta.url), { type: 'module' });
    faces = wrap<FaceWorker>(worker);
    await faces.load(assets);
  });

  after(() => worker.terminate());

  it('finds exactly one face in astronaut.png, where it is', async () => {
    const found = await detect('astronaut.png');
    expect(found).to.have.length(1);
    const [face] = found as [FaceBox];
    // Measured with MediaPipe's own tooling: (177, 82) 95 × 95 px in a 512 × 512 image.
    const truth = { x: 177 / 512, y: 82 / 512, width: 95 / 512, height: 95 / 512 };
    const tolerance = 0.1 * truth.width;
    expect(face.x).to.be.closeTo(truth.x, tolerance);
    expect(face.y).to.be.closeTo(truth.y, tolerance);
    expect(face.width).to.be.closeTo(truth.width, tolerance);
    expect(face.height).to.be.closeTo(truth.height, tolerance);
    expect(face.score).to.be.greaterThan(0.85);
    expect(face.keypoints).to.have.length(6);
    // Eyes, nose and mouth inside the box, ears near its sides: all as fractions of the image too.
    const margin = face.width / 4;
    for (const { x, y } of face.keypoints) {
      expect(x).to.be.within(face.x - margin, face.x + face.width + margin);
      expect(y).to.be.within(face.y - margin, face.y + face.height + margin);
    }
  });

  it('finds no face in chelsea.png (a cat)', async () => {
    expect(await detect('chelsea.png')).to.deep.equal([]);
  });

  it('finds the portrait in id-card-specimen.png and not the red watermark', async () => {
    const found = await detect('id-card-specimen.png');
    expect(found).to.have.length(1);
    const [face] = found as [FaceBox];
    // The photo's frame on the 856 × 540 card: x 35..287, y 100..423.
    expect(face.x + face.width / 2).to.be.within(35 / 856, 287 / 856);
    expect(face.y + face.height / 2).to.be.within(100 / 540, 423 / 540);
  });

  it('with a lower threshold also reports the watermark, after the portrait', async () => {
    await faces.load(assets, { minConfidence: 0.4 });
    const found = await detect('id-card-specimen.png');
    expect(found).to.have.length(2);
    const [portrait, watermark] = found as [FaceBox, FaceBox];
    expect(portrait.score).to.be.greaterThan(watermark.score);
    expect(watermark.x).to.be.greaterThan(0.5);
  });
});
