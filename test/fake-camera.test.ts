/**
 * The fake cameras the browser tests film their scenes with: a y4m file that Chromium plays as its
 * camera comes back through getUserMedia with its colours, the scenes put the card and the face
 * where they say, and the one-file camera for a whole verification shows the document and then
 * the face. The scenes are saved to test-results/fake-camera/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import {
  documentScene,
  fakeCameraArgs,
  fill,
  flowCameraFile,
  noDocumentScene,
  SCENE_HEIGHT,
  SCENE_WIDTH,
  selfieScene,
  warpOnto,
  writePng,
  writeY4m,
  type Quad,
  type Rgb,
  type RgbaImage,
} from './support/fake-camera.js';
import { REPO_ROOT } from './support/server-process.js';

const SHOTS = join(REPO_ROOT, 'test-results', 'fake-camera');

// getUserMedia wants a secure context: http://127.0.0.1 is one, a page set with setContent is not.
// The page asks for what flow/camera.ts asks for (1920×1080 ideal) and reads the video back.
const PAGE = `<!doctype html><meta charset="utf-8"><title>fake camera</title>
<video muted playsinline></video>
<script>
  const video = document.querySelector('video');
  const canvas = document.createElement('canvas');
  window.startCamera = async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { width: { ideal: 1920 }, height: { ideal: 1080 } } });
    video.srcObject = stream;
    await video.play();
    await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
    const { width, height, frameRate } = stream.getVideoTracks()[0].getSettings();
    return { width, height, frameRate, videoWidth: video.videoWidth, videoHeight: video.videoHeight };
  };
  const pixels = () => {
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    return context.getImageData(0, 0, canvas.width, canvas.height).data;
  };
  window.meanColour = (x, y, radius) => {
    const data = pixels();
    const sum = [0, 0, 0];
    let n = 0;
    for (let v = y - radius; v <= y + radius; v++) for (let u = x - radius; u <= x + radius; u++, n++)
      for (let c = 0; c < 3; c++) sum[c] += data[(v * canvas.width + u) * 4 + c];
    return sum.map((s) => Math.round(s / n));
  };
  window.lumaGrid = (columns, rows) => {
    const data = pixels();
    const grid = [];
    for (let row = 0; row < rows; row++) for (let column = 0; column < columns; column++) {
      const x = Math.floor(((column + 0.5) * canvas.width) / columns);
      const y = Math.floor(((row + 0.5) * canvas.height) / rows);
      const i = (y * canvas.width + x) * 4;
      grid.push(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
    }
    return grid;
  };
</script>`;

let server: Server;
let pageUrl: string;
let dir: string;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'vn-fake-camera-'));
  server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface CameraSettings {
  width: number;
  height: number;
  frameRate: number;
  videoWidth: number;
  videoHeight: number;
}

/** A browser whose camera plays `y4mPath`, on the page above with the camera started. */
async function filmWith(y4mPath: string): Promise<{ browser: Browser; page: Page; settings: CameraSettings; startedMs: number }> {
  const browser = await launchChromium({ args: fakeCameraArgs(y4mPath) });
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(pageUrl);
  const startedMs = performance.now();
  const settings = (await page.evaluate('startCamera()')) as CameraSettings;
  return { browser, page, settings, startedMs };
}

function pixelAt(image: RgbaImage, x: number, y: number): Rgb {
  const i = (Math.floor(y) * image.width + Math.floor(x)) * 4;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

function assertColour(actual: readonly number[], expected: Rgb, tolerance: number, what: string) {
  const off = Math.max(...expected.map((e, c) => Math.abs(e - actual[c]!)));
  assert.ok(off <= tolerance, `${what}: got rgb(${actual.join(', ')}), expected rgb(${expected.join(', ')}) ± ${tolerance}`);
}

const RED: Rgb = [210, 40, 40];
const GREEN: Rgb = [40, 190, 70];
const BLUE: Rgb = [40, 70, 210];
const YELLOW: Rgb = [230, 210, 60];
const GREY: Rgb = [128, 128, 128];

/** Four flat quadrants: red, green / blue, yellow. */
function quadrants(width: number, height: number): RgbaImage {
  const image = fill(width, height, RED);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? RED : GREEN) : x < width / 2 ? BLUE : YELLOW;
      image.data.set(colour, (y * width + x) * 4);
    }
  }
  return image;
}

test('Chromium plays a y4m file as the camera: four coloured quadrants come back through getUserMedia', async () => {
  const path = join(dir, 'quadrants.y4m');
  writeY4m(path, [quadrants(SCENE_WIDTH, SCENE_HEIGHT)], 5);
  const { browser, page, settings } = await filmWith(path);
  try {
    // The file camera has one format, the file's: an ideal 1920×1080 gets 640×480 at the file's rate.
    assert.deepEqual([settings.width, settings.height, settings.videoWidth, settings.videoHeight, settings.frameRate], [640, 480, 640, 480, 5]);
    const [w, h] = [SCENE_WIDTH, SCENE_HEIGHT];
    const expected: [number, number, Rgb, string][] = [
      [w / 4, h / 4, RED, 'top left'],
      [(3 * w) / 4, h / 4, GREEN, 'top right'],
      [w / 4, (3 * h) / 4, BLUE, 'bottom left'],
      [(3 * w) / 4, (3 * h) / 4, YELLOW, 'bottom right'],
    ];
    for (const [x, y, colour, what] of expected) {
      assertColour((await page.evaluate(`meanColour(${x}, ${y}, 4)`)) as number[], colour, 6, what);
    }
  } finally {
    await browser.close();
  }
});

test('warpOnto is a true perspective warp: corners land where asked, the centre on the diagonals', () => {
  const corners: Quad = [{ x: 100, y: 60 }, { x: 520, y: 100 }, { x: 460, y: 400 }, { x: 160, y: 330 }];
  const warped = warpOnto(fill(SCENE_WIDTH, SCENE_HEIGHT, GREY), quadrants(200, 120), corners);
  const centroid = { x: corners.reduce((s, p) => s + p.x, 0) / 4, y: corners.reduce((s, p) => s + p.y, 0) / 4 };
  const toward = (p: { x: number; y: number }, q: { x: number; y: number }, px: number) => {
    const d = Math.hypot(q.x - p.x, q.y - p.y);
    return [p.x + ((q.x - p.x) * px) / d, p.y + ((q.y - p.y) * px) / d] as const;
  };
  [RED, GREEN, YELLOW, BLUE].forEach((colour, i) => {
    const corner = corners[i]!;
    assertColour(pixelAt(warped, ...toward(corner, centroid, 3)), colour, 2, `just inside corner ${i}`);
    assertColour(pixelAt(warped, ...toward(corner, centroid, -3)), GREY, 0, `just outside corner ${i}`);
  });
  // A projective warp takes the image's centre to where the quad's diagonals cross (an affine or
  // bilinear stretch would take it elsewhere): the four quadrants meet there.
  const [p0, p1, p2, p3] = corners;
  const d1 = { x: p2.x - p0.x, y: p2.y - p0.y };
  const d2 = { x: p3.x - p1.x, y: p3.y - p1.y };
  const t = ((p1.x - p0.x) * d2.y - (p1.y - p0.y) * d2.x) / (d1.x * d2.y - d1.y * d2.x);
  const cross = { x: p0.x + t * d1.x, y: p0.y + t * d1.y };
  assert.ok(Math.hypot(cross.x - centroid.x, cross.y - centroid.y) > 10, 'the test quad is a strong perspective');
  assertColour(pixelAt(warped, ...toward(cross, p0, 4)), RED, 2, 'toward the top left from the crossing');
  assertColour(pixelAt(warped, ...toward(cross, p1, 4)), GREEN, 2, 'toward the top right from the crossing');
  assertColour(pixelAt(warped, ...toward(cross, p2, 4)), YELLOW, 2, 'toward the bottom right from the crossing');
  assertColour(pixelAt(warped, ...toward(cross, p3, 4)), BLUE, 2, 'toward the bottom left from the crossing');
});

test('the document scene shows the whole card askew on a dark table, 55–70% of the frame wide', () => {
  const { image, corners } = documentScene();
  writePng(join(SHOTS, 'document.png'), image);
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const widthShare = (Math.max(...xs) - Math.min(...xs)) / SCENE_WIDTH;
  assert.ok(widthShare >= 0.55 && widthShare <= 0.7, `the card is ${widthShare} of the frame wide`);
  assert.ok(Math.min(...xs, ...ys) >= 20 && Math.max(...xs) <= SCENE_WIDTH - 20 && Math.max(...ys) <= SCENE_HEIGHT - 20, 'a margin all round');
  assert.ok(Math.abs(corners[1].y - corners[0].y) > 10, 'the card is turned');
  const luma = ([r, g, b]: Rgb) => 0.299 * r + 0.587 * g + 0.114 * b;
  // The card's blue header band is just inside its top edge; the table is dark just outside it.
  const middleOfTop = { x: (corners[0].x + corners[1].x) / 2, y: (corners[0].y + corners[1].y) / 2 };
  const [r, g, b] = pixelAt(image, middleOfTop.x, middleOfTop.y + 8);
  assert.ok(b > r + 40 && b > g, `the header band just inside the top edge: rgb(${r}, ${g}, ${b})`);
  assert.ok(luma(pixelAt(image, middleOfTop.x, middleOfTop.y - 6)) < 100, 'the table just above the top edge');
  const centre = { x: xs.reduce((s, x) => s + x, 0) / 4, y: ys.reduce((s, y) => s + y, 0) / 4 };
  assert.ok(luma(pixelAt(image, centre.x + 60, centre.y + 30)) > 170, "the card's light background");
});

test('the selfie scene has the face a third of the frame wide, in the middle', () => {
  const { image, face } = selfieScene();
  writePng(join(SHOTS, 'selfie.png'), image);
  writePng(join(SHOTS, 'no-document.png'), noDocumentScene().image);
  const share = face.width / SCENE_WIDTH;
  assert.ok(share >= 0.3 && share <= 0.35, `the face is ${share} of the frame wide`);
  assert.ok(Math.abs(face.x + face.width / 2 - SCENE_WIDTH / 2) < 8 && Math.abs(face.y + face.height / 2 - SCENE_HEIGHT / 2) < 8);
});

test('one camera file serves a whole verification: the document, then some seconds later the face', async () => {
  const started = performance.now();
  const path = flowCameraFile(dir);
  const madeMs = performance.now() - started;
  const bytes = statSync(path).size;
  assert.equal(bytes, 16 * (6 + 640 * 480 * 1.5) + 'YUV4MPEG2 W640 H480 F2:1 Ip A1:1 C420jpeg\n'.length, '16 frames: 4 s a scene at 2 fps');
  const [columns, rows] = [32, 24];
  const gridOf = (image: RgbaImage) => {
    const grid: number[] = [];
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const [r, g, b] = pixelAt(image, ((column + 0.5) * image.width) / columns, ((row + 0.5) * image.height) / rows);
        grid.push(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
    return grid;
  };
  const references = { document: gridOf(documentScene().image), selfie: gridOf(selfieScene().image) };
  const distance = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

  const { browser, page, settings, startedMs } = await filmWith(path);
  try {
    const seen: { atMs: number; scene: keyof typeof references; distance: number }[] = [];
    const look = async () => {
      const grid = (await page.evaluate(`lumaGrid(${columns}, ${rows})`)) as number[];
      const [doc, selfie] = [distance(grid, references.document), distance(grid, references.selfie)];
      seen.push({ atMs: Math.round(performance.now() - startedMs), scene: doc < selfie ? 'document' : 'selfie', distance: Math.min(doc, selfie) });
    };
    await look();
    // The file starts playing when the camera opens, before getUserMedia resolves: 4.5 s after the
    // first look is past the selfie's start (4 s) and, unless opening took over 3.5 s, before the
    // loop comes back to the document (8 s).
    await page.waitForTimeout(4_500);
    await look();
    const timeline = seen.map((s) => `${s.atMs} ms: ${s.scene} (off by ${s.distance.toFixed(1)})`).join('; ');
    assert.deepEqual(
      seen.map((s) => s.scene),
      ['document', 'selfie'],
      `${timeline}; frame rate ${settings.frameRate}; file made in ${Math.round(madeMs)} ms, ${bytes} bytes`,
    );
    for (const s of seen) assert.ok(s.distance < 6, `the frame matches its scene closely: ${timeline}`);
  } finally {
    await browser.close();
  }
});
