/**
 * Fits a line found by the Hough transform (whole degrees, whole pixels) to its own edge pixels:
 * the longest unbroken stretch of them, a fine alignment (the angle and offset with the most
 * pixels close by), then total least squares on the pixels that agree. Also where a line crosses
 * the image, which the walks along it need.
 */
import { NO_EDGE, orientationDistance, type EdgeMap } from './edge-map.js';
import type { DetectedLine } from './line-detection.js';

// A pixel counts for a line when its orientation is this close: looser than the vote, because the
// walk also serves blurred and perspective-curved (lens) sides.
export const WALK_ORIENTATION_TOLERANCE = 12;
// Distance from the Hough line within which the refit gathers pixels (1° bins leave ≤ 1.5 px at the ends of a side).
const REFIT_BAND = 3;
// The fine alignment: angles within FINE_STEPS × FINE_STEP_DEGREES of the Hough bin's, and the
// distance (pixels) within which a pixel is on the line: NMS leaves an edge's pixels up to half a
// pixel either side of it, and a coarse pixel's worth of slack covers slight lens curvature.
const FINE_STEPS = 6;
const FINE_STEP_DEGREES = 0.25;
const INLIER_DISTANCE = 0.75;
// Steps without an edge that still leave a stretch of line unbroken (noise and print nicks in an edge).
const MAX_RUN_GAP = 6;

// The edge pixels of a line walk, and where each step's begin, for the refit of the best stretch.
let stepStart = new Int32Array(0);
let pixelX = new Float64Array(0);
let pixelY = new Float64Array(0);
let pixelWeight = new Float64Array(0);
const fineHistogram = new Int32Array(64);

/**
 * Refits the line to the edge pixels within `band` of it that share its orientation, along the
 * stretch of the line with the most of them (gaps up to MAX_RUN_GAP): a card's side is one
 * continuous stretch, and clutter on its extension, far from the card, would otherwise tilt it.
 * Then a fine alignment and total least squares on the pixels it agrees with.
 */
export function refitLine(edges: EdgeMap, line: DetectedLine, band = REFIT_BAND): boolean {
  const { width, height, orientation } = edges;
  if (!clipToImage(line, width, height)) return false;
  const capacity = line.steps * (2 * band + 1);
  if (stepStart.length < line.steps + 1) stepStart = new Int32Array(line.steps + 1);
  if (pixelX.length < capacity) {
    pixelX = new Float64Array(capacity);
    pixelY = new Float64Array(capacity);
    pixelWeight = new Float64Array(capacity);
  }
  const dirX = -line.normalY;
  const dirY = line.normalX;
  let bestFrom = 0;
  let bestTo = -1;
  let bestPixels = 0;
  let runFrom = 0;
  let lastCovered = -Infinity;
  let found = 0;
  for (let t = 0; t < line.steps; t++) {
    stepStart[t] = found;
    const baseX = line.startX + t * dirX;
    const baseY = line.startY + t * dirY;
    for (let s = -band; s <= band; s++) {
      const x = roundPixel(baseX + s * line.normalX);
      const y = roundPixel(baseY + s * line.normalY);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const own = orientation[y * width + x]!;
      if (own === NO_EDGE || orientationDistance(own, line.degrees) > WALK_ORIENTATION_TOLERANCE) continue;
      pixelX[found] = x + edges.subX[y * width + x]!;
      pixelY[found] = y + edges.subY[y * width + x]!;
      found++;
    }
    if (found === stepStart[t]) continue;
    if (t - lastCovered > MAX_RUN_GAP) runFrom = t;
    lastCovered = t;
    const runPixels = found - stepStart[runFrom]!;
    if (runPixels > bestPixels) {
      bestPixels = runPixels;
      bestFrom = runFrom;
      bestTo = t;
    }
  }
  stepStart[line.steps] = found;
  if (bestPixels < 3) return false;
  const from = stepStart[bestFrom]!;
  const to = stepStart[bestTo + 1]!;
  if (!alignFinely(line, from, to, band)) return false;
  // Least squares on the pixels the fine alignment agrees with, then once more without the ones
  // that disagree with the result.
  for (let iteration = 0; iteration < 2; iteration++) {
    for (let k = from; k < to; k++) {
      const residual = line.normalX * pixelX[k]! + line.normalY * pixelY[k]! - line.offset;
      pixelWeight[k] = residual <= INLIER_DISTANCE && residual >= -INLIER_DISTANCE ? 1 : 0;
    }
    if (!fitWeighted(line, from, to)) return false;
  }
  let degrees = Math.round((Math.atan2(line.normalY, line.normalX) * 180) / Math.PI);
  if (degrees < 0) degrees += 180;
  if (degrees >= 180) degrees -= 180;
  line.degrees = degrees;
  return clipToImage(line, width, height);
}

/**
 * A fine Hough transform over one line's pixels: ±1.5° in quarter degrees, offsets in half
 * pixels; the line moves to the angle and offset with the most pixels within INLIER_DISTANCE.
 * Where an edge runs on from the card's corner a pixel or two off its side, this picks the side
 * (more pixels), where least squares would split the difference.
 */
function alignFinely(line: DetectedLine, from: number, to: number, band: number): boolean {
  const base = Math.atan2(line.normalY, line.normalX);
  const binsPerPixel = 2;
  const low = line.offset - band - 2;
  const bins = Math.ceil((2 * band + 4) * binsPerPixel) + 1;
  const window = Math.round(2 * INLIER_DISTANCE * binsPerPixel);
  let bestCount = -1;
  let bestAngle = base;
  let bestOffset = line.offset;
  for (let a = -FINE_STEPS; a <= FINE_STEPS; a++) {
    const angle = base + (a * FINE_STEP_DEGREES * Math.PI) / 180;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    fineHistogram.fill(0, 0, bins);
    for (let k = from; k < to; k++) {
      const bin = Math.floor((cos * pixelX[k]! + sin * pixelY[k]! - low) * binsPerPixel);
      if (bin >= 0 && bin < bins) fineHistogram[bin]!++;
    }
    let count = 0;
    for (let b = 0; b < bins; b++) {
      count += fineHistogram[b]!;
      if (b >= window) count -= fineHistogram[b - window]!;
      if (count > bestCount) {
        bestCount = count;
        bestAngle = angle;
        bestOffset = low + (b + 1 - window / 2) / binsPerPixel;
      }
    }
  }
  if (bestCount < 3) return false;
  line.normalX = Math.cos(bestAngle);
  line.normalY = Math.sin(bestAngle);
  line.offset = bestOffset;
  return true;
}

/** Weighted total least squares over pixels [from, to): sets the line's normal (same sense as before) and offset. */
function fitWeighted(line: DetectedLine, from: number, to: number): boolean {
  let total = 0;
  let sumX = 0;
  let sumY = 0;
  for (let k = from; k < to; k++) {
    const w = pixelWeight[k]!;
    total += w;
    sumX += w * pixelX[k]!;
    sumY += w * pixelY[k]!;
  }
  if (total < 3) return false;
  const meanX = sumX / total;
  const meanY = sumY / total;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let k = from; k < to; k++) {
    const w = pixelWeight[k]!;
    const dx = pixelX[k]! - meanX;
    const dy = pixelY[k]! - meanY;
    xx += w * dx * dx;
    xy += w * dx * dy;
    yy += w * dy * dy;
  }
  // The principal direction of the pixels is the line's; its normal is a quarter turn away.
  const along = 0.5 * Math.atan2(2 * xy, xx - yy);
  let normalX = -Math.sin(along);
  let normalY = Math.cos(along);
  if (normalX * line.normalX + normalY * line.normalY < 0) {
    normalX = -normalX;
    normalY = -normalY;
  }
  line.normalX = normalX;
  line.normalY = normalY;
  line.offset = normalX * meanX + normalY * meanY;
  return true;
}

/**
 * Where the line enters and leaves the image: sets startX/startY/steps. False when it misses.
 * The walk direction is (-normalY, normalX).
 */
export function clipToImage(line: DetectedLine, width: number, height: number): boolean {
  const dirX = -line.normalY;
  const dirY = line.normalX;
  const footX = line.normalX * line.offset;
  const footY = line.normalY * line.offset;
  let low = -Infinity;
  let high = Infinity;
  if (Math.abs(dirX) > 1e-9) {
    const a = (0 - footX) / dirX;
    const b = (width - 1 - footX) / dirX;
    low = Math.max(low, Math.min(a, b));
    high = Math.min(high, Math.max(a, b));
  } else if (footX < 0 || footX > width - 1) return false;
  if (Math.abs(dirY) > 1e-9) {
    const a = (0 - footY) / dirY;
    const b = (height - 1 - footY) / dirY;
    low = Math.max(low, Math.min(a, b));
    high = Math.min(high, Math.max(a, b));
  } else if (footY < 0 || footY > height - 1) return false;
  if (!(high > low)) return false;
  line.startX = footX + low * dirX;
  line.startY = footY + low * dirY;
  line.steps = Math.floor(high - low) + 1;
  return true;
}

/**
 * Nearest integer, without Math.round's call. Coordinates just outside the image (−1.5 … −0.5)
 * land on the border pixel, which never holds an edge: Sobel leaves a one-pixel frame.
 */
export function roundPixel(value: number): number {
  return (value + 0.5) | 0;
}
