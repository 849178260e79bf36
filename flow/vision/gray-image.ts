/**
 * Luma images: what every detector and quality measure reads. One byte per pixel keeps a 640×480
 * frame at 300 KB and the inner loops on integers.
 */

/** An 8-bit luma image, row-major, `data.length === width * height`. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What a canvas, an OffscreenCanvas or a VideoFrame copy gives: RGBA, four bytes per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/**
 * Converts RGBA to luma (BT.601 weights, the ones camera pipelines and JPEG use) and, when
 * `targetWidth` is smaller than the image, shrinks it by area averaging (each output pixel is the
 * mean of the source pixels it covers, so no aliasing and no lost thin edges). The height follows
 * the aspect ratio. Pass `into` (e.g. the frame before last) to reuse its buffer.
 *
 * @example
 * const gray = toGray(ctx.getImageData(0, 0, 1280, 720), 640); // 640×360
 */
export function toGray(rgba: RgbaImage, targetWidth?: number, into?: GrayImage): GrayImage {
  const width = targetWidth === undefined ? rgba.width : Math.max(1, Math.min(rgba.width, Math.round(targetWidth)));
  const height = width === rgba.width ? rgba.height : Math.max(1, Math.round((rgba.height * width) / rgba.width));
  const out = reuseOrAllocate(width, height, into);
  if (width === rgba.width && height === rgba.height) convertSameSize(rgba, out);
  else if (rgba.width % width === 0 && rgba.height % height === 0 && rgba.width / width === rgba.height / height) {
    convertByBlocks(rgba, out, rgba.width / width);
  } else convertByArea(rgba, out);
  return out;
}

/**
 * 1280 → 320: each output pixel's four bytes of a source row are one 32-bit word, summed in two
 * 16-bit halves at once.
 */
function shrinkByFours(src: Uint8Array, srcWidth: number, out: GrayImage): void {
  const words = new Uint32Array(src.buffer, src.byteOffset, src.length >> 2);
  const wordsPerRow = srcWidth >> 2;
  const { width, height } = out;
  const dst = out.data;
  for (let y = 0; y < height; y++) {
    let j = 4 * y * wordsPerRow;
    for (let x = 0, o = y * width; x < width; x++, o++, j++) {
      const a = words[j]!;
      const b = words[j + wordsPerRow]!;
      const c = words[j + 2 * wordsPerRow]!;
      const d = words[j + 3 * wordsPerRow]!;
      const pairs = (a & 0xff00ff) + ((a >>> 8) & 0xff00ff) + (b & 0xff00ff) + ((b >>> 8) & 0xff00ff) + (c & 0xff00ff) + ((c >>> 8) & 0xff00ff) + (d & 0xff00ff) + ((d >>> 8) & 0xff00ff);
      dst[o] = ((pairs & 0xffff) + (pairs >>> 16) + 8) >> 4;
    }
  }
}

/** An image of the given size, reusing `into`'s buffer when it is the right size. */
export function reuseOrAllocate(width: number, height: number, into?: GrayImage | null): GrayImage {
  if (into && into.width === width && into.height === height && into.data.length === width * height) return into;
  return { width, height, data: new Uint8Array(width * height) };
}

// Luma in 8.8 fixed point: 0.299, 0.587, 0.114 scaled by 256 (sum 256, so white stays 255).
const R_WEIGHT = 77;
const G_WEIGHT = 150;
const B_WEIGHT = 29;

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The pixels as 32-bit words (R in the low byte), when the platform is little-endian (every
 * browser platform in practice) and the buffer is aligned: one read per pixel instead of three.
 */
export function pixelWords(rgba: RgbaImage): Uint32Array | null {
  const { data } = rgba;
  if (!IS_LITTLE_ENDIAN || data.byteOffset % 4 !== 0) return null;
  return new Uint32Array(data.buffer, data.byteOffset, rgba.width * rgba.height);
}

function convertSameSize(rgba: RgbaImage, out: GrayImage): void {
  const dst = out.data;
  const n = out.width * out.height;
  const words = pixelWords(rgba);
  if (words) {
    for (let i = 0; i < n; i++) {
      const p = words[i]!;
      dst[i] = (R_WEIGHT * (p & 255) + G_WEIGHT * ((p >>> 8) & 255) + B_WEIGHT * ((p >>> 16) & 255) + 128) >> 8;
    }
    return;
  }
  const src = rgba.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    dst[i] = (R_WEIGHT * src[j]! + G_WEIGHT * src[j + 1]! + B_WEIGHT * src[j + 2]! + 128) >> 8;
  }
}

/** The common case (1280→640, 640→320): square blocks of `factor`×`factor` pixels, integers only. */
function convertByBlocks(rgba: RgbaImage, out: GrayImage, factor: number): void {
  const src = rgba.data;
  const dst = out.data;
  const srcWidth = rgba.width;
  const { width, height } = out;
  const divisor = factor * factor * 256;
  const half = divisor >> 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        let j = ((y * factor + dy) * srcWidth + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, j += 4) {
          sum += R_WEIGHT * src[j]! + G_WEIGHT * src[j + 1]! + B_WEIGHT * src[j + 2]!;
        }
      }
      dst[y * width + x] = ((sum + half) / divisor) | 0;
    }
  }
}

/**
 * Any ratio: separable box filter with fractional weights at the edges of each output pixel's
 * footprint. Rows are accumulated in a float buffer, so the work is one pass over the source.
 */
function convertByArea(rgba: RgbaImage, out: GrayImage): void {
  const src = rgba.data;
  const dst = out.data;
  const srcWidth = rgba.width;
  const srcHeight = rgba.height;
  const { width, height } = out;
  const scaleX = srcWidth / width;
  const scaleY = srcHeight / height;
  const row = new Float32Array(width);
  const column = new Float32Array(width);
  const firstX = new Int32Array(width);
  const lastX = new Int32Array(width);
  const firstWeightX = new Float32Array(width);
  const lastWeightX = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const start = x * scaleX;
    const end = Math.min(srcWidth, (x + 1) * scaleX);
    firstX[x] = Math.floor(start);
    lastX[x] = Math.min(srcWidth - 1, Math.ceil(end) - 1);
    firstWeightX[x] = Math.min(end, Math.floor(start) + 1) - start;
    lastWeightX[x] = end - Math.max(start, Math.ceil(end) - 1);
  }
  const norm = 1 / (scaleX * scaleY * 256);
  for (let y = 0; y < height; y++) {
    const start = y * scaleY;
    const end = Math.min(srcHeight, (y + 1) * scaleY);
    const firstY = Math.floor(start);
    const lastY = Math.min(srcHeight - 1, Math.ceil(end) - 1);
    column.fill(0);
    for (let sy = firstY; sy <= lastY; sy++) {
      const weightY = sy === firstY ? Math.min(end, firstY + 1) - start : sy === lastY ? end - sy : 1;
      const rowOffset = sy * srcWidth * 4;
      for (let x = 0; x < width; x++) {
        const x0 = firstX[x]!;
        const x1 = lastX[x]!;
        let sum = 0;
        for (let sx = x0, j = rowOffset + x0 * 4; sx <= x1; sx++, j += 4) {
          const weightX = sx === x0 ? firstWeightX[x]! : sx === x1 ? lastWeightX[x]! : 1;
          sum += weightX * (R_WEIGHT * src[j]! + G_WEIGHT * src[j + 1]! + B_WEIGHT * src[j + 2]!);
        }
        row[x] = sum;
      }
      for (let x = 0; x < width; x++) column[x]! += weightY * row[x]!;
    }
    for (let x = 0; x < width; x++) dst[y * width + x] = Math.min(255, Math.round(column[x]! * norm));
  }
}

let rowSums = new Uint32Array(0);

/**
 * Shrinks a luma image by an integer `factor` (block means, rounding), dropping the few edge
 * pixels that do not fill a whole block. Used to find structure at a coarse scale cheaply.
 */
export function shrinkGray(gray: GrayImage, factor: number, into?: GrayImage | null): GrayImage {
  if (factor <= 1) return gray;
  const width = Math.floor(gray.width / factor);
  const height = Math.floor(gray.height / factor);
  const out = reuseOrAllocate(width, height, into);
  const src = gray.data;
  const dst = out.data;
  const srcWidth = gray.width;
  if (factor === 2) {
    // The usual 640 → 320: two rows at a time, no inner loops.
    for (let y = 0; y < height; y++) {
      let i = 2 * y * srcWidth;
      let j = i + srcWidth;
      for (let x = 0, o = y * width; x < width; x++, o++, i += 2, j += 2) {
        dst[o] = (src[i]! + src[i + 1]! + src[j]! + src[j + 1]! + 2) >> 2;
      }
    }
    return out;
  }
  if (factor === 4 && srcWidth % 4 === 0 && src.byteOffset % 4 === 0) {
    shrinkByFours(src, srcWidth, out);
    return out;
  }
  const area = factor * factor;
  const half = area >> 1;
  if (rowSums.length < width) rowSums = new Uint32Array(width);
  const sums = rowSums;
  // Row by row: each source row is read once, in order, into the output row's sums.
  for (let y = 0; y < height; y++) {
    sums.fill(0, 0, width);
    for (let dy = 0; dy < factor; dy++) {
      let j = (y * factor + dy) * srcWidth;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let dx = 0; dx < factor; dx++, j++) sum += src[j]!;
        sums[x]! += sum;
      }
    }
    for (let x = 0, o = y * width; x < width; x++, o++) dst[o] = ((sums[x]! + half) / area) | 0;
  }
  return out;
}
