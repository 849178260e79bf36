/**
 * Picks the card among the detected lines: every two roughly parallel pairs that cross at roughly
 * right angles make a quadrilateral; it must be convex, inside the frame, have edges along most
 * of each side, and have the document's aspect once perspective is undone. The best is the one
 * with the most edge support, the right shape and (between nested rectangles such as the card and
 * its photo) the larger area.
 */
import { orientationDistance, type EdgeMap } from './edge-map.js';
import { segmentSupport, stretchSupport, type DetectedLine } from './line-detection.js';
import { hasLongSides, isConvex, orderClockwiseFromTopLeft, quadArea } from './quad-geometry.js';
import { rectangleAspect } from './rectangle-aspect.js';

export interface QuadSearch {
  /** The edge map the lines come from. */
  edges: EdgeMap;
  width: number;
  height: number;
  /** Expected width/height of the document held landscape (ID-1 ≈ 1.586, passport page ≈ 1.42). */
  aspect: number;
  /** Shortest side worth considering, in edge-map pixels. */
  minSide: number;
}

export interface QuadFound {
  /** Clockwise from the top left: x0, y0, x1, y1, x2, y2, x3, y3 in edge-map pixels. */
  corners: Float64Array;
  /** 0..1: how continuous the four sides are, and how cleanly they stop at the corners. */
  support: number;
  /** 0..1: support and shape agreement at the coarse scale. */
  score: number;
  rank: number;
}

/** How many of the best candidates are kept, for checks that are too costly to run on all of them. */
export const MAX_CANDIDATES = 3;

// Opposite sides of a card converge in perspective: 25° of tilt with a wide phone lens turns
// parallel sides up to about 20° apart.
const MAX_OPPOSITE_DEGREES = 30;
// Adjacent sides: 90° on the card, rarely below 65° in the image at the tilts we accept.
const MIN_ADJACENT_DEGREES = 55;
// Corners may sit this far outside the frame (pixels): a card edge on the frame border still counts.
const FRAME_MARGIN = 2;
// Ends of each side left out of the support count: the ID-1 corner radius is 3 mm of 85.6 (3.5%),
// plus the blur of a corner in a coarse image.
const SIDE_TRIM = 0.08;
// Each side must have edges along this share of its length, and the four together this much on
// average: a real card edge is almost continuous, a chance alignment of clutter is not.
const MIN_SIDE_SUPPORT = 0.45;
const MIN_MEAN_SUPPORT = 0.7;
/**
 * How far (as a ratio) the perspective-corrected aspect may stray from the expected one, with
 * corners measured to a fraction of a pixel. ID-1 and a passport page differ by 12%; the estimate
 * itself wanders by a few percent with the focal length it has to assume.
 */
export const ASPECT_TOLERANCE = 0.12;
// The same at the coarse scale, where a small card's corners are a pixel or two off (several
// percent of a 40-pixel side): looser, since the refined corners are checked again.
const COARSE_ASPECT_TOLERANCE = 0.2;

// A corner is checked over a stretch of each line 1.5 times as long as the shortest side we look
// for, after a gap of JUNCTION_GAP pixels; 40% of it must have edges. A rounded corner, blurred at
// the coarse scale, leaves the first 10–15 pixels of a large card's side without straight edges.
const JUNCTION_GAP = 4;
const JUNCTION_REACH_SIDES = 1.5;
const MIN_JUNCTION_SUPPORT = 0.4;

// Mean edge support of the eight stretches just beyond the corners, above which the "sides" are
// lines crossing each other rather than a card's edges. A card lying along a table's edge
// continues on one side (2 of 8 stretches): that must pass.
const MAX_CONTINUATION = 0.35;
// A stretch beyond a corner continues the side only with edges of the side's own orientation:
// the coarse scale measures a straight edge's direction to a few degrees, while texture lying
// roughly along it (wood grain, fabric) is often 5–10° off.
const CONTINUATION_TOLERANCE_DEGREES = 5;
// Below this score a quadrilateral is not worth showing: the cards in our synthetic scenes score
// 0.65–0.98, chance quadrilaterals in clutter (edges of different objects that happen to line up)
// 0.5–0.6, and at 0.55 about one cluttered scene in 60 still shows one.
export const MIN_SCORE = 0.55;

// A turned quadrilateral counts as a document on end only with a close fit (within about 9%):
// a sheet of A4 paper on end (1.414) must not pass for a turned ID-1 card (1.586).
const MIN_TURNED_FIT = 0.5;

const MAX_PAIRS = 1024;
const pairFirst = new Int32Array(MAX_PAIRS);
const pairSecond = new Int32Array(MAX_PAIRS);
const pairDegrees = new Float64Array(MAX_PAIRS);
const candidate = new Float64Array(8);
const ordered = new Float64Array(8);
const found: QuadFound[] = Array.from({ length: MAX_CANDIDATES }, () => ({ corners: new Float64Array(8), support: 0, score: 0, rank: 0 }));
const results: QuadFound[] = [];
const rotated = new Float64Array(8);
const turned = new Float64Array(8);
let turnedArea = 0;
let crossings = new Float64Array(0);
let junctions = new Uint8Array(0);

/**
 * The best document quadrilaterals among `lines`, best first (at most MAX_CANDIDATES, possibly
 * none). The returned objects are reused by the next call.
 */
export function findBestQuads(lines: DetectedLine[], search: QuadSearch): QuadFound[] {
  const count = lines.length;
  if (crossings.length < 2 * count * count) {
    crossings = new Float64Array(2 * count * count);
    junctions = new Uint8Array(count * count);
  }
  findJunctions(lines, search);
  const pairs = collectParallelPairs(lines, search.minSide);
  const frameArea = search.width * search.height;
  const reach = JUNCTION_REACH_SIDES * search.minSide;
  let kept = 0;
  turnedArea = 0;
  for (let p = 0; p < pairs; p++) {
    const i = pairFirst[p]!;
    const j = pairSecond[p]!;
    for (let q = p + 1; q < pairs; q++) {
      const k = pairFirst[q]!;
      const l = pairSecond[q]!;
      // Each corner must be a real junction: both lines have edges next to their crossing.
      if (!junctions[i * count + k] || !junctions[i * count + l] || !junctions[j * count + k] || !junctions[j * count + l]) continue;
      if (orientationDistance(pairDegrees[p]!, pairDegrees[q]!) < MIN_ADJACENT_DEGREES) continue;
      // Corners in boundary order: along i from its crossing with k to l, down l to j, back along j, up k.
      placeCorner(0, i, k, count);
      placeCorner(1, i, l, count);
      placeCorner(2, j, l, count);
      placeCorner(3, j, k, count);
      if (!isConvex(candidate) || !hasLongSides(candidate, search.minSide)) continue;
      const supportI = sideSupport(lines[i]!, 0, 1);
      const supportL = sideSupport(lines[l]!, 1, 2);
      const supportJ = sideSupport(lines[j]!, 2, 3);
      const supportK = sideSupport(lines[k]!, 3, 0);
      const minSupport = Math.min(supportI, supportL, supportJ, supportK);
      const meanSupport = Math.min(1, (supportI + supportL + supportJ + supportK) / 4);
      if (minSupport < MIN_SIDE_SUPPORT || meanSupport < MIN_MEAN_SUPPORT) continue;
      const continuation =
        (extensionSupport(search.edges, lines[i]!, 0, 1, reach) +
          extensionSupport(search.edges, lines[l]!, 1, 2, reach) +
          extensionSupport(search.edges, lines[j]!, 2, 3, reach) +
          extensionSupport(search.edges, lines[k]!, 3, 0, reach)) /
        8;
      if (continuation > MAX_CONTINUATION) continue;
      orderClockwiseFromTopLeft(candidate, ordered);
      const support = meanSupport * Math.sqrt(Math.min(1, minSupport)) * (1 - continuation);
      const fit = aspectFit(ordered, search, COARSE_ASPECT_TOLERANCE);
      if (fit <= 0) {
        noteIfTurned(support, search);
        continue;
      }
      const score = support * (0.5 + 0.5 * fit);
      if (score < MIN_SCORE) continue;
      // Area breaks near-ties in favour of the outer rectangle (the card rather than its photo or
      // the band under its header), but weakly, so a bigger clutter quad cannot outbid support.
      const rank = score * Math.sqrt(Math.sqrt(quadArea(ordered) / frameArea));
      kept = keep(rank, support, score, kept);
    }
  }
  results.length = 0;
  for (let k = 0; k < kept; k++) results.push(found[k]!);
  return results;
}

/**
 * The largest document found turned on end (its long side nearer vertical), in edge-map pixels
 * clockwise from the top left, or null; from the last findBestQuads call. Such a card is not
 * reported (the applicant is asked for landscape), but a card-shaped rectangle inside it (its
 * photo with the margin beside it) must not be reported in its place.
 */
export function turnedDocument(): Float64Array | null {
  return turnedArea > 0 ? turned : null;
}

/** Keeps `ordered` as the turned document when it has a document's shape on end and beats the last one's area. */
function noteIfTurned(support: number, search: QuadSearch): void {
  for (let k = 0; k < 8; k++) rotated[k] = ordered[(k + 2) % 8]!;
  const fit = aspectFit(rotated, search, COARSE_ASPECT_TOLERANCE);
  if (fit < MIN_TURNED_FIT || support * (0.5 + 0.5 * fit) < MIN_SCORE) return;
  const area = quadArea(ordered);
  if (area <= turnedArea) return;
  turnedArea = area;
  turned.set(ordered);
}

/** Inserts `ordered` into the ranked list if it beats the last kept; returns the new count. */
function keep(rank: number, support: number, score: number, kept: number): number {
  if (kept === MAX_CANDIDATES && rank <= found[kept - 1]!.rank) return kept;
  // Reuse the object falling off the end (or the next free one) for the newcomer.
  let at = kept < MAX_CANDIDATES ? kept++ : kept - 1;
  const slot = found[at]!;
  while (at > 0 && found[at - 1]!.rank < rank) {
    found[at] = found[at - 1]!;
    at--;
  }
  slot.corners.set(ordered);
  slot.support = support;
  slot.score = score;
  slot.rank = rank;
  found[at] = slot;
  return kept;
}

/**
 * How well the corrected aspect matches: 1 exact, 0 at `tolerance`, negative beyond. Landscape
 * only (the top side, corner 0 → 1, is the long one): the capture screen asks for the document
 * held landscape, and a portrait-shaped rectangle is most often part of a card (its photo and
 * header) rather than a card turned on end.
 */
export function aspectFit(corners: Float64Array, search: QuadSearch, tolerance = ASPECT_TOLERANCE): number {
  const aspect = rectangleAspect(corners, search.width, search.height);
  return 1 - Math.abs(Math.log(aspect / search.aspect)) / Math.log(1 + tolerance);
}

function collectParallelPairs(lines: DetectedLine[], minSide: number): number {
  let pairs = 0;
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i]!;
    for (let j = i + 1; j < lines.length && pairs < MAX_PAIRS; j++) {
      const b = lines[j]!;
      const apart = orientationDistance(a.degrees, b.degrees);
      if (apart > MAX_OPPOSITE_DEGREES) continue;
      // Distance between the two where a passes its own middle.
      const middleX = a.startX - (a.normalY * a.steps) / 2;
      const middleY = a.startY + (a.normalX * a.steps) / 2;
      if (Math.abs(b.normalX * middleX + b.normalY * middleY - b.offset) < minSide) continue;
      pairFirst[pairs] = i;
      pairSecond[pairs] = j;
      pairDegrees[pairs] = meanOrientation(a.degrees, b.degrees);
      pairs++;
    }
  }
  return pairs;
}

function meanOrientation(a: number, b: number): number {
  if (Math.abs(a - b) <= 90) return (a + b) / 2;
  const mean = (a + b + 180) / 2;
  return mean >= 180 ? mean - 180 : mean;
}

function intersect(a: DetectedLine, b: DetectedLine, out: Float64Array, at: number): void {
  const det = a.normalX * b.normalY - a.normalY * b.normalX;
  if (Math.abs(det) < 1e-6) {
    out[at] = NaN;
    out[at + 1] = NaN;
    return;
  }
  out[at] = (a.offset * b.normalY - b.offset * a.normalY) / det;
  out[at + 1] = (a.normalX * b.offset - b.normalX * a.offset) / det;
}

function placeCorner(index: number, a: number, b: number, count: number): void {
  candidate[2 * index] = crossings[2 * (a * count + b)]!;
  candidate[2 * index + 1] = crossings[2 * (a * count + b) + 1]!;
}

/**
 * Marks the line pairs that could be a corner: crossing inside the frame at a fair angle, each
 * with edges along a short stretch beside the crossing (on either side: a card's side leaves its
 * corner in one direction only). Most clutter lines cross without touching, and are skipped
 * before any quadrilateral is built from them.
 */
function findJunctions(lines: DetectedLine[], search: QuadSearch): void {
  const count = lines.length;
  const reach = JUNCTION_REACH_SIDES * search.minSide;
  for (let a = 0; a < count; a++) {
    for (let b = 0; b < count; b++) {
      const at = a * count + b;
      junctions[at] = 0;
      if (b < a) {
        junctions[at] = junctions[b * count + a]!;
        crossings[2 * at] = crossings[2 * (b * count + a)]!;
        crossings[2 * at + 1] = crossings[2 * (b * count + a) + 1]!;
        continue;
      }
      if (a === b || orientationDistance(lines[a]!.degrees, lines[b]!.degrees) < MIN_ADJACENT_DEGREES) continue;
      intersect(lines[a]!, lines[b]!, crossings, 2 * at);
      const x = crossings[2 * at]!;
      const y = crossings[2 * at + 1]!;
      if (!(x >= -FRAME_MARGIN && y >= -FRAME_MARGIN && x <= search.width - 1 + FRAME_MARGIN && y <= search.height - 1 + FRAME_MARGIN)) continue;
      if (hasEdgesBeside(lines[a]!, x, y, reach) && hasEdgesBeside(lines[b]!, x, y, reach)) junctions[at] = 1;
    }
  }
}

function hasEdgesBeside(line: DetectedLine, x: number, y: number, reach: number): boolean {
  const dirX = -line.normalY;
  const dirY = line.normalX;
  // Skip the first stretch: the corner is rounded, and blurred at the coarse scale.
  const near = JUNCTION_GAP;
  const before = segmentSupport(line, x - (near + reach) * dirX, y - (near + reach) * dirY, x - near * dirX, y - near * dirY, 0);
  if (before >= MIN_JUNCTION_SUPPORT) return true;
  return segmentSupport(line, x + near * dirX, y + near * dirY, x + (near + reach) * dirX, y + (near + reach) * dirY, 0) >= MIN_JUNCTION_SUPPORT;
}

function sideSupport(line: DetectedLine, from: number, to: number): number {
  return segmentSupport(line, candidate[2 * from]!, candidate[2 * from + 1]!, candidate[2 * to]!, candidate[2 * to + 1]!, SIDE_TRIM);
}

/**
 * Edge support of the two stretches of `line` beyond the side's corners `from` and `to`, summed
 * (0..2). A card's sides stop at its corners; lines that cross and run on (floor tiles, a window
 * frame, strokes on a page) make quadrilaterals with supported sides too, but not this.
 */
function extensionSupport(edges: EdgeMap, line: DetectedLine, from: number, to: number, reach: number): number {
  const ax = candidate[2 * from]!;
  const ay = candidate[2 * from + 1]!;
  const bx = candidate[2 * to]!;
  const by = candidate[2 * to + 1]!;
  const length = Math.hypot(bx - ax, by - ay);
  const ux = (bx - ax) / length;
  const uy = (by - ay) / length;
  const near = JUNCTION_GAP;
  const far = JUNCTION_GAP + reach;
  return (
    stretchSupport(edges, line, ax - near * ux, ay - near * uy, ax - far * ux, ay - far * uy, CONTINUATION_TOLERANCE_DEGREES) +
    stretchSupport(edges, line, bx + near * ux, by + near * uy, bx + far * ux, by + far * uy, CONTINUATION_TOLERANCE_DEGREES)
  );
}
