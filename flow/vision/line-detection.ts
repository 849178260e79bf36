/**
 * Straight lines in an edge map: the strongest Hough peaks, each refitted to its own pixels (the
 * longest unbroken stretch, finely aligned, then least squares), and, per line, which stretches
 * of it really have edges (a prefix sum, so any segment's support is two lookups).
 */
import { NO_EDGE, orientationDistance, type EdgeMap } from './edge-map.js';
import { COS_DEGREES, findHoughPeaks, SIN_DEGREES } from './hough-peaks.js';

/** A line `normalX·x + normalY·y = offset` in edge-map pixels, with where along it edges were seen. */
export interface DetectedLine {
  normalX: number;
  normalY: number;
  offset: number;
  /** Orientation of the normal in degrees modulo 180, as in the edge map. */
  degrees: number;
  /** The walk along the line starts here and steps by (-normalY, normalX), one pixel a step. */
  startX: number;
  startY: number;
  steps: number;
  /** `coverage[coverageStart + k]` = how many of the first k steps had an edge beside them. */
  coverage: Uint16Array;
  coverageStart: number;
}

/** How many lines go on to the quadrilateral search: the card's four sides plus clutter and the card's own print. */
export const MAX_LINES = 64;

// A pixel counts for a line when its orientation is this close: looser than the vote, because the
// walk also serves blurred and perspective-curved (lens) sides.
const WALK_ORIENTATION_TOLERANCE = 12;
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
// Two lines closer than this (degrees and pixels) are one edge found twice; the stronger is kept.
const DUPLICATE_DEGREES = 3;
const DUPLICATE_PIXELS = 3;

let coverageBuffer = new Uint16Array(0);
const linePool: DetectedLine[] = [];
// The edge pixels of a line walk, and where each step's begin, for the refit of the best stretch.
let stepStart = new Int32Array(0);
let pixelX = new Float64Array(0);
let pixelY = new Float64Array(0);
let pixelWeight = new Float64Array(0);
const fineHistogram = new Int32Array(64);

/**
 * The strongest straight lines of `edges` with at least `minVotes` pixels, strongest first. The
 * returned objects are reused by the next call.
 */
export function detectLines(edges: EdgeMap, minVotes: number): DetectedLine[] {
  const { width, height } = edges;
  const centreX = (width - 1) / 2;
  const centreY = (height - 1) / 2;
  const peaks = findHoughPeaks(edges, minVotes, MAX_LINES * 2);

  const maxSteps = Math.ceil(Math.hypot(width, height)) + 2;
  if (coverageBuffer.length < MAX_LINES * (maxSteps + 1)) coverageBuffer = new Uint16Array(MAX_LINES * (maxSteps + 1));
  const lines: DetectedLine[] = [];
  for (let p = 0; p < peaks.count && lines.length < MAX_LINES; p++) {
    const degrees = peaks.degrees[p]!;
    const rho = peaks.rho[p]!;
    const line = linePool[lines.length] ?? (linePool[lines.length] = blankLine());
    const normalX = COS_DEGREES[degrees]!;
    const normalY = SIN_DEGREES[degrees]!;
    line.normalX = normalX;
    line.normalY = normalY;
    line.offset = rho + normalX * centreX + normalY * centreY;
    line.degrees = degrees;
    // Most weaker peaks are a stronger line's neighbours in Hough space: skip them before the walk.
    if (!clipToImage(line, width, height) || isDuplicate(line, lines)) continue;
    if (!refit(edges, line, REFIT_BAND)) continue;
    if (isDuplicate(line, lines)) continue;
    line.coverage = coverageBuffer;
    line.coverageStart = lines.length * (maxSteps + 1);
    measureCoverage(edges, line);
    lines.push(line);
  }
  return lines;
}

function blankLine(): DetectedLine {
  return { normalX: 1, normalY: 0, offset: 0, degrees: 0, startX: 0, startY: 0, steps: 0, coverage: coverageBuffer, coverageStart: 0 };
}

/**
 * Where the line enters and leaves the image: sets startX/startY/steps. False when it misses.
 * The walk direction is (-normalY, normalX).
 */
function clipToImage(line: DetectedLine, width: number, height: number): boolean {
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
 * Refits the line to the edge pixels within `band` of it that share its orientation, along the
 * stretch of the line with the most of them (gaps up to MAX_RUN_GAP): a card's side is one
 * continuous stretch, and clutter on its extension, far from the card, would otherwise tilt it.
 * Then a fine alignment and total least squares on the pixels it agrees with.
 */
function refit(edges: EdgeMap, line: DetectedLine, band: number): boolean {
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

function isDuplicate(line: DetectedLine, kept: DetectedLine[]): boolean {
  for (const other of kept) {
    if (orientationDistance(line.degrees, other.degrees) > DUPLICATE_DEGREES) continue;
    // Compare where the two lines pass near this one's middle.
    const middleX = line.startX + (-line.normalY * line.steps) / 2;
    const middleY = line.startY + (line.normalX * line.steps) / 2;
    if (Math.abs(other.normalX * middleX + other.normalY * middleY - other.offset) <= DUPLICATE_PIXELS) return true;
  }
  return false;
}

/** Fills the line's prefix sums: a step is covered when an edge of its orientation lies within a pixel. */
function measureCoverage(edges: EdgeMap, line: DetectedLine): void {
  const { width, height, orientation } = edges;
  const coverage = line.coverage;
  const start = line.coverageStart;
  const dirX = -line.normalY;
  const dirY = line.normalX;
  coverage[start] = 0;
  let covered = 0;
  for (let t = 0; t < line.steps; t++) {
    const baseX = line.startX + t * dirX;
    const baseY = line.startY + t * dirY;
    for (let s = -1; s <= 1; s++) {
      const x = roundPixel(baseX + s * line.normalX);
      const y = roundPixel(baseY + s * line.normalY);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const own = orientation[y * width + x]!;
      if (own !== NO_EDGE && orientationDistance(own, line.degrees) <= WALK_ORIENTATION_TOLERANCE) {
        covered++;
        break;
      }
    }
    coverage[start + t + 1] = covered;
  }
}

/**
 * Share of the stretch of `line` from (ax, ay) to (bx, by) with an edge beside it (within a
 * pixel) whose orientation is within `toleranceDegrees` of the line's exact angle. Stricter than
 * the coverage: it tells an edge that runs straight on from texture lying roughly along the line
 * (wood grain a few degrees off a card's side). Points outside the image count as without.
 */
export function stretchSupport(edges: EdgeMap, line: DetectedLine, ax: number, ay: number, bx: number, by: number, toleranceDegrees: number): number {
  const { width, height, orientation } = edges;
  let angle = (Math.atan2(line.normalY, line.normalX) * 180) / Math.PI;
  if (angle < 0) angle += 180;
  const length = Math.hypot(bx - ax, by - ay);
  const steps = Math.max(1, Math.round(length));
  let covered = 0;
  for (let k = 0; k < steps; k++) {
    const f = (k + 0.5) / steps;
    const baseX = ax + f * (bx - ax);
    const baseY = ay + f * (by - ay);
    for (let s = -1; s <= 1; s++) {
      const x = roundPixel(baseX + s * line.normalX);
      const y = roundPixel(baseY + s * line.normalY);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const own = orientation[y * width + x]!;
      if (own !== NO_EDGE && orientationDistance(own, angle) <= toleranceDegrees) {
        covered++;
        break;
      }
    }
  }
  return covered / steps;
}

/**
 * Nearest integer, without Math.round's call. Coordinates just outside the image (−1.5 … −0.5)
 * land on the border pixel, which never holds an edge: Sobel leaves a one-pixel frame.
 */
function roundPixel(value: number): number {
  return (value + 0.5) | 0;
}

/**
 * Share of the segment of `line` between two points that has edges beside it, ignoring `trim` of
 * its length at each end (a card's rounded corners, a shadow at a corner). Points outside the
 * image count as unsupported.
 */
export function segmentSupport(line: DetectedLine, ax: number, ay: number, bx: number, by: number, trim: number): number {
  const dirX = -line.normalY;
  const dirY = line.normalX;
  let ta = (ax - line.startX) * dirX + (ay - line.startY) * dirY;
  let tb = (bx - line.startX) * dirX + (by - line.startY) * dirY;
  if (ta > tb) {
    const swap = ta;
    ta = tb;
    tb = swap;
  }
  const margin = (tb - ta) * trim;
  const from = ta + margin;
  const to = tb - margin;
  const expected = to - from;
  if (expected < 1) return 0;
  const low = Math.max(0, Math.min(line.steps, Math.round(from)));
  const high = Math.max(0, Math.min(line.steps, Math.round(to)));
  const coverage = line.coverage;
  return (coverage[line.coverageStart + high]! - coverage[line.coverageStart + low]!) / expected;
}
