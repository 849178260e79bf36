/**
 * The page's one detection worker, started as soon as the flow loads so that the wasm and the
 * face model arrive while the applicant reads the intro, not after they press Start.
 */
import * as Comlink from 'comlink';
import { visionAssets } from 'virtual:vision-assets';
import type { VisionWorkerApi } from './types.js';

export interface Vision {
  api: Comlink.Remote<VisionWorkerApi>;
  /** Resolves with what the worker can do, or `undefined` when it could not start at all. */
  ready: Promise<{ faces: boolean } | undefined>;
}

let vision: Vision | undefined;

export function startVision(): Vision {
  if (vision) return vision;
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'verify-now-vision' });
  const api = Comlink.wrap<VisionWorkerApi>(worker);
  const ready = api.init(visionAssets).catch((error: unknown) => {
    // Without detection the applicant still has the shutter and the upload: say why, for support.
    console.warn('verify-now: on-device detection is unavailable:', error);
    return undefined;
  });
  vision = { api, ready };
  return vision;
}
