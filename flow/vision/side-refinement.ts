/**
 * Sub-pixel corners: each side of a coarse quadrilateral is re-measured on the full-resolution
 * image and neighbouring sides are intersected. Across the side, at a few dozen places, the two
 * strongest colour (or luma) steps within the search radius are located to a fraction of a pixel;
 * the side is the straight line through the most of those places (every pair of places far apart
 * proposes one), refitted by least squares. A straight edge is found at nearly every place, while
 * print beside it (a header's lettering, the MRZ) and clutter beside it (a line running past a
 * corner) come and go, even where they are the stronger step. The corners themselves are never
 * looked at: ID-1 corners are rounded, and the crossing of the straight sides is the corner a
 * perspective crop needs.
 */
import { findSteps, MAX_STEP_RADIUS, stepOffsets, STEPS_PER_SAMPLE, type StepSource } from './edge-steps.js';
import type { GrayImage, RgbaImage } from './gray-image.js';

// Samples go along the middle 80% of each side, away from the rounded corners.
const SIDE_START = 0.1;
const SIDE_END = 0.9;
const MIN_SAMPLES = 12;
const MAX_SAMPLES = 32;
// A sample agrees with a proposed side when one of its steps lies this close (pixels).
const INLIER_DISTANCE = 0.75;
// Proposals are lines through two samples at least this share of the side apart (a steady angle).
const MIN_PAIR_SPAN = 1 / 3;
// Fewer agreeing samples than this share, and the coarse side is kept.
const MIN_AGREEING_SHARE = 0.4;

const MAX_CANDIDATES = MAX_SAMPLES * STEPS_PER_SAMPLE;
const candidateX = new Float64Array(MAX_CANDIDATES);
const candidateY = new Float64Array(MAX_CANDIDATES);
const candidateSample = new Int32Array(MAX_CANDIDATES);
const pointsX = new Float64Array(MAX_SAMPLES);
const pointsY = new Float64Array(MAX_SAMPLES);
// Per side: normalX, normalY, offset.
const sideLines = new Float64Array(12);

/**
 * Moves `corners` (x0, y0 … x3, y3 in pixels of `gray`, in boundary order) onto the edges within
 * `radius` pixels of each side, measured in colour when `rgba` (the same frame, any size) is
 * given. Returns the share of samples that agree with the refined sides (0..1).
 */
export function refineCorners(gray: GrayImage, corners: Float64Array, radius: number, rgba?: RgbaImage | null): number {
  const source: StepSource = { gray, rgba: rgba ?? null, scale: rgba ? rgba.width / gray.width : 1 };
  const r = Math.min(MAX_STEP_RADIUS, Math.max(1, Math.round(radius)));
  let agreeing = 0;
  let tried = 0;
  for (let side = 0; side < 4; side++) {
    const a = 2 * side;
    const b = 2 * ((side + 1) % 4);
    const ax = corners[a]!;
    const ay = corners[a + 1]!;
    const bx = corners[b]!;
    const by = corners[b + 1]!;
    const length = Math.hypot(bx - ax, by - ay);
    const samples = Math.max(MIN_SAMPLES, Math.min(MAX_SAMPLES, Math.round(length / 8)));
    const unitX = (bx - ax) / length;
    const unitY = (by - ay) / length;
    const normalX = -unitY;
    const normalY = unitX;
    let candidates = 0;
    for (let k = 0; k < samples; k++) {
      const f = SIDE_START + ((SIDE_END - SIDE_START) * (k + 0.5)) / samples;
      const px = ax + f * (bx - ax);
      const py = ay + f * (by - ay);
      const found = findSteps(source, px, py, normalX, normalY, unitX, unitY, r);
      for (let c = 0; c < found; c++) {
        const offset = stepOffsets[c]!;
        candidateX[candidates] = px + offset * normalX;
        candidateY[candidates] = py + offset * normalY;
        candidateSample[candidates] = k;
        candidates++;
      }
    }
    tried += samples;
    const line = 3 * side;
    const agreed = fitByConsensus(candidates, samples, line, (ax + bx) / 2, (ay + by) / 2);
    if (agreed < MIN_AGREEING_SHARE * samples) {
      // Keep the coarse side.
      sideLines[line] = normalX;
      sideLines[line + 1] = normalY;
      sideLines[line + 2] = normalX * ax + normalY * ay;
    } else {
      agreeing += agreed;
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
  return tried === 0 ? 0 : agreeing / tried;
}

/**
 * The line through the most samples' candidates (ties: the one nearer the coarse side's middle),
 * refitted by total least squares to the agreeing candidate of each sample, into
 * sideLines[at..at+3). Returns how many samples agree (0 when none could be proposed).
 */
function fitByConsensus(candidates: number, samples: number, at: number, middleX: number, middleY: number): number {
  const span = Math.ceil(MIN_PAIR_SPAN * samples);
  let bestAgreeing = 0;
  let bestDistance = Infinity;
  let bestNormalX = 0;
  let bestNormalY = 0;
  let bestOffset = 0;
  for (let p = 0; p < candidates; p++) {
    for (let q = p + 1; q < candidates; q++) {
      if (candidateSample[q]! - candidateSample[p]! < span) continue;
      const dx = candidateX[q]! - candidateX[p]!;
      const dy = candidateY[q]! - candidateY[p]!;
      const length = Math.hypot(dx, dy);
      const normalX = -dy / length;
      const normalY = dx / length;
      const offset = normalX * candidateX[p]! + normalY * candidateY[p]!;
      const agreeing = countAgreeing(candidates, normalX, normalY, offset);
      if (agreeing < bestAgreeing) continue;
      const distance = Math.abs(normalX * middleX + normalY * middleY - offset);
      if (agreeing === bestAgreeing && distance >= bestDistance) continue;
      bestAgreeing = agreeing;
      bestDistance = distance;
      bestNormalX = normalX;
      bestNormalY = normalY;
      bestOffset = offset;
    }
  }
  if (bestAgreeing === 0) return 0;
  // Twice: least squares on the agreeing points, then on those agreeing with that fit.
  for (let round = 0; round < 2; round++) {
    const n = collectAgreeing(candidates, bestNormalX, bestNormalY, bestOffset);
    if (n < 3 || !fitLine(n, at)) return round === 0 ? 0 : bestAgreeing;
    bestNormalX = sideLines[at]!;
    bestNormalY = sideLines[at + 1]!;
    bestOffset = sideLines[at + 2]!;
  }
  return bestAgreeing;
}

/** Samples with a candidate within INLIER_DISTANCE of the line (candidates are grouped by sample). */
function countAgreeing(candidates: number, normalX: number, normalY: number, offset: number): number {
  let count = 0;
  let lastSample = -1;
  for (let c = 0; c < candidates; c++) {
    const k = candidateSample[c]!;
    if (k === lastSample) continue;
    const distance = normalX * candidateX[c]! + normalY * candidateY[c]! - offset;
    if (distance <= INLIER_DISTANCE && distance >= -INLIER_DISTANCE) {
      count++;
      lastSample = k;
    }
  }
  return count;
}

/** Per sample, its candidate nearest the line if within INLIER_DISTANCE, into pointsX/Y; returns how many. */
function collectAgreeing(candidates: number, normalX: number, normalY: number, offset: number): number {
  let n = 0;
  let c = 0;
  while (c < candidates) {
    const k = candidateSample[c]!;
    let nearest = -1;
    let nearestDistance = INLIER_DISTANCE;
    for (; c < candidates && candidateSample[c] === k; c++) {
      const distance = Math.abs(normalX * candidateX[c]! + normalY * candidateY[c]! - offset);
      if (distance <= nearestDistance) {
        nearestDistance = distance;
        nearest = c;
      }
    }
    if (nearest < 0) continue;
    pointsX[n] = candidateX[nearest]!;
    pointsY[n] = candidateY[nearest]!;
    n++;
  }
  return n;
}

/** Total least squares over pointsX/Y[0..n) into sideLines[at..at+3). */
function fitLine(n: number, at: number): boolean {
  let sumX = 0;
  let sumY = 0;
  for (let k = 0; k < n; k++) {
    sumX += pointsX[k]!;
    sumY += pointsY[k]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let k = 0; k < n; k++) {
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
  return n >= 2;
}
