/**
 * Camera-like test frames with a known answer: the specimen card placed in 3-D (tilt, turn,
 * distance), projected through a pinhole camera, and pasted into a background by a real
 * projective warp (inverse homography per pixel, bilinear sampling, 2×2 supersampling so small
 * print does not alias). Plus the ways a frame goes wrong: blur, darkness, glare, motion, noise.
 */
import type { Point, Quad } from '../../flow/vision/types.js';

export type Rgb = [number, number, number];

/** Where and how the card sits in front of the camera. */
export interface CardPose {
  /** Centre of the card in the frame, as fractions. */
  centreX: number;
  centreY: number;
  /** Width of the card in the frame if it faced the camera, as a share of the frame's width. */
  widthShare: number;
  /** In-plane rotation, degrees clockwise on screen. */
  rollDegrees?: number;
  /** Top edge away from the camera (positive) or towards it, degrees. */
  pitchDegrees?: number;
  /** Right edge away from the camera (positive) or towards it, degrees. */
  yawDegrees?: number;
}

export interface Scene {
  image: ImageData;
  /** The card's corners (the crossings of its straight sides), fractions of the frame, clockwise from the top left. */
  truth: Quad;
}

/** Focal length of the simulated camera in frame widths: a laptop webcam or phone main camera (≈ 64° across). */
const FOCAL_WIDTHS = 0.8;
/** ID-1 corner radius (3.18 mm of 85.6) in pixels of the 856-pixel specimen, as drawn in the fixture. */
const SPECIMEN_CORNER_RADIUS = 27.5;

export async function loadImageData(url: string): Promise<ImageData> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const bitmap = await createImageBitmap(await response.blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** The specimen with its rounded corners transparent (anti-aliased), as a real card's silhouette. */
export function withRoundedCorners(card: ImageData, radius = SPECIMEN_CORNER_RADIUS): ImageData {
  const out = new ImageData(new Uint8ClampedArray(card.data), card.width, card.height);
  const { width, height } = card;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const cx = Math.min(Math.max(px, radius), width - radius);
      const cy = Math.min(Math.max(py, radius), height - radius);
      const outside = Math.hypot(px - cx, py - cy) - radius;
      if (outside > -0.5) out.data[(y * width + x) * 4 + 3] = Math.round(255 * Math.max(0, Math.min(1, 0.5 - outside)));
    }
  }
  return out;
}

/** A copy of `image` stretched to a new size (e.g. the specimen as a passport-proportioned page). */
export function resized(image: ImageData, width: number, height: number): ImageData {
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d')!.putImageData(image, 0, 0);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

export function plainBackground(width: number, height: number, colour: Rgb): ImageData {
  const image = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) image.data.set([colour[0], colour[1], colour[2], 255], i * 4);
  return image;
}

/** A diagonal gradient, like a desk lit from one side. */
export function gradientBackground(width: number, height: number, from: Rgb, to: Rgb): ImageData {
  const image = new ImageData(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) image.data[i + c] = from[c]! + t * (to[c]! - from[c]!);
      image.data[i + 3] = 255;
    }
  }
  return image;
}

/** A busy surface: random rectangles and lines of every orientation over noise, like a cluttered desk or a patterned cloth. */
export function clutterBackground(width: number, height: number, seed: number): ImageData {
  const random = seededRandom(seed);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = 'rgb(120, 110, 100)';
  context.fillRect(0, 0, width, height);
  for (let k = 0; k < 60; k++) {
    context.fillStyle = `rgb(${40 + random() * 180}, ${40 + random() * 180}, ${40 + random() * 180})`;
    context.save();
    context.translate(random() * width, random() * height);
    context.rotate(random() * Math.PI);
    context.fillRect(-random() * width * 0.15, -random() * height * 0.15, random() * width * 0.2, random() * height * 0.2);
    context.restore();
  }
  context.lineWidth = 2;
  for (let k = 0; k < 40; k++) {
    context.strokeStyle = `rgb(${random() * 255}, ${random() * 255}, ${random() * 255})`;
    context.beginPath();
    context.moveTo(random() * width, random() * height);
    context.lineTo(random() * width, random() * height);
    context.stroke();
  }
  const image = context.getImageData(0, 0, width, height);
  return withNoise(image, 10, seed + 1);
}

/**
 * A wooden table: horizontal planks with dark seams and fine, wavy, nearly horizontal grain, so a
 * card's top and bottom sides run alongside edges a few degrees off their own.
 */
export function woodBackground(width: number, height: number, seed: number): ImageData {
  const random = seededRandom(seed);
  const phases = Array.from({ length: 6 }, () => random() * 2 * Math.PI);
  const image = new ImageData(width, height);
  for (let y = 0; y < height; y++) {
    const plank = Math.floor((y + 37) / 120);
    const isSeam = (y + 37) % 120 < 2;
    const tint = 0.88 + 0.24 * (((plank * 7919) % 13) / 13);
    for (let x = 0; x < width; x++) {
      const wobble = 9 * Math.sin(x / 110 + phases[0]! + plank) + 3 * Math.sin(x / 23 + phases[1]!) + 2 * Math.sin(x / 7 + y / 5 + phases[2]!);
      const grain = 0.5 + 0.5 * Math.sin((y + wobble) * 0.9 + phases[3]!);
      const shade = (isSeam ? 0.55 : 1) * tint * (0.7 + 0.3 * grain);
      const i = (y * width + x) * 4;
      image.data[i] = 96 * shade;
      image.data[i + 1] = 64 * shade;
      image.data[i + 2] = 44 * shade;
      image.data[i + 3] = 255;
    }
  }
  return withNoise(image, 5, seed + 1);
}

/** A photograph scaled to cover the frame. */
export function photoBackground(photo: ImageData, width: number, height: number): ImageData {
  const source = new OffscreenCanvas(photo.width, photo.height);
  source.getContext('2d')!.putImageData(photo, 0, 0);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const scale = Math.max(width / photo.width, height / photo.height);
  const drawnWidth = photo.width * scale;
  const drawnHeight = photo.height * scale;
  context.drawImage(source, (width - drawnWidth) / 2, (height - drawnHeight) / 2, drawnWidth, drawnHeight);
  return context.getImageData(0, 0, width, height);
}

/** Where a pinhole camera sees the corners of a card of aspect `aspect` posed as `pose`, in pixels. */
export function projectCard(width: number, height: number, aspect: number, pose: CardPose): Quad {
  const focal = FOCAL_WIDTHS * width;
  const cardWidth = 1;
  const cardHeight = 1 / aspect;
  const depth = (focal * cardWidth) / (pose.widthShare * width);
  const centreX = ((pose.centreX - 0.5) * width * depth) / focal;
  const centreY = ((pose.centreY - 0.5) * height * depth) / focal;
  const pitch = ((pose.pitchDegrees ?? 0) * Math.PI) / 180;
  const yaw = ((pose.yawDegrees ?? 0) * Math.PI) / 180;
  const roll = ((pose.rollDegrees ?? 0) * Math.PI) / 180;
  const local: Point[] = [
    { x: -cardWidth / 2, y: -cardHeight / 2 },
    { x: cardWidth / 2, y: -cardHeight / 2 },
    { x: cardWidth / 2, y: cardHeight / 2 },
    { x: -cardWidth / 2, y: cardHeight / 2 },
  ];
  const projected = local.map(({ x, y }) => {
    // Roll in the card's plane, then pitch about the horizontal axis, then yaw about the vertical.
    const rx = x * Math.cos(roll) - y * Math.sin(roll);
    const ry = x * Math.sin(roll) + y * Math.cos(roll);
    const py = ry * Math.cos(pitch);
    const pz = -ry * Math.sin(pitch);
    const yx = rx * Math.cos(yaw) - pz * Math.sin(yaw);
    const yz = rx * Math.sin(yaw) + pz * Math.cos(yaw);
    const z = depth + yz;
    return { x: width / 2 + (focal * (centreX + yx)) / z, y: height / 2 + (focal * (centreY + py)) / z };
  });
  return projected as Quad;
}

/** `card` (with alpha) warped onto a copy of `background` so that its corners land on `corners` (pixels). */
export function warpOnto(background: ImageData, card: ImageData, corners: Quad): ImageData {
  const out = new ImageData(new Uint8ClampedArray(background.data), background.width, background.height);
  const inverse = invert(squareToQuad(corners));
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const left = Math.max(0, Math.floor(Math.min(...xs)) - 1);
  const right = Math.min(background.width - 1, Math.ceil(Math.max(...xs)) + 1);
  const top = Math.max(0, Math.floor(Math.min(...ys)) - 1);
  const bottom = Math.min(background.height - 1, Math.ceil(Math.max(...ys)) + 1);
  const colour = new Float64Array(4);
  const sum = new Float64Array(4);
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      sum.fill(0);
      for (const [ox, oy] of SUPERSAMPLES) {
        const px = x + ox;
        const py = y + oy;
        const w = inverse[6]! * px + inverse[7]! * py + inverse[8]!;
        const u = ((inverse[0]! * px + inverse[1]! * py + inverse[2]!) / w) * card.width;
        const v = ((inverse[3]! * px + inverse[4]! * py + inverse[5]!) / w) * card.height;
        samplePremultiplied(card, u - 0.5, v - 0.5, colour);
        for (let c = 0; c < 4; c++) sum[c]! += colour[c]! / SUPERSAMPLES.length;
      }
      const alpha = sum[3]! / 255;
      if (alpha <= 0) continue;
      const i = (y * out.width + x) * 4;
      for (let c = 0; c < 3; c++) out.data[i + c] = sum[c]! + (1 - alpha) * out.data[i + c]!;
    }
  }
  return out;
}

const SUPERSAMPLES: Array<[number, number]> = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];

/** Bilinear, premultiplied by alpha, transparent outside the image (so the card's own edge is anti-aliased). */
function samplePremultiplied(image: ImageData, x: number, y: number, out: Float64Array): void {
  out.fill(0);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  for (let dy = 0; dy <= 1; dy++) {
    for (let dx = 0; dx <= 1; dx++) {
      const sx = x0 + dx;
      const sy = y0 + dy;
      if (sx < 0 || sy < 0 || sx >= image.width || sy >= image.height) continue;
      const weight = (dx ? x - x0 : 1 - (x - x0)) * (dy ? y - y0 : 1 - (y - y0));
      const i = (sy * image.width + sx) * 4;
      const alpha = image.data[i + 3]! / 255;
      for (let c = 0; c < 3; c++) out[c]! += weight * alpha * image.data[i + c]!;
      out[3]! += weight * image.data[i + 3]!;
    }
  }
}

/** Heckbert's unit square → quadrilateral homography (row-major 3×3): (0,0)→q0, (1,0)→q1, (1,1)→q2, (0,1)→q3. */
function squareToQuad(q: Quad): Float64Array {
  const [p0, p1, p2, p3] = q;
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  return Float64Array.of(
    p1.x - p0.x + g * p1.x, p3.x - p0.x + h * p3.x, p0.x,
    p1.y - p0.y + g * p1.y, p3.y - p0.y + h * p3.y, p0.y,
    g, h, 1,
  );
}

/** Inverse up to scale (the adjugate), which is all a homography needs. */
function invert(m: Float64Array): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = m as unknown as number[];
  return Float64Array.of(
    e! * i! - f! * h!, c! * h! - b! * i!, b! * f! - c! * e!,
    f! * g! - d! * i!, a! * i! - c! * g!, c! * d! - a! * f!,
    d! * h! - e! * g!, b! * g! - a! * h!, a! * e! - b! * d!,
  );
}

/** The card posed in front of the camera over `background`, with the true corners as fractions. */
export function cardScene(background: ImageData, card: ImageData, pose: CardPose): Scene {
  const corners = projectCard(background.width, background.height, card.width / card.height, pose);
  const image = warpOnto(background, card, corners);
  const truth = corners.map((c) => ({ x: c.x / background.width, y: c.y / background.height })) as Quad;
  return { image, truth };
}

/** Box blur, three passes (close to a Gaussian of σ ≈ radius), like a camera out of focus. */
export function blurred(image: ImageData, radius: number): ImageData {
  let current = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  for (let pass = 0; pass < 3; pass++) {
    current = boxPass(boxPass(current, radius, 1, 0), radius, 0, 1);
  }
  return current;
}

function boxPass(image: ImageData, radius: number, stepX: number, stepY: number): ImageData {
  const { width, height, data } = image;
  const out = new ImageData(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = Math.min(width - 1, Math.max(0, x + k * stepX));
          const sy = Math.min(height - 1, Math.max(0, y + k * stepY));
          sum += data[(sy * width + sx) * 4 + c]!;
        }
        out.data[i + c] = sum / (2 * radius + 1);
      }
      out.data[i + 3] = 255;
    }
  }
  return out;
}

/** Every channel scaled by `factor` (an underexposed frame). */
export function darkened(image: ImageData, factor: number): ImageData {
  const out = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  for (let i = 0; i < out.data.length; i += 4) {
    for (let c = 0; c < 3; c++) out.data[i + c] = out.data[i + c]! * factor;
  }
  return out;
}

/** A blown-out reflection: a white ellipse (fractions of the frame) with a soft rim. */
export function withGlare(image: ImageData, centre: Point, radiusX: number, radiusY: number): ImageData {
  const out = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  const { width, height } = image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = ((x + 0.5) / width - centre.x) / radiusX;
      const dy = ((y + 0.5) / height - centre.y) / radiusY;
      const r = Math.hypot(dx, dy);
      if (r >= 1.3) continue;
      const strength = r <= 1 ? 1 : (1.3 - r) / 0.3;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) out.data[i + c] = out.data[i + c]! + strength * (255 - out.data[i + c]!);
    }
  }
  return out;
}

/** A thumb holding the card: a skin-coloured ellipse (fractions of the frame) over its edge. */
export function withThumb(image: ImageData, centre: Point, radiusX: number, radiusY: number): ImageData {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.putImageData(image, 0, 0);
  context.fillStyle = 'rgb(205, 150, 125)';
  context.beginPath();
  context.ellipse(centre.x * image.width, centre.y * image.height, radiusX * image.width, radiusY * image.height, 0.3, 0, 2 * Math.PI);
  context.fill();
  return context.getImageData(0, 0, image.width, image.height);
}

/** A hard shadow over the part of the frame right of a diagonal line (x + 0.6 y > 420 px at 640×480), at 55% of the light. */
export function withShadow(image: ImageData): ImageData {
  const out = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  const scale = image.width / 640;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (x + 0.6 * y < 420 * scale) continue;
      const i = (y * image.width + x) * 4;
      for (let c = 0; c < 3; c++) out.data[i + c] = out.data[i + c]! * 0.55;
    }
  }
  return out;
}

/** Through the browser's JPEG encoder and back: the blocking and ringing of a compressed video stream. */
export async function jpegRoundTrip(image: ImageData, quality: number): Promise<ImageData> {
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d')!.putImageData(image, 0, 0);
  const bitmap = await createImageBitmap(await source.convertToBlob({ type: 'image/jpeg', quality }));
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, image.width, image.height);
}

/** The same frame moved by (dx, dy) pixels, edges repeated: the next frame of a shaking hand. */
export function shifted(image: ImageData, dx: number, dy: number): ImageData {
  const { width, height, data } = image;
  const out = new ImageData(width, height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - dy));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - dx));
      out.data.set(data.subarray((sy * width + sx) * 4, (sy * width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return out;
}

/** Sensor noise: uniform ±amplitude per channel, repeatable by seed. */
export function withNoise(image: ImageData, amplitude: number, seed: number): ImageData {
  const random = seededRandom(seed);
  const out = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  for (let i = 0; i < out.data.length; i += 4) {
    for (let c = 0; c < 3; c++) out.data[i + c] = out.data[i + c]! + (random() * 2 - 1) * amplitude;
  }
  return out;
}

/** Mulberry32: small, fast, good enough for test textures, and the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest distance in pixels between found and true corners (both fractions of a width × height frame). */
export function cornerError(found: Quad, truth: Quad, width: number, height: number): number {
  let worst = 0;
  for (let k = 0; k < 4; k++) {
    worst = Math.max(worst, Math.hypot((found[k]!.x - truth[k]!.x) * width, (found[k]!.y - truth[k]!.y) * height));
  }
  return worst;
}
