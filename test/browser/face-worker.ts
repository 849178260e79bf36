/**
 * The face finder behind comlink, as the flow's detection worker will hold it: the test page sends
 * transferred ImageBitmaps and gets plain FaceBox arrays back.
 */
import { expose } from 'comlink';
import { createFaceFinder, type FaceFinder, type FaceFinderOptions } from '../../flow/vision/face.js';
import type { FaceBox, VisionAssets } from '../../flow/vision/types.js';

let finder: FaceFinder | undefined;

const faceWorker = {
  /** Replaces any finder already loaded; resolves with the time loading took. */
  async load(assets: VisionAssets, options?: FaceFinderOptions): Promise<{ elapsedMs: number }> {
    finder?.close();
    const start = performance.now();
    finder = await createFaceFinder(assets, options);
    return { elapsedMs: performance.now() - start };
  },

  detect(image: ImageBitmap): FaceBox[] {
    if (!finder) throw new Error('load() first');
    try {
      return finder.detect(image);
    } finally {
      image.close();
    }
  },
};

export type FaceWorker = typeof faceWorker;

expose(faceWorker);
