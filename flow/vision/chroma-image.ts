/**
 * The colour half of a frame at a small size: blue-difference and red-difference planes (YCbCr's
 * Cb and Cr, offset to 128). Luma alone is blind to edges between colours of equal brightness, and
 * that is a common sight: a card's navy header band against a dark wooden desk differs by 4 grey
 * levels of luma and by 100 of Cb.
 */
import { pixelWords, type RgbaImage } from './gray-image.js';

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
  const words = pixelWords(rgba);
  if (words) toChromaFromWords(words, rgba.width, blockX, blockY, out);
  else toChromaFromBytes(rgba, blockX, blockY, out);
  return out;
}

// Cb = 128 + 0.564 (B − Y) and Cr = 128 + 0.713 (R − Y) with Y from BT.601, expanded into integer
// weights of R, G, B over 2^16 and divided once per block: 0.564 × (−0.299, −0.587, 0.886) and
// 0.713 × (0.701, −0.587, −0.114).
const CB_RED = -11052;
const CB_GREEN = -21697;
const CB_BLUE = 32749;
const CR_RED = 32756;
const CR_GREEN = -27429;
const CR_BLUE = -5327;

function toChromaFromWords(words: Uint32Array, srcWidth: number, blockX: number, blockY: number, out: ChromaImage): void {
  if (blockX === blockY && (blockX === 2 || blockX === 4)) {
    toChromaBySquares(words, srcWidth, blockX, out);
    return;
  }
  const { width, height } = out;
  const blue = out.blueDifference;
  const red = out.redDifference;
  const divisor = blockX * blockY * 65536;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < blockY; dy++) {
        let j = (y * blockY + dy) * srcWidth + x * blockX;
        for (let dx = 0; dx < blockX; dx++, j++) {
          const p = words[j]!;
          r += p & 255;
          g += (p >>> 8) & 255;
          b += (p >>> 16) & 255;
        }
      }
      blue[i] = 128 + (CB_RED * r + CB_GREEN * g + CB_BLUE * b) / divisor;
      red[i] = 128 + (CR_RED * r + CR_GREEN * g + CR_BLUE * b) / divisor;
    }
  }
}

/**
 * The usual cases (640 → 320 and 1280 → 320 across): 2×2 or 4×4 blocks. Red and blue are summed
 * together in one word's two 16-bit halves (16 pixels × 255 cannot overflow them), green apart.
 */
function toChromaBySquares(words: Uint32Array, srcWidth: number, block: number, out: ChromaImage): void {
  const { width, height } = out;
  const blue = out.blueDifference;
  const red = out.redDifference;
  const divisor = block * block * 65536;
  for (let y = 0; y < height; y++) {
    const rowStart = y * block * srcWidth;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      let redBlue = 0;
      let green = 0;
      for (let dy = 0, j = rowStart + x * block; dy < block; dy++, j += srcWidth) {
        const a = words[j]!;
        const b = words[j + 1]!;
        redBlue += (a & 0xff00ff) + (b & 0xff00ff);
        green += ((a >>> 8) & 255) + ((b >>> 8) & 255);
        if (block === 4) {
          const c = words[j + 2]!;
          const d = words[j + 3]!;
          redBlue += (c & 0xff00ff) + (d & 0xff00ff);
          green += ((c >>> 8) & 255) + ((d >>> 8) & 255);
        }
      }
      const r = redBlue & 0xffff;
      const b = redBlue >>> 16;
      blue[i] = 128 + (CB_RED * r + CB_GREEN * green + CB_BLUE * b) / divisor;
      red[i] = 128 + (CR_RED * r + CR_GREEN * green + CR_BLUE * b) / divisor;
    }
  }
}

function toChromaFromBytes(rgba: RgbaImage, blockX: number, blockY: number, out: ChromaImage): void {
  const { width, height } = out;
  const src = rgba.data;
  const blue = out.blueDifference;
  const red = out.redDifference;
  const divisor = blockX * blockY * 65536;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < blockY; dy++) {
        let j = ((y * blockY + dy) * rgba.width + x * blockX) * 4;
        for (let dx = 0; dx < blockX; dx++, j += 4) {
          r += src[j]!;
          g += src[j + 1]!;
          b += src[j + 2]!;
        }
      }
      blue[i] = 128 + (CB_RED * r + CB_GREEN * g + CB_BLUE * b) / divisor;
      red[i] = 128 + (CR_RED * r + CR_GREEN * g + CR_BLUE * b) / divisor;
    }
  }
}
