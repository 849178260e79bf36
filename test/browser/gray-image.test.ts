/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { shrinkGray, toGray, type GrayImage } from '../../flow/vision/gray-image.js';
import { seededRandom } from './synthetic-scenes.js';

/** A frame of random pixels, alpha 255. */
function randomFrame(width: number, height: number, seed: number): ImageData {
  const random = seededRandom(seed);
  const image = new ImageData(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = i % 4 === 3 ? 255 : Math.floor(random() * 256);
  return image;
}

/** BT.601 luma of pixel (x, y), unrounded. */
function luma(image: ImageData, x: number, y: number): number {
  const i = (y * image.width + x) * 4;
  return 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
}

/** Largest difference between `gray` and the mean luma of each output pixel's footprint (fractional edges weighted). */
function worstAreaError(image: ImageData, gray: GrayImage): number {
  const scaleX = image.width / gray.width;
  const scaleY = image.height / gray.height;
  let worst = 0;
  for (let y = 0; y < gray.height; y++) {
    for (let x = 0; x < gray.width; x++) {
      let sum = 0;
      let area = 0;
      for (let sy = Math.floor(y * scaleY); sy < Math.ceil((y + 1) * scaleY); sy++) {
        const wy = Math.min(sy + 1, (y + 1) * scaleY) - Math.max(sy, y * scaleY);
        for (let sx = Math.floor(x * scaleX); sx < Math.ceil((x + 1) * scaleX); sx++) {
          const wx = Math.min(sx + 1, (x + 1) * scaleX) - Math.max(sx, x * scaleX);
          sum += wx * wy * luma(image, sx, sy);
          area += wx * wy;
        }
      }
      worst = Math.max(worst, Math.abs(gray.data[y * gray.width + x]! - sum / area));
    }
  }
  return worst;
}

describe('toGray', () => {
  const frame = randomFrame(96, 72, 1);

  it('converts to BT.601 luma at the same size', () => {
    const gray = toGray(frame);
    expect([gray.width, gray.height]).to.deep.equal([96, 72]);
    expect(worstAreaError(frame, gray)).to.be.below(1.01);
  });

  it('shrinks by whole blocks (1280 → 640) to their mean luma', () => {
    const gray = toGray(frame, 48);
    expect([gray.width, gray.height]).to.deep.equal([48, 36]);
    expect(worstAreaError(frame, gray)).to.be.below(1.01);
  });

  it('shrinks by any ratio, averaging the area each output pixel covers', () => {
    const gray = toGray(frame, 40);
    expect([gray.width, gray.height]).to.deep.equal([40, 30]);
    expect(worstAreaError(frame, gray)).to.be.below(1.01);
  });

  it('keeps white white', () => {
    const white = new ImageData(new Uint8ClampedArray(8 * 8 * 4).fill(255), 8, 8);
    expect(Array.from(toGray(white).data).every((v) => v === 255)).to.equal(true);
    expect(Array.from(toGray(white, 3).data).every((v) => v === 255)).to.equal(true);
  });

  it('writes into the buffer it is given when the size matches', () => {
    const first = toGray(frame);
    const second = toGray(randomFrame(96, 72, 2), undefined, first);
    expect(second).to.equal(first);
    expect(toGray(frame, 48, first)).to.not.equal(first);
  });
});

describe('shrinkGray', () => {
  for (const factor of [2, 3, 4]) {
    it(`averages ${factor}×${factor} blocks`, () => {
      const gray = toGray(randomFrame(96, 72, factor));
      const small = shrinkGray(gray, factor);
      expect([small.width, small.height]).to.deep.equal([96 / factor, 72 / factor]);
      let worst = 0;
      for (let y = 0; y < small.height; y++) {
        for (let x = 0; x < small.width; x++) {
          let sum = 0;
          for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += gray.data[(y * factor + dy) * gray.width + x * factor + dx]!;
          worst = Math.max(worst, Math.abs(small.data[y * small.width + x]! - sum / (factor * factor)));
        }
      }
      expect(worst).to.be.at.most(0.5);
    });
  }
});
