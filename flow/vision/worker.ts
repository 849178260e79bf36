/**
 * The detection worker: everything that reads pixels runs here, off the page's main thread, so
 * the video and the buttons never stutter. The page sends frames as transferred ImageBitmaps
 * (no copy) and gets back what was found and what to tell the applicant.
 */
import * as Comlink from 'comlink';
import { detectDocumentQuad } from './document.js';
import { aspectOf } from './document-shapes.js';
import { createFaceFinder, type FaceFinder } from './face.js';
import { toGray, type GrayImage } from './gray-image.js';
import { documentGuidance, selfieGuidance } from './guidance.js';
import { measureQuality } from './quality.js';
import type { AnalyseOptions, FaceBox, FrameAnalysis, Quad, VisionAssets, VisionWorkerApi } from './types.js';

/** Around the card when looking for its portrait, so a face at the card's edge is still whole. */
const PORTRAIT_SEARCH_MARGIN = 0.05;

let faceFinder: FaceFinder | undefined;
const canvas = new OffscreenCanvas(1, 1);
const context = canvas.getContext('2d', { willReadFrequently: true })!;
const cropCanvas = new OffscreenCanvas(1, 1);
const cropContext = cropCanvas.getContext('2d')!;
// Two luma buffers used in turn: the previous frame stays intact for the motion measure.
let previous: GrayImage | undefined;
let spare: GrayImage | undefined;

const api: VisionWorkerApi = {
  async init(assets: VisionAssets) {
    if (!faceFinder) {
      try {
        faceFinder = await createFaceFinder(assets);
      } catch (error) {
        // Documents and quality need no model: detection goes on without faces.
        console.warn('verify-now: the face model could not load:', error);
      }
    }
    return { faces: faceFinder !== undefined };
  },

  async analyse(frame: ImageBitmap, options: AnalyseOptions): Promise<FrameAnalysis> {
    const started = performance.now();
    try {
      const { width, height } = frame;
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      context.drawImage(frame, 0, 0);
      const rgba = context.getImageData(0, 0, width, height);
      const gray = toGray(rgba, undefined, spare);
      const result = options.target === 'selfie' ? analyseSelfie(frame, gray, rgba) : analyseDocument(frame, gray, rgba, options);
      spare = previous;
      previous = gray;
      return { ...result, target: options.target, width, height, elapsedMs: performance.now() - started };
    } finally {
      frame.close();
    }
  },

  reset() {
    previous = undefined;
  },
};

function analyseSelfie(frame: ImageBitmap, gray: GrayImage, rgba: ImageData) {
  const faces = faceFinder?.detect(frame) ?? [];
  const quality = measureQuality(gray, rgba, null, previous ?? null);
  return { quality, quad: null, fill: 0, faces, ...selfieGuidance({ faces, quality, frameAspect: gray.width / gray.height }) };
}

function analyseDocument(frame: ImageBitmap, gray: GrayImage, rgba: ImageData, options: AnalyseOptions) {
  const aspect = aspectOf(options.documentType);
  // Colour edges too: a navy card header on a dark table has almost no luma edge.
  const found = detectDocumentQuad(gray, { aspect, rgba });
  const quad = found?.quad ?? null;
  const quality = measureQuality(gray, rgba, quad, previous ?? null);
  const requirePortrait = (options.requirePortrait ?? false) && faceFinder !== undefined;
  const fill = found?.fill ?? 0;
  // The portrait costs a face detection: look for it only once everything else about the frame is
  // good (same decision, and a frame that must wait anyway costs no face search).
  const withoutPortrait = documentGuidance({ quad, fill, quality, faces: [], aspect, requirePortrait: false });
  if (!quad || !requirePortrait || !withoutPortrait.good) return { quality, quad, fill, faces: [], ...withoutPortrait };
  const faces = portraitsIn(frame, quad);
  return { quality, quad, fill, faces, ...documentGuidance({ quad, fill, quality, faces, aspect, requirePortrait }) };
}

/**
 * Faces on the card. The short-range model misses a portrait that is small in the whole frame,
 * so it looks at the card's bounding box, scaled up by the detector's own resize.
 */
function portraitsIn(frame: ImageBitmap, quad: Quad): FaceBox[] {
  const xs = quad.map((p) => p.x);
  const ys = quad.map((p) => p.y);
  const left = Math.max(0, Math.min(...xs) - PORTRAIT_SEARCH_MARGIN);
  const top = Math.max(0, Math.min(...ys) - PORTRAIT_SEARCH_MARGIN);
  const right = Math.min(1, Math.max(...xs) + PORTRAIT_SEARCH_MARGIN);
  const bottom = Math.min(1, Math.max(...ys) + PORTRAIT_SEARCH_MARGIN);
  const sx = Math.round(left * frame.width);
  const sy = Math.round(top * frame.height);
  const sw = Math.max(1, Math.round((right - left) * frame.width));
  const sh = Math.max(1, Math.round((bottom - top) * frame.height));
  cropCanvas.width = sw;
  cropCanvas.height = sh;
  cropContext.drawImage(frame, sx, sy, sw, sh, 0, 0, sw, sh);
  const faces = faceFinder!.detect(cropCanvas);
  // Back to fractions of the whole frame.
  return faces.map((f) => ({
    ...f,
    x: left + f.x * (right - left),
    y: top + f.y * (bottom - top),
    width: f.width * (right - left),
    height: f.height * (bottom - top),
    keypoints: f.keypoints.map((k) => ({ x: left + k.x * (right - left), y: top + k.y * (bottom - top) })),
  }));
}

Comlink.expose(api);
