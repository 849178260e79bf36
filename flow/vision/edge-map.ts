/**
 * Thin edges with their orientation: Sobel gradients, then non-maximum suppression across the edge
 * (Canny's thinning without the hysteresis, which straight-line voting does not need). Kept per
 * pixel: the orientation (the line finder votes with it, and checks it when it walks a line) and
 * the sub-pixel position of the edge.
 */
import type { ChromaImage } from './chroma-image.js';
import type { GrayImage } from './gray-image.js';

/** No edge at this pixel. */
export const NO_EDGE = 255;

export interface EdgeMap {
  width: number;
  height: number;
  /**
   * Per pixel, the direction of the luma gradient in whole degrees modulo 180 (0 = the edge is
   * vertical, 90 = horizontal), or NO_EDGE. Modulo 180 because a card's side can be darker or
   * lighter than what lies behind it, and that can change along the side on a busy background.
   */
  orientation: Uint8Array;
  /** Row-major (x, y) pairs of the edge pixels, `count` of them, so voting skips the empty ones. */
  points: Uint16Array;
  count: number;
  /**
   * Per edge pixel, where the edge really is: the peak of the gradient across it, to a fraction of
   * a pixel (x + subX, y + subY). Thinning alone leaves a straight edge's pixels zigzagging by a
   * whole pixel, which at the coarse scale is two in the frame.
   */
  subX: Float32Array;
  subY: Float32Array;
}

/**
 * Sobel magnitude (|g|, where a clean step of contrast c gives 4c) below which a pixel is not an
 * edge: a step of 6 grey levels. Low on purpose: a light card on white paper differs from it by
 * 5–15 levels, and noise edges scatter their votes across orientations so they rarely form a line.
 */
const MIN_EDGE_MAGNITUDE = 24;

// tan(22.5°): splits gradient directions into the four neighbour pairs non-maximum suppression compares.
const TAN_22_5 = 0.41421356;

let magnitudeBuffer = new Float32Array(0);
let gradientXBuffer = new Int16Array(0);
let gradientYBuffer = new Int16Array(0);

/**
 * The edges of `gray`, and of `chroma` when given (each pixel takes the channel with the strongest
 * gradient), written into `into` when it has the right size (a worker reuses one per frame size).
 */
export function findEdges(gray: GrayImage, into?: EdgeMap | null, chroma?: ChromaImage | null): EdgeMap {
  const { width, height } = gray;
  const size = width * height;
  const map = into && into.width === width && into.height === height ? into : allocateEdgeMap(width, height);
  if (magnitudeBuffer.length < size) {
    magnitudeBuffer = new Float32Array(size);
    gradientXBuffer = new Int16Array(size);
    gradientYBuffer = new Int16Array(size);
  }
  const magnitude = magnitudeBuffer;
  magnitude.fill(0, 0, size);
  if (chroma && chroma.width === width && chroma.height === height) sobelInColour(gray.data, chroma.blueDifference, chroma.redDifference, width, height);
  else sobel(gray.data, width, height);
  const gx = gradientXBuffer;
  const gy = gradientYBuffer;
  const minSquared = MIN_EDGE_MAGNITUDE * MIN_EDGE_MAGNITUDE;
  const orientation = map.orientation;
  const points = map.points;
  orientation.fill(NO_EDGE);
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const m = magnitude[i]!;
      if (m < minSquared) continue;
      const dx = gx[i]!;
      const dy = gy[i]!;
      const ax = dx < 0 ? -dx : dx;
      const ay = dy < 0 ? -dy : dy;
      // The two neighbours across the edge, along the gradient.
      let step: number;
      if (ay <= TAN_22_5 * ax) step = 1;
      else if (ax <= TAN_22_5 * ay) step = width;
      else step = (dx > 0) === (dy > 0) ? width + 1 : width - 1;
      const before = magnitude[i - step]!;
      const after = magnitude[i + step]!;
      // Ties on a plateau keep one pixel of the pair, not both and not neither.
      if (m < before || m <= after) continue;
      // Vertex of the parabola through the three magnitudes, along the step.
      const b = Math.sqrt(before);
      const c = Math.sqrt(m);
      const a = Math.sqrt(after);
      const curvature = b - 2 * c + a;
      const shift = curvature < 0 ? (0.5 * (b - a)) / curvature : 0;
      const along = shift > 0.5 ? 0.5 : shift < -0.5 ? -0.5 : shift;
      map.subX[i] = step === width ? 0 : step === width - 1 ? -along : along;
      map.subY[i] = step === 1 ? 0 : along;
      let degrees = Math.round((Math.atan2(dy, dx) * 180) / Math.PI);
      if (degrees < 0) degrees += 180;
      if (degrees >= 180) degrees -= 180;
      orientation[i] = degrees;
      points[2 * count] = x;
      points[2 * count + 1] = y;
      count++;
    }
  }
  map.count = count;
  return map;
}

/** Sobel on luma: gradients and squared magnitudes. */
function sobel(data: Uint8Array, width: number, height: number): void {
  const magnitude = magnitudeBuffer;
  const gx = gradientXBuffer;
  const gy = gradientYBuffer;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const dx = data[i - width + 1]! + 2 * data[i + 1]! + data[i + width + 1]! - data[i - width - 1]! - 2 * data[i - 1]! - data[i + width - 1]!;
      const dy = data[i + width - 1]! + 2 * data[i + width]! + data[i + width + 1]! - data[i - width - 1]! - 2 * data[i - width]! - data[i - width + 1]!;
      gx[i] = dx;
      gy[i] = dy;
      magnitude[i] = dx * dx + dy * dy;
    }
  }
}

/** Sobel on luma and both chroma planes in one pass; each pixel keeps the strongest channel's gradient. */
function sobelInColour(luma: Uint8Array, blue: Uint8Array, red: Uint8Array, width: number, height: number): void {
  const magnitude = magnitudeBuffer;
  const gx = gradientXBuffer;
  const gy = gradientYBuffer;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const a = i - width - 1;
      const c = i - width + 1;
      const g = i + width - 1;
      const k = i + width + 1;
      let dx = luma[c]! + 2 * luma[i + 1]! + luma[k]! - luma[a]! - 2 * luma[i - 1]! - luma[g]!;
      let dy = luma[g]! + 2 * luma[i + width]! + luma[k]! - luma[a]! - 2 * luma[i - width]! - luma[c]!;
      let best = dx * dx + dy * dy;
      const bx = blue[c]! + 2 * blue[i + 1]! + blue[k]! - blue[a]! - 2 * blue[i - 1]! - blue[g]!;
      const by = blue[g]! + 2 * blue[i + width]! + blue[k]! - blue[a]! - 2 * blue[i - width]! - blue[c]!;
      const blueSquared = bx * bx + by * by;
      if (blueSquared > best) {
        best = blueSquared;
        dx = bx;
        dy = by;
      }
      const rx = red[c]! + 2 * red[i + 1]! + red[k]! - red[a]! - 2 * red[i - 1]! - red[g]!;
      const ry = red[g]! + 2 * red[i + width]! + red[k]! - red[a]! - 2 * red[i - width]! - red[c]!;
      const redSquared = rx * rx + ry * ry;
      if (redSquared > best) {
        best = redSquared;
        dx = rx;
        dy = ry;
      }
      gx[i] = dx;
      gy[i] = dy;
      magnitude[i] = best;
    }
  }
}

function allocateEdgeMap(width: number, height: number): EdgeMap {
  const size = width * height;
  return {
    width,
    height,
    orientation: new Uint8Array(size),
    points: new Uint16Array(2 * size),
    count: 0,
    subX: new Float32Array(size),
    subY: new Float32Array(size),
  };
}

/** Smallest difference between two orientations modulo 180, in degrees (0..90). */
export function orientationDistance(a: number, b: number): number {
  const d = a > b ? a - b : b - a;
  return d > 90 ? 180 - d : d;
}
