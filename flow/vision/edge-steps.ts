/**
 * Steps across an edge: along a short profile perpendicular to a side (averaged over three rows
 * along it), where the colour or luma changes most, to a fraction of a pixel. With colour, a step
 * is the distance in YCbCr, so a side between two colours of equal brightness is still seen.
 */
import type { GrayImage, RgbaImage } from './gray-image.js';

/** Candidate steps kept per profile: a card's edge is nearly always among the two strongest. */
export const STEPS_PER_SAMPLE = 2;
/** Longest profile half-length, in pixels. */
export const MAX_STEP_RADIUS = 24;
// A step smaller than this (grey levels across two pixels) is noise, not the card's edge.
const MIN_STEP = 6;

const profile = new Float64Array(2 * MAX_STEP_RADIUS + 3);
const profileBlue = new Float64Array(2 * MAX_STEP_RADIUS + 3);
const profileRed = new Float64Array(2 * MAX_STEP_RADIUS + 3);
// The strongest steps of one profile: index and strength.
const topIndex = new Int32Array(STEPS_PER_SAMPLE);
const topStrength = new Float64Array(STEPS_PER_SAMPLE);
/** The last findSteps' steps: offsets along the normal in pixels, strongest first. */
export const stepOffsets = new Float64Array(STEPS_PER_SAMPLE);

/** What the profiles are read from: the frame's colour when given, else its luma. */
export interface StepSource {
  gray: GrayImage;
  rgba: RgbaImage | null;
  /** rgba pixels per gray pixel. */
  scale: number;
}

/**
 * The (up to) two strongest steps across a side at (x, y), whose normal is (nx, ny) and direction
 * (ux, uy): their offsets along the normal (−r..r, to a fraction of a pixel) go into
 * stepOffsets[0..n), strongest first; returns n.
 */
export function findSteps(image: StepSource, x: number, y: number, nx: number, ny: number, ux: number, uy: number, r: number): number {
  for (let s = -r - 1, i = 0; s <= r + 1; s++, i++) {
    const cx = x + s * nx;
    const cy = y + s * ny;
    if (image.rgba) {
      sampleColour(image.rgba, image.scale, cx - ux, cy - uy, i, 0);
      sampleColour(image.rgba, image.scale, cx, cy, i, 1);
      sampleColour(image.rgba, image.scale, cx + ux, cy + uy, i, 1);
    } else {
      profile[i] = sample(image.gray, cx - ux, cy - uy) + sample(image.gray, cx, cy) + sample(image.gray, cx + ux, cy + uy);
    }
  }
  let kept = 0;
  let previous = stepAt(image, 1);
  let current = stepAt(image, 2);
  // Local maxima strictly inside the window: at its ends the true peak may lie outside.
  for (let i = 2; i <= 2 * r; i++) {
    const next = stepAt(image, i + 1);
    if (current >= 3 * MIN_STEP && current > previous && current >= next) {
      let at = kept < STEPS_PER_SAMPLE ? kept++ : STEPS_PER_SAMPLE;
      while (at > 0 && topStrength[at - 1]! < current) {
        if (at < STEPS_PER_SAMPLE) {
          topStrength[at] = topStrength[at - 1]!;
          topIndex[at] = topIndex[at - 1]!;
        }
        at--;
      }
      if (at < STEPS_PER_SAMPLE) {
        topStrength[at] = current;
        topIndex[at] = i;
      }
    }
    previous = current;
    current = next;
  }
  // Each peak's sub-pixel offset: the vertex of the parabola through it and its neighbours.
  for (let c = 0; c < kept; c++) {
    const i = topIndex[c]!;
    const before = stepAt(image, i - 1);
    const peak = stepAt(image, i);
    const after = stepAt(image, i + 1);
    const curvature = before - 2 * peak + after;
    const shift = curvature < 0 ? (0.5 * (before - after)) / curvature : 0;
    stepOffsets[c] = i - r - 1 + Math.max(-0.5, Math.min(0.5, shift));
  }
  return kept;
}

/** Size of the change across profile position i (from i − 1 to i + 1). */
function stepAt(image: StepSource, i: number): number {
  const luma = profile[i + 1]! - profile[i - 1]!;
  if (!image.rgba) return luma < 0 ? -luma : luma;
  const blue = profileBlue[i + 1]! - profileBlue[i - 1]!;
  const red = profileRed[i + 1]! - profileRed[i - 1]!;
  return Math.sqrt(luma * luma + blue * blue + red * red);
}

/** Bilinear luma at (x, y), pixel centres at integer coordinates, clamped at the border. */
function sample(gray: GrayImage, x: number, y: number): number {
  const { width, height, data } = gray;
  const cx = x < 0 ? 0 : x > width - 1 ? width - 1 : x;
  const cy = y < 0 ? 0 : y > height - 1 ? height - 1 : y;
  const x0 = Math.min(width - 2, Math.floor(cx));
  const y0 = Math.min(height - 2, Math.floor(cy));
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * width + x0;
  const top = data[i]! + fx * (data[i + 1]! - data[i]!);
  const bottom = data[i + width]! + fx * (data[i + width + 1]! - data[i + width]!);
  return top + fy * (bottom - top);
}

/**
 * Adds (or with add = 0, sets) the bilinear Y, Cb, Cr of `rgba` at gray-image coordinates (x, y)
 * into profile position i. `scale` maps gray pixels to rgba pixels.
 */
function sampleColour(rgba: RgbaImage, scale: number, x: number, y: number, i: number, add: number): void {
  const { width, height, data } = rgba;
  const sx = (x + 0.5) * scale - 0.5;
  const sy = (y + 0.5) * scale - 0.5;
  const cx = sx < 0 ? 0 : sx > width - 1 ? width - 1 : sx;
  const cy = sy < 0 ? 0 : sy > height - 1 ? height - 1 : sy;
  const x0 = Math.min(width - 2, Math.floor(cx));
  const y0 = Math.min(height - 2, Math.floor(cy));
  const fx = cx - x0;
  const fy = cy - y0;
  const a = (y0 * width + x0) * 4;
  const b = a + 4;
  const c = a + width * 4;
  const d = c + 4;
  const wa = (1 - fx) * (1 - fy);
  const wb = fx * (1 - fy);
  const wc = (1 - fx) * fy;
  const wd = fx * fy;
  const red = wa * data[a]! + wb * data[b]! + wc * data[c]! + wd * data[d]!;
  const green = wa * data[a + 1]! + wb * data[b + 1]! + wc * data[c + 1]! + wd * data[d + 1]!;
  const blue = wa * data[a + 2]! + wb * data[b + 2]! + wc * data[c + 2]! + wd * data[d + 2]!;
  const luma = 0.299 * red + 0.587 * green + 0.114 * blue;
  profile[i] = add * profile[i]! + luma;
  profileBlue[i] = add * profileBlue[i]! + 0.564 * (blue - luma);
  profileRed[i] = add * profileRed[i]! + 0.713 * (red - luma);
}
