/**
 * Is this frame worth keeping: sharp, well exposed, free of glare, steady. Measured where it
 * matters (inside the document, or the middle of the frame for a selfie), in a few milliseconds.
 */
import { shrinkGray, type GrayImage, type RgbaImage } from './gray-image.js';
import { forEachQuadRow, insetQuad } from './quad-raster.js';
import type { Quad, QualityMetrics } from './types.js';

// Sharpness is measured on a frame about this size (long side) whatever the camera gives, so one
// threshold serves 640×480 and 1280×720: the Laplacian's variance grows with resolution.
const SHARPNESS_SIZE = 640;
// The document region is shrunk by this share towards its centre: its border (card against
// background) is not the card's focus, and a corner estimate off by a pixel must not bring the
// background in.
const REGION_INSET = 0.06;
// Without a document: the middle half of the frame in each direction, where a face or a card is.
const CENTRAL_REGION: Quad = [
  { x: 0.25, y: 0.25 },
  { x: 0.75, y: 0.25 },
  { x: 0.75, y: 0.75 },
  { x: 0.25, y: 0.75 },
];
// A channel at or above this is clipped: sensors saturate at 255, and compression and noise
// pull clipped areas down a few levels.
const BLOWN_OUT_LEVEL = 240;
// A blown-out pixel counts as glare only when the pixels this far away (in frame pixels at
// 640 across) are blown out too: white print on a card (a header's lettering) is thinner than
// that, a reflection is not.
const GLARE_REACH = 2;
// Glare and motion look at every n-th pixel of frames larger than this: plenty of samples, and
// a 1280×720 frame costs what a 640×360 one does.
const SAMPLING_SIZE = 640;

let sharpnessImage: GrayImage | null = null;
const regionPixels = new Float64Array(8);

/**
 * Quality of a frame. `gray` and `rgba` are the same frame (any sizes); `region` is the
 * document's quad or null; `previous` is the previous frame's luma (motion is 0 without it or
 * when its size differs).
 *
 * @example
 * const quality = measureQuality(gray, rgba, found?.quad ?? null, previousGray);
 */
export function measureQuality(gray: GrayImage, rgba: RgbaImage, region: Quad | null, previous: GrayImage | null): QualityMetrics {
  const factor = Math.max(1, Math.round(Math.max(gray.width, gray.height) / SHARPNESS_SIZE));
  const small = factor === 1 ? gray : (sharpnessImage = shrinkGray(gray, factor, sharpnessImage));
  const area = region ?? CENTRAL_REGION;
  const { sharpness, brightness } = laplacianAndMean(small, area);
  return { sharpness, brightness, glare: glareShare(rgba, area), motion: motionBetween(gray, previous) };
}

/** Variance of the 4-neighbour Laplacian and mean luma over the inset region. */
function laplacianAndMean(gray: GrayImage, region: Quad): { sharpness: number; brightness: number } {
  const { width, data } = gray;
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  let lumaSum = 0;
  forEachQuadRow(regionInPixels(region, gray.width, gray.height), width, gray.height, 1, (y, from, to) => {
    for (let i = y * width + from, end = y * width + to; i <= end; i++) {
      const centre = data[i]!;
      const laplacian = 4 * centre - data[i - 1]! - data[i + 1]! - data[i - width]! - data[i + width]!;
      sum += laplacian;
      sumSquares += laplacian * laplacian;
      lumaSum += centre;
    }
    count += to - from + 1;
  });
  if (count === 0) return { sharpness: 0, brightness: 0 };
  const mean = sum / count;
  return { sharpness: sumSquares / count - mean * mean, brightness: lumaSum / count / 255 };
}

/** Share of the region's pixels inside a blown-out patch (all channels clipped, and not just a thin stroke). */
function glareShare(rgba: RgbaImage, region: Quad): number {
  const { width, height, data } = rgba;
  const stride = Math.max(1, Math.round(Math.max(width, height) / SAMPLING_SIZE));
  const reach = GLARE_REACH * stride;
  let count = 0;
  let blown = 0;
  forEachQuadRow(regionInPixels(region, width, height), width, height, reach, (y, from, to) => {
    if (y % stride !== 0) return;
    for (let x = from - (from % stride); x <= to; x += stride) {
      if (x < from) continue;
      count++;
      const i = y * width + x;
      if (
        isClipped(data, i) &&
        isClipped(data, i - reach) &&
        isClipped(data, i + reach) &&
        isClipped(data, i - reach * width) &&
        isClipped(data, i + reach * width)
      ) {
        blown++;
      }
    }
  });
  return count === 0 ? 0 : blown / count;
}

function isClipped(data: RgbaImage['data'], pixel: number): boolean {
  const j = pixel * 4;
  return data[j]! >= BLOWN_OUT_LEVEL && data[j + 1]! >= BLOWN_OUT_LEVEL && data[j + 2]! >= BLOWN_OUT_LEVEL;
}

/** Mean absolute luma change over the whole frame, 0..1 (the whole frame moves when the hand does). */
function motionBetween(gray: GrayImage, previous: GrayImage | null): number {
  if (!previous || previous.width !== gray.width || previous.height !== gray.height || previous === gray) return 0;
  const { width, height, data } = gray;
  const before = previous.data;
  const stride = Math.max(1, Math.round(Math.max(width, height) / SAMPLING_SIZE));
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y += stride) {
    for (let x = 0, i = y * width; x < width; x += stride, i += stride) {
      const d = data[i]! - before[i]!;
      sum += d < 0 ? -d : d;
      count++;
    }
  }
  return sum / count / 255;
}

/** The region in pixel coordinates of a width × height image (pixel centres at integers), inset. */
function regionInPixels(quad: Quad, width: number, height: number): Float64Array {
  for (let k = 0; k < 4; k++) {
    regionPixels[2 * k] = quad[k]!.x * width - 0.5;
    regionPixels[2 * k + 1] = quad[k]!.y * height - 0.5;
  }
  return insetQuad(regionPixels, REGION_INSET, regionPixels);
}
