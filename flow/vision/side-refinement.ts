/**
 * Sub-pixel corners: each side of a coarse quadrilateral is re-measured on the full-resolution
 * image (the strongest luma step across the side at a few dozen places, located to a fraction of a
 * pixel), refitted as a straight line without its outliers, and neighbouring sides are intersected.
 * The corners themselves are never looked at: ID-1 corners are rounded, and the crossing of the
 * straight sides is the corner a perspective crop needs.
 */
import type { GrayImage, RgbaImage } from './gray-image.js';

// Samples go along the middle 80% of each side, away from the rounded corners.
const SIDE_START = 0.1;
const SIDE_END = 0.9;
const MIN_SAMPLES = 12;
const MAX_SAMPLES = 48;
// A step smaller than this (grey levels across two pixels) is noise, not the card's edge.
const MIN_STEP = 6;
// Points farther than this from the first fit (pixels, or 2.5× the median distance if larger) are
// print or clutter beside the edge and are dropped before the final fit.
const MIN_OUTLIER_DISTANCE = 0.75;
const MIN_KEPT_SHARE = 0.5;

const MAX_RADIUS = 24;
const profile = new Float64Array(2 * MAX_RADIUS + 3);
const profileBlue = new Float64Array(2 * MAX_RADIUS + 3);
const profileRed = new Float64Array(2 * MAX_RADIUS + 3);
const pointsX = new Float64Array(MAX_SAMPLES);
const pointsY = new Float64Array(MAX_SAMPLES);
const distances = new Float64Array(MAX_SAMPLES);
const sorted = new Float64Array(MAX_SAMPLES);
// Per side: normalX, normalY, offset.
const sideLines = new Float64Array(12);

/** What the profiles are read from: the frame's colour when given, else its luma. */
interface Sampled {
  gray: GrayImage;
  rgba: RgbaImage | null;
  /** rgba pixels per gray pixel. */
  scale: number;
}

/**
 * Moves `corners` (x0, y0 … x3, y3 in pixels of `gray`, in boundary order) onto the edges within
 * `radius` pixels of each side, measured in colour when `rgba` (the same frame, any size) is
 * given. Returns the share of samples that found an edge (0..1).
 */
export function refineCorners(gray: GrayImage, corners: Float64Array, radius: number, rgba?: RgbaImage | null): number {
  const image: Sampled = { gray, rgba: rgba ?? null, scale: rgba ? rgba.width / gray.width : 1 };
  const r = Math.min(MAX_RADIUS, Math.max(1, Math.round(radius)));
  let found = 0;
  let tried = 0;
  for (let side = 0; side < 4; side++) {
    const a = 2 * side;
    const b = 2 * ((side + 1) % 4);
    const ax = corners[a]!;
    const ay = corners[a + 1]!;
    const bx = corners[b]!;
    const by = corners[b + 1]!;
    const length = Math.hypot(bx - ax, by - ay);
    const samples = Math.max(MIN_SAMPLES, Math.min(MAX_SAMPLES, Math.round(length / 6)));
    const unitX = (bx - ax) / length;
    const unitY = (by - ay) / length;
    const normalX = -unitY;
    const normalY = unitX;
    let n = 0;
    for (let k = 0; k < samples; k++) {
      const f = SIDE_START + ((SIDE_END - SIDE_START) * (k + 0.5)) / samples;
      const px = ax + f * (bx - ax);
      const py = ay + f * (by - ay);
      const offset = strongestStep(image, px, py, normalX, normalY, unitX, unitY, r);
      if (Number.isNaN(offset)) continue;
      pointsX[n] = px + offset * normalX;
      pointsY[n] = py + offset * normalY;
      n++;
    }
    tried += samples;
    found += n;
    const line = 3 * side;
    if (!fitRobustly(n, line)) {
      // Keep the coarse side.
      sideLines[line] = normalX;
      sideLines[line + 1] = normalY;
      sideLines[line + 2] = normalX * ax + normalY * ay;
    }
  }
  for (let corner = 0; corner < 4; corner++) {
    const before = 3 * ((corner + 3) % 4);
    const after = 3 * corner;
    const n1x = sideLines[before]!;
    const n1y = sideLines[before + 1]!;
    const o1 = sideLines[before + 2]!;
    const n2x = sideLines[after]!;
    const n2y = sideLines[after + 1]!;
    const o2 = sideLines[after + 2]!;
    const det = n1x * n2y - n1y * n2x;
    if (Math.abs(det) < 1e-9) continue;
    corners[2 * corner] = (o1 * n2y - o2 * n1y) / det;
    corners[2 * corner + 1] = (n1x * o2 - n2x * o1) / det;
  }
  return tried === 0 ? 0 : found / tried;
}

/**
 * Offset along the normal (pixels, −r..r) of the strongest step across the side at (x, y), from a
 * profile averaged over three rows along the side; NaN when there is none. With colour, the step
 * is the distance in YCbCr, so a side between two colours of equal brightness is still seen.
 */
function strongestStep(image: Sampled, x: number, y: number, nx: number, ny: number, ux: number, uy: number, r: number): number {
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
  let bestIndex = -1;
  let bestStep = 3 * MIN_STEP;
  for (let i = 1; i <= 2 * r + 1; i++) {
    const step = stepAt(image, i);
    if (step > bestStep) {
      bestStep = step;
      bestIndex = i;
    }
  }
  // At the ends of the window the true maximum may lie outside it.
  if (bestIndex <= 1 || bestIndex >= 2 * r + 1) return NaN;
  const before = stepAt(image, bestIndex - 1);
  const after = stepAt(image, bestIndex + 1);
  const curvature = before - 2 * bestStep + after;
  const shift = curvature < 0 ? (0.5 * (before - after)) / curvature : 0;
  return bestIndex - r - 1 + Math.max(-0.5, Math.min(0.5, shift));
}

/** Size of the change across profile position i (from i − 1 to i + 1). */
function stepAt(image: Sampled, i: number): number {
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

/** Fits pointsX/Y[0..n) into sideLines[at..at+3), dropping outliers; false when too few points agree. */
function fitRobustly(n: number, at: number): boolean {
  if (n < MIN_SAMPLES / 2 || !fitLine(n, at, null, 0)) return false;
  const nx = sideLines[at]!;
  const ny = sideLines[at + 1]!;
  const offset = sideLines[at + 2]!;
  for (let k = 0; k < n; k++) {
    distances[k] = Math.abs(nx * pointsX[k]! + ny * pointsY[k]! - offset);
    sorted[k] = distances[k]!;
  }
  const median = sorted.subarray(0, n).sort()[n >> 1]!;
  const limit = Math.max(MIN_OUTLIER_DISTANCE, 2.5 * median);
  let kept = 0;
  for (let k = 0; k < n; k++) if (distances[k]! <= limit) kept++;
  if (kept < MIN_KEPT_SHARE * n) return false;
  return fitLine(n, at, distances, limit);
}

/** Total least squares over the points whose distance (when given) is within `limit`. */
function fitLine(n: number, at: number, distance: Float64Array | null, limit: number): boolean {
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  for (let k = 0; k < n; k++) {
    if (distance && distance[k]! > limit) continue;
    count++;
    sumX += pointsX[k]!;
    sumY += pointsY[k]!;
  }
  if (count < 3) return false;
  const meanX = sumX / count;
  const meanY = sumY / count;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let k = 0; k < n; k++) {
    if (distance && distance[k]! > limit) continue;
    const dx = pointsX[k]! - meanX;
    const dy = pointsY[k]! - meanY;
    xx += dx * dx;
    xy += dx * dy;
    yy += dy * dy;
  }
  const along = 0.5 * Math.atan2(2 * xy, xx - yy);
  const nx = -Math.sin(along);
  const ny = Math.cos(along);
  sideLines[at] = nx;
  sideLines[at + 1] = ny;
  sideLines[at + 2] = nx * meanX + ny * meanY;
  return true;
}
