/**
 * What the detection worker and the capture screen say to each other. Coordinates are fractions of
 * the analysed frame's width and height (0..1), as in the API's capture metrics, so they hold at
 * any resolution: the analysis size, the video's display size, the full-resolution capture.
 */
import type { DocumentType } from '../../contract/sessions.js';

export type CaptureTarget = 'document' | 'selfie';

export interface Point {
  x: number;
  y: number;
}

/** A document's corners, clockwise from the top left. */
export type Quad = [Point, Point, Point, Point];

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Detector confidence, 0..1. */
  score: number;
  /** BlazeFace's six keypoints: right eye, left eye, nose tip, mouth, right ear, left ear. */
  keypoints: Point[];
}

export interface QualityMetrics {
  /** Variance of the Laplacian of the luma (inside the document when there is one): higher is sharper. */
  sharpness: number;
  /** Mean luma, 0..1. */
  brightness: number;
  /** Share of saturated (blown-out) pixels inside the document, or the frame: 0..1. */
  glare: number;
  /** Mean absolute luma change since the previous analysed frame, 0..1 (0 for the first frame). */
  motion: number;
}

/** Short live advice shown (and announced) under the video; each has a sentence per language. */
export const GUIDANCE = [
  'starting',
  'searching',
  'move_closer',
  'move_back',
  'too_dark',
  'too_bright',
  'blurry',
  'hold_still',
  'glare',
  'no_portrait',
  'no_face',
  'several_faces',
  'face_closer',
  'face_centre',
  'face_level',
  'good',
] as const;
export type Guidance = (typeof GUIDANCE)[number];

export interface FrameAnalysis {
  target: CaptureTarget;
  /** Size of the frame as received (before the worker scaled it down for analysis). */
  width: number;
  height: number;
  quality: QualityMetrics;
  /** The document's corners, or null when none was found (always null for selfies). */
  quad: Quad | null;
  /** Share of the frame the document covers, 0..1 (0 without a document). */
  fill: number;
  faces: FaceBox[];
  guidance: Guidance;
  /** True when this frame is good enough to keep: the capture screen auto-captures after a few in a row. */
  good: boolean;
  /** Worker-side time spent on this frame, in milliseconds. */
  elapsedMs: number;
}

export interface AnalyseOptions {
  target: CaptureTarget;
  /** Shapes the expected aspect ratio: ID-1 cards ≈ 1.586, a passport page ≈ 1.42. */
  documentType?: DocumentType;
  /** The front of a document shows its holder's portrait: no portrait inside the card, no capture. */
  requirePortrait?: boolean;
}

/** Where the worker fetches MediaPipe's wasm and the face model: always our own origin. */
export interface VisionAssets {
  wasmLoaderUrl: string;
  wasmBinaryUrl: string;
  modelUrl: string;
}

/** The detection worker's interface, called through comlink. */
export interface VisionWorkerApi {
  /** Loads the face model; resolves with what works (document and quality checks need no model). */
  init(assets: VisionAssets): Promise<{ faces: boolean }>;
  /** Analyses one frame (transferred: the caller loses it) and closes it. */
  analyse(frame: ImageBitmap, options: AnalyseOptions): Promise<FrameAnalysis>;
  /** Forgets the previous frame (motion is measured between consecutive frames of one capture). */
  reset(): void;
}
