/**
 * Straight lines in an edge map: the strongest Hough peaks, each refitted to its own pixels (the
 * longest unbroken stretch, finely aligned, then least squares), and, per line, which stretches
 * of it really have edges (a prefix sum, so any segment's support is two lookups).
 */
import { NO_EDGE, orientationDistance, type EdgeMap } from './edge-map.js';
import { COS_DEGREES, findHoughPeaks, SIN_DEGREES } from './hough-peaks.js';
import { clipToImage, refitLine, roundPixel, WALK_ORIENTATION_TOLERANCE } from './line-refit.js';

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

// Two lines closer than this (degrees and pixels) are one edge found twice; the stronger is kept.
const DUPLICATE_DEGREES = 3;
const DUPLICATE_PIXELS = 3;

let coverageBuffer = new Uint16Array(0);
const linePool: DetectedLine[] = [];

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
    if (!refitLine(edges, line)) continue;
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
