/**
 * The colour half of a frame at a small size: blue-difference and red-difference planes (YCbCr's
 * Cb and Cr, offset to 128). Luma alone is blind to edges between colours of equal brightness, and
 * that is a common sight: a card's navy header band against a dark wooden desk differs by 4 grey
 * levels of luma and by 100 of Cb.
 */
import type { RgbaImage } from './gray-image.js';

export interface ChromaImage {
  width: number;
  height: number;
  blueDifference: Uint8Array;
  redDifference: Uint8Array;
}

/**
 * Cb and Cr of `rgba` shrunk to `width` × `height` by averaging whole blocks of source pixels
 * (the block is the integer part of the size ratio; the few pixels left at the right and bottom
 * are ignored). Reuses `into`'s buffers when it has the right size.
 */
export function toChroma(rgba: RgbaImage, width: number, height: number, into?: ChromaImage | null): ChromaImage {
  const out =
    into && into.width === width && into.height === height
      ? into
      : { width, height, blueDifference: new Uint8Array(width * height), redDifference: new Uint8Array(width * height) };
  const blockX = Math.max(1, Math.floor(rgba.width / width));
  const blockY = Math.max(1, Math.floor(rgba.height / height));
  const src = rgba.data;
  const rowBytes = rgba.width * 4;
  // Fixed point: Cb = 128 + 0.564 (B − Y) and Cr = 128 + 0.713 (R − Y) with Y from BT.601,
  // expanded into integer weights of R, G, B over 2^16, divided once per block.
  const divisor = blockX * blockY * 65536;
  const blue = out.blueDifference;
  const red = out.redDifference;
  if (blockX === 2 && blockY === 2) {
    toChromaByPairs(rgba, out);
    return out;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < blockY; dy++) {
        let j = (y * blockY + dy) * rowBytes + x * blockX * 4;
        for (let dx = 0; dx < blockX; dx++, j += 4) {
          r += src[j]!;
          g += src[j + 1]!;
          b += src[j + 2]!;
        }
      }
      const i = y * width + x;
      // 0.564 × (−0.299, −0.587, 0.886) and 0.713 × (0.701, −0.587, −0.114), × 65536.
      blue[i] = 128 + (-11052 * r - 21697 * g + 32749 * b) / divisor;
      red[i] = 128 + (32756 * r - 27429 * g - 5327 * b) / divisor;
    }
  }
  return out;
}

/** The usual 640 → 320: 2×2 blocks, unrolled. */
function toChromaByPairs(rgba: RgbaImage, out: ChromaImage): void {
  const src = rgba.data;
  const rowBytes = rgba.width * 4;
  const { width, height } = out;
  const blue = out.blueDifference;
  const red = out.redDifference;
  const divisor = 4 * 65536;
  for (let y = 0; y < height; y++) {
    let j = 2 * y * rowBytes;
    for (let x = 0, i = y * width; x < width; x++, i++, j += 8) {
      const k = j + rowBytes;
      const r = src[j]! + src[j + 4]! + src[k]! + src[k + 4]!;
      const g = src[j + 1]! + src[j + 5]! + src[k + 1]! + src[k + 5]!;
      const b = src[j + 2]! + src[j + 6]! + src[k + 2]! + src[k + 6]!;
      blue[i] = 128 + (-11052 * r - 21697 * g + 32749 * b) / divisor;
      red[i] = 128 + (32756 * r - 27429 * g - 5327 * b) / divisor;
    }
  }
}
