/// <reference types="mocha" />
/**
 * The detection worker as the flow runs it (flow/vision/worker.ts through comlink, frames as
 * transferred ImageBitmaps), on the very scenes Chromium's fake camera plays in the end-to-end
 * tests: what it finds there is what makes auto-capture happen.
 */
import { expect } from '@esm-bundle/chai';
import * as Comlink from 'comlink';
import type { FrameAnalysis, Point, VisionWorkerApi } from '../../flow/vision/types.js';

const ASSETS = {
  wasmLoaderUrl: '/node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_module_internal.js',
  wasmBinaryUrl: '/node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_module_internal.wasm',
  modelUrl: '/__vision__/face-model.tflite',
};

async function frameOf(scene: string): Promise<ImageBitmap> {
  return createImageBitmap(await (await fetch(`/__scenes__/${scene}.png`)).blob());
}

describe('detection worker on the fake camera scenes', () => {
  let worker: Worker;
  let vision: Comlink.Remote<VisionWorkerApi>;

  before(async () => {
    worker = new Worker(new URL('../../flow/vision/worker.ts', import.meta.url), { type: 'module' });
    vision = Comlink.wrap<VisionWorkerApi>(worker);
    expect(await vision.init(ASSETS)).to.deep.equal({ faces: true });
  });

  after(() => worker.terminate());

  /** Two frames of a still scene: the second has a previous frame to measure motion against. */
  async function analyseStill(scene: string, options: Parameters<VisionWorkerApi['analyse']>[1]): Promise<FrameAnalysis> {
    await vision.reset();
    const first = await frameOf(scene);
    await vision.analyse(Comlink.transfer(first, [first]), options);
    const second = await frameOf(scene);
    return vision.analyse(Comlink.transfer(second, [second]), options);
  }

  it('finds the card, its corners and its portrait, and calls the frame good', async () => {
    const truth = (await (await fetch('/__scenes__/document.json')).json()) as { corners: Point[] };
    const analysis = await analyseStill('document', { target: 'document', documentType: 'id_card', requirePortrait: true });
    expect(analysis.quad, 'a card was found').to.not.equal(null);
    analysis.quad!.forEach((corner, i) => {
      const dx = corner.x * analysis.width - truth.corners[i]!.x;
      const dy = corner.y * analysis.height - truth.corners[i]!.y;
      expect(Math.hypot(dx, dy), `corner ${i} within 4 px`).to.be.below(4);
    });
    expect(analysis.faces.length, 'the portrait on the card').to.equal(1);
    expect(analysis.guidance).to.equal('good');
    expect(analysis.good).to.equal(true);
    console.log(`document frame: ${analysis.elapsedMs.toFixed(1)} ms in the worker, sharpness ${analysis.quality.sharpness.toFixed(0)}, fill ${analysis.fill.toFixed(2)}`);
  });

  it('takes the back of the card without a portrait', async () => {
    const analysis = await analyseStill('document', { target: 'document', documentType: 'id_card', requirePortrait: false });
    expect(analysis.good).to.equal(true);
  });

  it('finds one centred face in the selfie scene and calls it good', async () => {
    const truth = (await (await fetch('/__scenes__/selfie.json')).json()) as { face: { x: number; y: number; width: number; height: number } };
    const analysis = await analyseStill('selfie', { target: 'selfie' });
    expect(analysis.faces.length).to.equal(1);
    const face = analysis.faces[0]!;
    const centreX = (face.x + face.width / 2) * analysis.width;
    expect(Math.abs(centreX - (truth.face.x + truth.face.width / 2))).to.be.below(truth.face.width * 0.2);
    expect(analysis.guidance).to.equal('good');
    console.log(`selfie frame: ${analysis.elapsedMs.toFixed(1)} ms in the worker, sharpness ${analysis.quality.sharpness.toFixed(0)}`);
  });

  it('says what is wrong when the camera sees no card, or no face', async () => {
    const noCard = await analyseStill('no-document', { target: 'document', documentType: 'id_card', requirePortrait: true });
    expect(noCard.quad).to.equal(null);
    expect(noCard.good).to.equal(false);
    expect(noCard.guidance).to.equal('searching');
    const noFace = await analyseStill('no-document', { target: 'selfie' });
    expect(noFace.faces).to.deep.equal([]);
    expect(noFace.guidance).to.equal('no_face');
  });

  it('holds off while the card moves', async () => {
    await vision.reset();
    const card = await frameOf('document');
    await vision.analyse(Comlink.transfer(card, [card]), { target: 'document', documentType: 'id_card' });
    const other = await frameOf('selfie');
    const moved = await vision.analyse(Comlink.transfer(other, [other]), { target: 'document', documentType: 'id_card' });
    expect(moved.quality.motion).to.be.above(0.03);
    expect(moved.good).to.equal(false);
  });
});
