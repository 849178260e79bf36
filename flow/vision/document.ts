/**
 * Finds an ID document in a frame: the four corners of the card (or passport page) as fractions of
 * the frame, for the outline over the video, the fill and edge guidance, and the perspective crop.
 *
 * Method, coarse to fine: the frame is shrunk to about 320 pixels across; Sobel edges, thinned,
 * vote in an orientation-restricted Hough transform; the strongest lines are refitted to their
 * pixels; every two near-parallel pairs that cross near-perpendicularly make a candidate, which
 * must be convex, edged along most of each side and, once perspective is undone, have the
 * document's aspect; the best candidate's sides are then re-measured on the full frame to a
 * fraction of a pixel. About 10–15 ms for a cluttered 640×480 or 1280×720 frame in Chromium on
 * a 2-core machine, most of it edges and line refits.
 */
import { toChroma, type ChromaImage } from './chroma-image.js';
import { findEdges, NO_EDGE, type EdgeMap } from './edge-map.js';
import { shrinkGray, type GrayImage, type RgbaImage } from './gray-image.js';
import { detectLines } from './line-detection.js';
import { forEachQuadRow, insetQuad } from './quad-raster.js';
import { quadArea } from './quad-geometry.js';
import { aspectFit, findBestQuads, MIN_SCORE, turnedDocument } from './quad-search.js';
import { refineCorners } from './side-refinement.js';
import type { Quad } from './types.js';

export { ID1_ASPECT, PASSPORT_PAGE_ASPECT } from './document-shapes.js';

export interface DocumentSearchOptions {
  /** Expected width/height held landscape: ID1_ASPECT for ID cards and driving licences, PASSPORT_PAGE_ASPECT for passports. */
  aspect: number;
  /**
   * The same frame in colour (any size), when the caller has it: edges between colours of equal
   * brightness (a navy card header on a dark desk) are then found too. Costs 1–2 ms.
   */
  rgba?: RgbaImage | null;
}

export interface DocumentQuad {
  /** Corners as fractions of the frame, clockwise from the top left. */
  quad: Quad;
  /** Share of the frame the document covers, 0..1. */
  fill: number;
  /** Confidence 0..1: how continuous the four edges are and how well the shape matches. */
  score: number;
}

// Lines are found on a frame about this wide (long side): enough for a card a third of the frame
// wide to have 35-pixel short sides, and small enough that edges and voting take a few milliseconds.
const COARSE_SIZE = 320;
// The shortest card side worth finding, as a share of the frame's short side (an ID-1 card about
// 30% of a 4:3 frame's width). Smaller cards only earn "move closer", and below this the sides are
// too short to tell from clutter: chance quadrilaterals of 30-pixel sides abound in a busy scene.
const MIN_SIDE_SHARE = 0.15;
// A line needs this share of MIN_SIDE in edge pixels to be a candidate side at all.
const MIN_VOTES_SHARE = 0.6;
// A document is printed: text, a photo, a pattern. A blank rectangle of the right shape (a closed
// notebook, a phone case, a sticky note) has next to no edges inside. Measured on the coarse edge
// map, inside the quad shrunk by PRINT_INSET (away from its own border).
const MIN_PRINT_DENSITY = 0.03;
const PRINT_INSET = 0.15;
// A candidate inside a document held on end, and no larger than this share of it, is a piece of it.
const MAX_PART_AREA = 0.6;

let coarse: GrayImage | null = null;
let edges: EdgeMap | null = null;
let chroma: ChromaImage | null = null;
const corners = new Float64Array(8);
const inset = new Float64Array(8);

/**
 * The document's corners in `gray`, or null when there is no document-shaped quadrilateral.
 *
 * @example
 * const found = detectDocumentQuad(toGray(frame, 640), { aspect: ID1_ASPECT });
 * if (found && found.fill > 0.3) drawOutline(found.quad);
 */
export function detectDocumentQuad(gray: GrayImage, options: DocumentSearchOptions): DocumentQuad | null {
  const factor = Math.max(1, Math.round(Math.max(gray.width, gray.height) / COARSE_SIZE));
  coarse = factor === 1 ? gray : shrinkGray(gray, factor, coarse);
  chroma = options.rgba ? toChroma(options.rgba, coarse.width, coarse.height, chroma) : null;
  edges = findEdges(coarse, edges, chroma);
  const minSide = MIN_SIDE_SHARE * Math.min(coarse.width, coarse.height);
  const lines = detectLines(edges, Math.max(8, Math.round(MIN_VOTES_SHARE * minSide)));
  const search = { edges, width: coarse.width, height: coarse.height, aspect: options.aspect, minSide };
  const fullSearch = { edges, width: gray.width, height: gray.height, aspect: options.aspect, minSide: minSide * factor };
  const candidates = findBestQuads(lines, search);
  const turned = turnedDocument();
  for (const candidate of candidates) {
    if (printDensity(edges, candidate.corners) < MIN_PRINT_DENSITY) continue;
    if (turned && isPartOf(candidate.corners, turned)) continue;
    // Coarse pixel centres map to the centres of their blocks in the full frame.
    for (let k = 0; k < 8; k++) corners[k] = (candidate.corners[k]! + 0.5) * factor - 0.5;
    // First within the coarse scale's uncertainty (a coarse side can be off by a couple of coarse
    // pixels at one end when clutter runs alongside it), then tightly around the first answer.
    refineCorners(gray, corners, 2 * factor + 2, options.rgba);
    const edgeShare = refineCorners(gray, corners, 2, options.rgba);
    const fit = aspectFit(corners, fullSearch);
    const score = Math.min(candidate.support * (0.5 + 0.5 * fit), 0.5 + 0.5 * edgeShare);
    if (fit <= 0 || score < MIN_SCORE) continue;
    return {
      quad: [point(gray, 0), point(gray, 1), point(gray, 2), point(gray, 3)],
      fill: Math.min(1, quadArea(corners) / (gray.width * gray.height)),
      score,
    };
  }
  return null;
}

/** Share of edge pixels inside the quad, away from its border. */
function printDensity(map: EdgeMap, quad: Float64Array): number {
  const { width, orientation } = map;
  let inside = 0;
  let edgePixels = 0;
  forEachQuadRow(insetQuad(quad, PRINT_INSET, inset), width, map.height, 1, (y, from, to) => {
    for (let i = y * width + from, end = y * width + to; i <= end; i++) if (orientation[i] !== NO_EDGE) edgePixels++;
    inside += to - from + 1;
  });
  return inside === 0 ? 0 : edgePixels / inside;
}

/**
 * Whether `part` is a piece of the larger quad `whole`: its centre inside, and at most
 * MAX_PART_AREA of its area (a card-shaped region of a card held on end: the photo and margin).
 */
function isPartOf(part: Float64Array, whole: Float64Array): boolean {
  if (quadArea(part) > MAX_PART_AREA * quadArea(whole)) return false;
  const x = (part[0]! + part[2]! + part[4]! + part[6]!) / 4;
  const y = (part[1]! + part[3]! + part[5]! + part[7]!) / 4;
  for (let k = 0; k < 4; k++) {
    const ax = whole[2 * k]!;
    const ay = whole[2 * k + 1]!;
    const bx = whole[(2 * k + 2) % 8]!;
    const by = whole[(2 * k + 3) % 8]!;
    // Clockwise on screen: the inside is to the right of each side, where the cross product is positive.
    if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) < 0) return false;
  }
  return true;
}

/** Pixel centres sit at integer coordinates, so pixel x spans x − 0.5 … x + 0.5 of the frame's width. */
function point(gray: GrayImage, corner: number) {
  return { x: (corners[2 * corner]! + 0.5) / gray.width, y: (corners[2 * corner + 1]! + 0.5) / gray.height };
}
