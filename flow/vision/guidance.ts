/**
 * What to tell the applicant about this frame, and whether it is good enough to keep. Pure
 * decisions on what the detectors measured, one problem at a time, in the order the applicant
 * can fix them: first get the document (or face) in view and at the right size, then the light,
 * then hold still.
 */
import { ID1_ASPECT } from './document-shapes.js';
import type { FaceBox, Guidance, Point, Quad, QualityMetrics } from './types.js';

export interface GuidanceDecision {
  guidance: Guidance;
  /** True only with 'good': the capture screen auto-captures after a few good frames in a row. */
  good: boolean;
}

export interface DocumentFrame {
  quad: Quad | null;
  /** Share of the frame the document covers, 0..1. */
  fill: number;
  quality: QualityMetrics;
  /** Faces found on the document (fractions of the frame), when the portrait is checked. */
  faces: FaceBox[];
  /** The document's width/height (ID-1 ≈ 1.586, passport page ≈ 1.42); the fill limits are for ID-1 and scale with it. */
  aspect?: number;
  /** The front of an ID shows its holder's portrait; a card's back does not. Default false. */
  requirePortrait?: boolean;
}

export interface SelfieFrame {
  faces: FaceBox[];
  quality: QualityMetrics;
  /** Width/height of the analysed frame: keypoints are fractions of each, and the eye line's angle needs pixels. Default 4:3. */
  frameAspect?: number;
}

// Fill limits for an ID-1 card (other shapes are scaled to it). Below this fill the card spans
// under about 55% of a 4:3 frame's width: at a 1280-pixel capture that is under 8 pixels per
// millimetre, about where MRZ and small print stop being reliably legible.
const MIN_DOCUMENT_FILL = 0.25;
// Above this the card spans about 90% of a 4:3 frame's width: any shake puts an edge outside.
const MAX_DOCUMENT_FILL = 0.7;
// A corner this close to the frame's border (fraction of the frame) means the edge is, or will be
// with the slightest move, cut off.
const FRAME_EDGE_MARGIN = 0.02;

// Mean luma inside the document. A light card reading under 0.3 is underexposed: print contrast
// sinks into sensor noise. Over 0.92 nearly everything on it is clipped white.
const DOCUMENT_TOO_DARK = 0.3;
const DOCUMENT_TOO_BRIGHT = 0.92;
// Mean luma of the frame's middle for a selfie: skin sits in the mid-tones, so the limits are
// tighter than for a white card.
const SELFIE_TOO_DARK = 0.25;
const SELFIE_TOO_BRIGHT = 0.85;

// Variance of the Laplacian (at about 640 pixels across). Printed text in focus gives well over
// 500; a σ ≈ 1.4 px blur brings the specimen card to about 115 and sensor noise alone gives about
// 50, so 200 separates them with room for a softer real camera.
const DOCUMENT_MIN_SHARPNESS = 200;
// A face has far less fine detail than print, and the middle of a selfie frame is mostly face:
// measured on the test camera's face (a photo enlarged 2×, soft but usable) about 36, the same
// under a σ = 1 px blur 12 and σ = 1.4 px 7. 20 separates them; a stricter bar would keep soft
// laptop webcams from ever auto-capturing.
const SELFIE_MIN_SHARPNESS = 20;

// Mean absolute luma change between analysed frames: sensor noise alone gives under 0.01, a
// 1-pixel shift of a detailed scene about 0.02, a 3-pixel shift 0.035–0.05. Above this the hand
// moves enough to smear the capture.
const MAX_MOTION = 0.03;

// Share of the document blown out by a reflection. 1% of an ID-1 card is about 7 × 7 mm: a date
// or a document number's worth of characters.
const MAX_GLARE = 0.01;

// Faces below this detector confidence are ignored: BlazeFace's own default threshold is 0.5,
// and printed patterns or a pet score in the 0.5s now and then.
const MIN_FACE_SCORE = 0.6;
// A selfie face narrower than this share of the frame: at a 1280-pixel capture still 250+ pixels
// across, comfortably above what face matching needs (≈ 112–160), and large enough that the
// background does not dominate exposure.
const MIN_FACE_WIDTH = 0.2;
// How far the face's centre may sit from the frame's centre (fraction of width, of height): the
// oval drawn over the video is centred, and a face at the edge is often partly cut off or lit
// from the side.
const MAX_FACE_OFFSET_X = 0.15;
const MAX_FACE_OFFSET_Y = 0.2;
// Head tilt (angle of the line through the eyes) beyond which face matching loses accuracy and
// the applicant is asked to hold the head straight.
const MAX_EYE_TILT_DEGREES = 10;

/**
 * Guidance for a document frame.
 *
 * @example
 * const { guidance, good } = documentGuidance({ quad, fill, quality, faces, aspect: 1.586, requirePortrait: true });
 */
export function documentGuidance(frame: DocumentFrame): GuidanceDecision {
  const { quad, quality } = frame;
  if (!quad) {
    // Nothing found in the dark (or glare over everything) is not fixed by searching.
    if (quality.brightness < DOCUMENT_TOO_DARK) return decide('too_dark');
    if (quality.brightness > DOCUMENT_TOO_BRIGHT) return decide('too_bright');
    return decide('searching');
  }
  const fill = (frame.fill * (frame.aspect ?? ID1_ASPECT)) / ID1_ASPECT;
  if (fill < MIN_DOCUMENT_FILL) return decide('move_closer');
  if (fill > MAX_DOCUMENT_FILL || touchesFrameEdge(quad)) return decide('move_back');
  if (quality.brightness < DOCUMENT_TOO_DARK) return decide('too_dark');
  if (quality.brightness > DOCUMENT_TOO_BRIGHT) return decide('too_bright');
  if (quality.sharpness < DOCUMENT_MIN_SHARPNESS) return decide('blurry');
  if (quality.motion > MAX_MOTION) return decide('hold_still');
  if (quality.glare > MAX_GLARE) return decide('glare');
  if (frame.requirePortrait && !frame.faces.some((face) => face.score >= MIN_FACE_SCORE && isInside(faceCentre(face), quad))) {
    return decide('no_portrait');
  }
  return decide('good');
}

/**
 * Guidance for a selfie frame.
 *
 * @example
 * const { guidance, good } = selfieGuidance({ faces, quality, frameAspect: width / height });
 */
export function selfieGuidance(frame: SelfieFrame): GuidanceDecision {
  const { quality } = frame;
  const faces = frame.faces.filter((face) => face.score >= MIN_FACE_SCORE);
  if (faces.length === 0) {
    // A face the detector cannot see in the dark or against a bright window: say why.
    if (quality.brightness < SELFIE_TOO_DARK) return decide('too_dark');
    if (quality.brightness > SELFIE_TOO_BRIGHT) return decide('too_bright');
    return decide('no_face');
  }
  if (faces.length > 1) return decide('several_faces');
  const face = faces[0]!;
  if (face.width < MIN_FACE_WIDTH) return decide('face_closer');
  const centre = faceCentre(face);
  if (Math.abs(centre.x - 0.5) > MAX_FACE_OFFSET_X || Math.abs(centre.y - 0.5) > MAX_FACE_OFFSET_Y) return decide('face_centre');
  if (eyeTiltDegrees(face, frame.frameAspect ?? 4 / 3) > MAX_EYE_TILT_DEGREES) return decide('face_level');
  if (quality.brightness < SELFIE_TOO_DARK) return decide('too_dark');
  if (quality.brightness > SELFIE_TOO_BRIGHT) return decide('too_bright');
  if (quality.sharpness < SELFIE_MIN_SHARPNESS) return decide('blurry');
  if (quality.motion > MAX_MOTION) return decide('hold_still');
  return decide('good');
}

function decide(guidance: Guidance): GuidanceDecision {
  return { guidance, good: guidance === 'good' };
}

function touchesFrameEdge(quad: Quad): boolean {
  return quad.some((p) => p.x < FRAME_EDGE_MARGIN || p.y < FRAME_EDGE_MARGIN || p.x > 1 - FRAME_EDGE_MARGIN || p.y > 1 - FRAME_EDGE_MARGIN);
}

function faceCentre(face: FaceBox): Point {
  return { x: face.x + face.width / 2, y: face.y + face.height / 2 };
}

/** Inside a convex quad, in either winding: the point is on the same side of all four edges. */
function isInside(point: Point, quad: Quad): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const a = quad[k]!;
    const b = quad[(k + 1) % 4]!;
    const cross = (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x);
    if (cross === 0) continue;
    const side = cross > 0 ? 1 : -1;
    if (sign === 0) sign = side;
    else if (side !== sign) return false;
  }
  return true;
}

/** Angle of the line through the eyes against the horizontal, in degrees (0 without both eye keypoints). */
function eyeTiltDegrees(face: FaceBox, frameAspect: number): number {
  const [rightEye, leftEye] = face.keypoints;
  if (!rightEye || !leftEye) return 0;
  // Keypoints are fractions of width and height: back to the same unit before taking the angle.
  const dx = Math.abs(leftEye.x - rightEye.x) * frameAspect;
  const dy = Math.abs(leftEye.y - rightEye.y);
  return (Math.atan2(dy, dx) * 180) / Math.PI;
}
