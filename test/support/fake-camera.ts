/**
 * Fake cameras for the browser tests. Chromium plays a YUV4MPEG2 file as its camera, looping it
 * (`fakeCameraArgs(path)`); this module composes the scenes in plain JS (a card photographed on a
 * table, a face, a cat) and writes them as such files.
 *
 * @example
 *   const browser = await launchChromium({ args: fakeCameraArgs(flowCameraFile(dir)) });
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { fixturePath } from './server-process.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  data: Uint8Array | Buffer;
}

export interface Point {
  x: number;
  y: number;
}

/** Four corners, clockwise from the top left (as flow/vision/types.ts). */
export type Quad = [Point, Point, Point, Point];
export type Rgb = readonly [number, number, number];
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const SCENE_WIDTH = 640;
export const SCENE_HEIGHT = 480;

/** Chromium's flags for a camera that plays `y4mPath` (and a microphone that beeps), without asking. */
export function fakeCameraArgs(y4mPath: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4mPath}`];
}

// ---- Files ----

/**
 * Writes frames as a YUV4MPEG2 (I420) file: BT.601 limited range, which is how Chromium's file
 * camera labels its frames, chroma averaged over 2×2 pixels. All frames share one even size.
 */
export function writeY4m(path: string, frames: readonly RgbaImage[], fps: number): void {
  const first = frames[0];
  if (!first) throw new Error('writeY4m: no frames.');
  const { width, height } = first;
  if (width % 2 || height % 2) throw new Error(`writeY4m: ${width}×${height}: I420 needs an even width and height.`);
  if (!Number.isInteger(fps) || fps < 1) throw new Error(`writeY4m: fps ${fps}: a whole number ≥ 1.`);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (const frame of frames) {
      if (frame.width !== width || frame.height !== height) throw new Error(`writeY4m: a ${frame.width}×${frame.height} frame among ${width}×${height} ones.`);
      writeSync(fd, 'FRAME\n');
      writeSync(fd, toI420(frame));
    }
  } finally {
    closeSync(fd);
  }
}

function toI420({ width, height, data }: RgbaImage): Buffer {
  const out = Buffer.alloc((width * height * 3) / 2);
  const uOffset = width * height;
  const vOffset = uOffset + (width * height) / 4;
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let u = 0;
      let v = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const i = ((y + dy) * width + x + dx) * 4;
          const r = data[i]!;
          const g = data[i + 1]!;
          const b = data[i + 2]!;
          out[(y + dy) * width + x + dx] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
          u += (-37.797 * r - 74.203 * g + 112 * b) / 255;
          v += (112 * r - 93.786 * g - 18.214 * b) / 255;
        }
      }
      const c = (y / 2) * (width / 2) + x / 2;
      out[uOffset + c] = Math.round(128 + u / 4);
      out[vOffset + c] = Math.round(128 + v / 4);
    }
  }
  return out;
}

export function readPng(path: string): RgbaImage {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, data: png.data };
}

export function writePng(path: string, image: RgbaImage): void {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  writeFileSync(path, PNG.sync.write(png));
}

// ---- Images ----

export function fill(width: number, height: number, [r, g, b]: Rgb): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

/** A whole-pixel rectangle of an image. */
export function crop(image: RgbaImage, { x, y, width, height }: Rect): RgbaImage {
  if (x < 0 || y < 0 || x + width > image.width || y + height > image.height) {
    throw new Error(`crop: ${width}×${height} at (${x}, ${y}) is not inside ${image.width}×${image.height}.`);
  }
  const data = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const start = ((y + row) * image.width + x) * 4;
    data.set(image.data.subarray(start, start + width * 4), row * width * 4);
  }
  return { width, height, data };
}

/** Resized with bilinear sampling (meant for enlarging or mild shrinking: it does not average). */
export function scale(image: RgbaImage, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  const sx = image.width / width;
  const sy = image.height / height;
  const pixel = [0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sampleBilinear(image, (x + 0.5) * sx, (y + 0.5) * sy, pixel);
      data.set(pixel, (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Samples at (u, v) in pixel-edge coordinates (pixel i spans i..i+1), clamping at the borders. */
function sampleBilinear(image: RgbaImage, u: number, v: number, out: number[]): void {
  const { width, height, data } = image;
  const x = Math.min(width - 1, Math.max(0, u - 0.5));
  const y = Math.min(height - 1, Math.max(0, v - 0.5));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  for (let c = 0; c < 4; c++) {
    const top = data[(y0 * width + x0) * 4 + c]! * (1 - fx) + data[(y0 * width + x1) * 4 + c]! * fx;
    const bottom = data[(y1 * width + x0) * 4 + c]! * (1 - fx) + data[(y1 * width + x1) * 4 + c]! * fx;
    out[c] = top * (1 - fy) + bottom * fy;
  }
}

/**
 * The homography (row-major 3×3, h33 = 1) taking each `from` point to the matching `to` point,
 * solved as the usual 8×8 linear system.
 */
export function homography(from: Quad, to: Quad): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: X, y: Y } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -x * X, -y * X, X]);
    a.push([0, 0, 0, x, y, 1, -x * Y, -y * Y, Y]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let row = col + 1; row < 8; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]!;
    if (Math.abs(p[col]!) < 1e-12) throw new Error('homography: three of the corners are on one line.');
    for (let row = 0; row < 8; row++) {
      if (row === col) continue;
      const r = a[row]!;
      const f = r[col]! / p[col]!;
      for (let k = col; k < 9; k++) r[k]! -= f * p[k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

export function applyHomography(h: readonly number[], { x, y }: Point): Point {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return { x: (h[0]! * x + h[1]! * y + h[2]!) / w, y: (h[3]! * x + h[4]! * y + h[5]!) / w };
}

export interface WarpOptions {
  /** Rounds the image's corners off by this radius (source pixels): a card's die-cut corners. */
  cornerRadius?: number;
}

// 2×2 samples a pixel: the pasted image's edges blend into the background as a lens would blur
// them, and a card shrunk to half its size does not alias its text into noise.
const SUBSAMPLES = [0.25, 0.75];

/**
 * A copy of `background` with `image` pasted under a perspective (projective) warp that puts its
 * corners at `corners` (top left, top right, bottom right, bottom left): each destination pixel
 * is mapped back through the inverse homography and sampled bilinearly.
 */
export function warpOnto(background: RgbaImage, image: RgbaImage, corners: Quad, options: WarpOptions = {}): RgbaImage {
  const { width: w, height: h } = image;
  const source: Quad = [{ x: 0, y: 0 }, { x: w, y: 0 }, { x: w, y: h }, { x: 0, y: h }];
  const back = homography(corners, source);
  const radius = options.cornerRadius ?? 0;
  const isInside = (u: number, v: number) => {
    if (u < 0 || v < 0 || u >= w || v >= h) return false;
    const dx = u < radius ? radius - u : u > w - radius ? u - (w - radius) : 0;
    const dy = v < radius ? radius - v : v > h - radius ? v - (h - radius) : 0;
    return dx * dx + dy * dy <= radius * radius;
  };
  const out = new Uint8Array(background.data);
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const left = Math.max(0, Math.floor(Math.min(...xs)));
  const right = Math.min(background.width, Math.ceil(Math.max(...xs)));
  const top = Math.max(0, Math.floor(Math.min(...ys)));
  const bottom = Math.min(background.height, Math.ceil(Math.max(...ys)));
  const pixel = [0, 0, 0, 0];
  const sum = [0, 0, 0];
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      const i = (y * background.width + x) * 4;
      sum[0] = sum[1] = sum[2] = 0;
      let covered = 0;
      for (const oy of SUBSAMPLES) {
        for (const ox of SUBSAMPLES) {
          const { x: u, y: v } = applyHomography(back, { x: x + ox, y: y + oy });
          const alpha = isInside(u, v) ? (sampleBilinear(image, u, v, pixel), pixel[3]! / 255) : 0;
          if (alpha > 0) covered++;
          for (let c = 0; c < 3; c++) sum[c]! += pixel[c]! * alpha + out[i + c]! * (1 - alpha);
        }
      }
      if (covered) for (let c = 0; c < 3; c++) out[i + c] = Math.round(sum[c]! / 4);
    }
  }
  return { width: background.width, height: background.height, data: out };
}

/** Integer hash of a lattice point to 0..1: the same seed, the same texture. */
function hash01(x: number, y: number, seed: number): number {
  let n = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  n = Math.imul(n ^ (n >>> 15), 0x85ebca6b);
  n = Math.imul(n ^ (n >>> 13), 0xc2b2ae35);
  return ((n ^ (n >>> 16)) >>> 0) / 0x1_0000_0000;
}

function valueNoise(x: number, y: number, seed: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const top = hash01(x0, y0, seed) * (1 - sx) + hash01(x0 + 1, y0, seed) * sx;
  const bottom = hash01(x0, y0 + 1, seed) * (1 - sx) + hash01(x0 + 1, y0 + 1, seed) * sx;
  return top * (1 - sy) + bottom * sy;
}

/**
 * A dark wooden table top: wavy grain along x, planks 120 px wide with a dark seam, per-plank tint
 * and a little pixel noise, so edge detection meets the clutter a real table has.
 */
export function woodTexture(width: number, height: number, seed = 1): RgbaImage {
  const base: Rgb = [96, 64, 44];
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const plank = Math.floor((y + 37) / 120);
      const isSeam = (y + 37) % 120 < 2;
      const tint = 0.88 + 0.24 * hash01(plank, 0, seed);
      const wobble = 9 * valueNoise(x / 110, y / 14, seed + 1) + 3 * valueNoise(x / 23, y / 5, seed + 2);
      const grain = 0.5 + 0.5 * Math.sin((y + wobble) * 0.9 + 2 * valueNoise(x / 300, plank, seed + 3));
      const shade = (isSeam ? 0.55 : 1) * tint * (0.82 + 0.18 * grain);
      const speck = (hash01(x, y, seed + 4) - 0.5) * 10;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, Math.round(base[c]! * shade + speck)));
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** A copy with −1, 0 or +1 added to R, G and B alike (≈ ±1 of luma): sensor noise on a still scene. */
export function jitterLuma(image: RgbaImage, seed: number): RgbaImage {
  const data = new Uint8Array(image.data);
  for (let p = 0, i = 0; i < data.length; p++, i += 4) {
    const d = Math.floor(hash01(p, 0, seed) * 3) - 1;
    for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c]! + d));
  }
  return { width: image.width, height: image.height, data };
}

// ---- Scenes (640×480) ----

export interface DocumentSceneOptions {
  /** Width of the card's bounding box as a share of the frame's width. */
  widthShare?: number;
  /** Turns of the card: in the picture's plane, top edge away from the camera, left edge nearer. */
  rollDegrees?: number;
  pitchDegrees?: number;
  yawDegrees?: number;
  /** What the card lies on, 640×480: woodTexture() unless given. */
  background?: RgbaImage;
}

/** The detector's default guess at a phone camera's focal length (flow/vision/rectangle-aspect.ts). */
const FOCAL_PX = 0.9 * SCENE_WIDTH;
const CARD_MM = { width: 85.6, height: 54 };
const CARD_CORNER_RADIUS_PX = 24;

/**
 * The specimen ID card lying on a dark wooden table, photographed a little askew through a
 * pinhole camera (so the corners are a true perspective view of an 85.6 × 54 mm rectangle), fully
 * inside the frame. `corners` are where the card's corners are in the image. The card's navy
 * header is about as bright as the wood: only a detector that also looks at colour sees its top edge.
 */
export function documentScene(options: DocumentSceneOptions = {}): { image: RgbaImage; corners: Quad } {
  const { widthShare = 0.62, rollDegrees = -7, pitchDegrees = 14, yawDegrees = 6, background = woodTexture(SCENE_WIDTH, SCENE_HEIGHT) } = options;
  let distanceMm = (FOCAL_PX * CARD_MM.width) / (widthShare * SCENE_WIDTH);
  let corners = projectCard(rollDegrees, pitchDegrees, yawDegrees, distanceMm);
  // The bounding box is not quite inversely proportional to distance under perspective: refine.
  for (let i = 0; i < 4; i++) {
    const xs = corners.map((p) => p.x);
    distanceMm *= (Math.max(...xs) - Math.min(...xs)) / (widthShare * SCENE_WIDTH);
    corners = projectCard(rollDegrees, pitchDegrees, yawDegrees, distanceMm);
  }
  const card = readPng(fixturePath('id-card-specimen.png'));
  const image = warpOnto(background, card, corners, { cornerRadius: CARD_CORNER_RADIUS_PX });
  return { image, corners };
}

function projectCard(rollDegrees: number, pitchDegrees: number, yawDegrees: number, distanceMm: number): Quad {
  const [roll, pitch, yaw] = [rollDegrees, pitchDegrees, yawDegrees].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const halfW = CARD_MM.width / 2;
  const halfH = CARD_MM.height / 2;
  const project = (x: number, y: number): Point => {
    // Yaw about the vertical axis, then pitch about the horizontal one, then roll in the image plane.
    let z = -x * Math.sin(yaw);
    x = x * Math.cos(yaw);
    [y, z] = [y * Math.cos(pitch) - z * Math.sin(pitch), y * Math.sin(pitch) + z * Math.cos(pitch)];
    [x, y] = [x * Math.cos(roll) - y * Math.sin(roll), x * Math.sin(roll) + y * Math.cos(roll)];
    const depth = distanceMm + z;
    return { x: SCENE_WIDTH / 2 + (FOCAL_PX * x) / depth, y: SCENE_HEIGHT / 2 + (FOCAL_PX * y) / depth };
  };
  return [project(-halfW, -halfH), project(halfW, -halfH), project(halfW, halfH), project(-halfW, halfH)];
}

/** Where astronaut.png's face is (its bounding box, in that image's pixels). */
const ASTRONAUT_FACE: Rect = { x: 177, y: 82, width: 95, height: 95 };

/**
 * astronaut.png cropped and enlarged so that her face is about a third of the frame's width, in
 * the middle of it. `face` is the face box in the scene.
 */
export function selfieScene(faceShare = 0.32): { image: RgbaImage; face: Rect } {
  const astronaut = readPng(fixturePath('astronaut.png'));
  const zoom = (faceShare * SCENE_WIDTH) / ASTRONAUT_FACE.width;
  const width = Math.round(SCENE_WIDTH / zoom);
  const height = Math.round(SCENE_HEIGHT / zoom);
  const x = Math.round(ASTRONAUT_FACE.x + ASTRONAUT_FACE.width / 2 - width / 2);
  const y = Math.round(ASTRONAUT_FACE.y + ASTRONAUT_FACE.height / 2 - height / 2);
  const image = scale(crop(astronaut, { x, y, width, height }), SCENE_WIDTH, SCENE_HEIGHT);
  const [zx, zy] = [SCENE_WIDTH / width, SCENE_HEIGHT / height];
  const face = { x: (ASTRONAUT_FACE.x - x) * zx, y: (ASTRONAUT_FACE.y - y) * zy, width: ASTRONAUT_FACE.width * zx, height: ASTRONAUT_FACE.height * zy };
  return { image, face };
}

/** The cat: a picture with neither a document nor a human face. */
export function noDocumentScene(): { image: RgbaImage } {
  const cat = readPng(fixturePath('chelsea.png'));
  const width = Math.round((cat.height * SCENE_WIDTH) / SCENE_HEIGHT);
  const middle = crop(cat, { x: Math.round((cat.width - width) / 2), y: 0, width, height: cat.height });
  return { image: scale(middle, SCENE_WIDTH, SCENE_HEIGHT) };
}

// ---- Camera files ----

export interface CameraSegment {
  image: RgbaImage;
  seconds: number;
}

/**
 * A y4m of still scenes one after another. Each frame gets its own ±1 luma noise, so the video is
 * a still scene as a sensor sees it, not a frozen picture. Chromium loops the file.
 */
export function cameraFile(path: string, segments: readonly CameraSegment[], fps: number): string {
  let seed = 1;
  const frames = segments.flatMap(({ image, seconds }) =>
    Array.from({ length: Math.max(1, Math.round(seconds * fps)) }, () => jitterLuma(image, seed++)),
  );
  writeY4m(path, frames, fps);
  return path;
}

export interface FlowCameraOptions {
  fps?: number;
  secondsPerScene?: number;
}

/**
 * One camera for a whole `document+selfie` verification: the document scene for
 * `secondsPerScene`, then the selfie scene as long, looped by Chromium. At the default 2 fps and
 * 4 s a scene it is 16 frames of 640×480, 7.4 MB. Chromium keeps the file's frame rate and starts
 * the file again at its first frame whenever the camera is opened anew (getUserMedia after every
 * track was stopped): each step that reopens the camera begins on the document, and the selfie
 * step sees the card (whose portrait is a small face) for `secondsPerScene` before the face.
 */
export function flowCameraFile(dir: string, options: FlowCameraOptions = {}): string {
  const { fps = 2, secondsPerScene = 4 } = options;
  return cameraFile(
    join(dir, 'flow-camera.y4m'),
    [
      { image: documentScene().image, seconds: secondsPerScene },
      { image: selfieScene().image, seconds: secondsPerScene },
    ],
    fps,
  );
}
