/**
 * The Hough transform of an edge map, restricted by orientation: each edge pixel votes only for
 * lines within a few degrees of its own gradient's direction, so texture (random orientations)
 * spreads its votes thin while a straight edge piles them into one cell. Lines are
 * `x·cos θ + y·sin θ = ρ` around the image centre, θ in whole degrees, ρ in whole pixels.
 */
import type { EdgeMap } from './edge-map.js';

export interface HoughPeaks {
  count: number;
  /** Orientation of each peak's normal in degrees (0..179) and its offset from the image centre in pixels, strongest first. */
  degrees: Int32Array;
  rho: Int32Array;
}

// Each edge pixel votes for orientations within this many degrees of its gradient's: Sobel's
// direction is within a degree or two on a clean edge, a little worse on a blurred or noisy one.
const VOTE_SPREAD_DEGREES = 3;
// Peaks are local maxima over ±3° and ±2 px: a long side also piles votes into its neighbouring
// bins (the Hough "butterfly"), and those must not take the places of other sides; but a small
// card's top edge and the bottom of its header band are only 3–4 coarse pixels apart.
const PEAK_RADIUS_DEGREES = 3;
const PEAK_RADIUS_RHO = 2;

export const COS_DEGREES = new Float64Array(180);
export const SIN_DEGREES = new Float64Array(180);
for (let d = 0; d < 180; d++) {
  COS_DEGREES[d] = Math.cos((d * Math.PI) / 180);
  SIN_DEGREES[d] = Math.sin((d * Math.PI) / 180);
}

let accumulator = new Uint16Array(0);
let peakVotes = new Int32Array(0);
let peakCells = new Int32Array(0);
const peaks: HoughPeaks = { count: 0, degrees: new Int32Array(0), rho: new Int32Array(0) };

/** The `limit` strongest local maxima with at least `minVotes` votes. The result is reused by the next call. */
export function findHoughPeaks(edges: EdgeMap, minVotes: number, limit: number): HoughPeaks {
  const { width, height } = edges;
  const rhoOffset = Math.ceil(Math.hypot(width, height) / 2) + 1;
  const rhoCount = 2 * rhoOffset + 1;
  const cells = 180 * rhoCount;
  if (accumulator.length < cells) accumulator = new Uint16Array(cells);
  if (peakVotes.length < limit) {
    peakVotes = new Int32Array(limit);
    peakCells = new Int32Array(limit);
    peaks.degrees = new Int32Array(limit);
    peaks.rho = new Int32Array(limit);
  }
  const votes = accumulator;
  votes.fill(0, 0, cells);
  vote(edges, votes, (width - 1) / 2, (height - 1) / 2, rhoOffset, rhoCount);
  peaks.count = findPeaks(votes, rhoCount, rhoOffset, minVotes, limit);
  for (let p = 0; p < peaks.count; p++) {
    peaks.degrees[p] = Math.floor(peakCells[p]! / rhoCount);
    peaks.rho[p] = (peakCells[p]! % rhoCount) - rhoOffset;
  }
  return peaks;
}

function vote(edges: EdgeMap, votes: Uint16Array, centreX: number, centreY: number, rhoOffset: number, rhoCount: number): void {
  const { orientation, points, count, width, subX, subY } = edges;
  for (let p = 0; p < count; p++) {
    const x = points[2 * p]!;
    const y = points[2 * p + 1]!;
    const i = y * width + x;
    const own = orientation[i]!;
    // The sub-pixel position: an edge lying between two pixel columns otherwise splits its votes
    // between two offsets, and a short side then reaches neither's threshold.
    const relativeX = x + subX[i]! - centreX;
    const relativeY = y + subY[i]! - centreY;
    for (let k = -VOTE_SPREAD_DEGREES; k <= VOTE_SPREAD_DEGREES; k++) {
      let d = own + k;
      if (d < 0) d += 180;
      else if (d >= 180) d -= 180;
      // Offset first so the value is positive and truncation rounds.
      const cell = d * rhoCount + ((relativeX * COS_DEGREES[d]! + relativeY * SIN_DEGREES[d]! + rhoOffset + 0.5) | 0);
      votes[cell]!++;
    }
  }
}

/** Writes the strongest local maxima into peakCells/peakVotes, strongest first; returns how many. */
function findPeaks(votes: Uint16Array, rhoCount: number, rhoOffset: number, minVotes: number, limit: number): number {
  let found = 0;
  for (let d = 0; d < 180; d++) {
    const row = d * rhoCount;
    for (let r = 0; r < rhoCount; r++) {
      const v = votes[row + r]!;
      if (v < minVotes) continue;
      if (found === limit && v <= peakVotes[limit - 1]!) continue;
      if (!isLocalMaximum(votes, rhoCount, rhoOffset, d, r, v)) continue;
      let at = found < limit ? found++ : limit - 1;
      while (at > 0 && peakVotes[at - 1]! < v) {
        peakVotes[at] = peakVotes[at - 1]!;
        peakCells[at] = peakCells[at - 1]!;
        at--;
      }
      peakVotes[at] = v;
      peakCells[at] = row + r;
    }
  }
  return found;
}

function isLocalMaximum(votes: Uint16Array, rhoCount: number, rhoOffset: number, d: number, r: number, v: number): boolean {
  const here = d * rhoCount + r;
  // Most cells lose to an immediate neighbour in the same orientation: check those first.
  if ((r > 0 && votes[here - 1]! >= v) || (r + 1 < rhoCount && votes[here + 1]! > v)) return false;
  for (let k = -PEAK_RADIUS_DEGREES; k <= PEAK_RADIUS_DEGREES; k++) {
    let nd = d + k;
    let mirrored = false;
    // Orientation wraps at 180°, where the same line has the opposite offset.
    if (nd < 0) {
      nd += 180;
      mirrored = true;
    } else if (nd >= 180) {
      nd -= 180;
      mirrored = true;
    }
    for (let j = -PEAK_RADIUS_RHO; j <= PEAK_RADIUS_RHO; j++) {
      if (k === 0 && j === 0) continue;
      const nr = mirrored ? 2 * rhoOffset - (r + j) : r + j;
      if (nr < 0 || nr >= rhoCount) continue;
      const cell = nd * rhoCount + nr;
      const other = votes[cell]!;
      // A plateau keeps its first cell only.
      if (other > v || (other === v && cell < here)) return false;
    }
  }
  return true;
}
