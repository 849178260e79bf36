/**
 * Detection speed: the flow's own detection worker (the built file under /assets), fed 640×480
 * frames of the fake camera's scenes as transferred ImageBitmaps through comlink, one in flight,
 * as flow/detection.ts feeds it. Here frames go back to back: the flow waits at least 50 ms
 * between frames (so it never asks for more than 20 fps), the benchmark measures what the worker
 * can deliver.
 *
 * Baseline, in the same page and run: the same loop through a bare worker that does only what any
 * detector must do with a frame before looking at it — receive the transferred bitmap through
 * comlink, draw it and read its pixels back (worker.ts's own first lines) — and answers. Its rate
 * is the ceiling of this page → worker pipeline on this machine at this moment (other load on the
 * two cores lowers both alike); the ratio is the share of that ceiling detection keeps.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScene, jitterLuma, selfieScene, type RgbaImage } from '../test/support/fake-camera.js';
import type { FlowBuild } from './flow-build.js';
import { BENCH_PATH, type BenchFiles } from './flow-pages.js';
import { waitInPage } from './flow-probes.js';
import { sumOf, traceWhile } from './flow-trace.js';
import { DETAIL_INDENT, fmt, report } from './report.js';

/** Frames per second the flow needs for live guidance and a prompt auto-capture. */
const TARGET_FPS = 15;
/** Sensor-noise variants of each scene, sent in turn (a still scene as a camera sees it). */
const VARIANTS = 2;

interface Measured {
  frames: number;
  seconds: number;
  /** The worker's own time per frame (FrameAnalysis.elapsedMs), sorted. */
  workerMs: number[];
  /** Page-side time per frame: bitmap, transfer, analysis, answer. */
  roundTripMs: number[];
  withQuad: number;
  withFace: number;
  guidance: Record<string, number>;
}

/** Runs in the bench page (a module script): the worker under test and the floor, driven from here. */
const HARNESS = `
import * as Comlink from '${BENCH_PATH}/comlink.mjs';

const workers = {};
const framesOf = {};

async function frames(scene) {
  if (!framesOf[scene]) {
    const bytes = new Uint8ClampedArray(await (await fetch('${BENCH_PATH}/frames/' + scene)).arrayBuffer());
    const size = 640 * 480 * 4;
    framesOf[scene] = [];
    for (let at = 0; at < bytes.length; at += size) framesOf[scene].push(new ImageData(bytes.slice(at, at + size), 640, 480));
  }
  return framesOf[scene];
}

const percentileSorted = (values) => values.slice().sort((a, b) => a - b);

window.detectionBench = {
  async start(name, url, assets) {
    const started = performance.now();
    workers[name] = Comlink.wrap(new Worker(url, { type: 'module', name }));
    const abilities = assets ? await workers[name].init(assets) : {};
    return { ...abilities, startMs: performance.now() - started };
  },

  async measure(name, scene, options, seconds) {
    const worker = workers[name];
    const images = await frames(scene);
    let next = 0;
    const one = async () => {
      const bitmap = await createImageBitmap(images[next++ % images.length]);
      return worker.analyse(Comlink.transfer(bitmap, [bitmap]), options);
    };
    await worker.reset();
    const started = performance.now();
    const end = started + seconds * 1000;
    const workerMs = [], roundTripMs = [], guidance = {};
    let withQuad = 0, withFace = 0;
    while (performance.now() < end) {
      const sent = performance.now();
      const analysis = await one();
      roundTripMs.push(performance.now() - sent);
      workerMs.push(analysis.elapsedMs);
      if (analysis.quad) withQuad++;
      if (analysis.faces.length) withFace++;
      guidance[analysis.guidance] = (guidance[analysis.guidance] ?? 0) + 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { frames: workerMs.length, seconds: elapsed, workerMs: percentileSorted(workerMs), roundTripMs: percentileSorted(roundTripMs), withQuad, withFace, guidance };
  },
};
`;

/** The floor: a worker that receives a frame and reads its pixels, and nothing else. */
const FLOOR_WORKER = `
import * as Comlink from '${BENCH_PATH}/comlink.mjs';
const canvas = new OffscreenCanvas(1, 1);
const context = canvas.getContext('2d', { willReadFrequently: true });
Comlink.expose({
  analyse(frame) {
    const started = performance.now();
    try {
      if (canvas.width !== frame.width || canvas.height !== frame.height) {
        canvas.width = frame.width;
        canvas.height = frame.height;
      }
      context.drawImage(frame, 0, 0);
      const { data } = context.getImageData(0, 0, frame.width, frame.height);
      return { quad: null, faces: [], guidance: 'none', good: data[0] > 255, elapsedMs: performance.now() - started };
    } finally {
      frame.close();
    }
  },
  reset() {},
});
`;

function framesFile(image: RgbaImage): Buffer {
  return Buffer.concat(Array.from({ length: VARIANTS }, (_, i) => Buffer.from(jitterLuma(image, i + 1).data)));
}

/** The bench page's files for this benchmark: its harness, the floor worker and the scenes' frames. */
export function detectionFiles(): BenchFiles {
  return {
    'detection.js': { type: 'text/javascript', body: HARNESS },
    'floor-worker.js': { type: 'text/javascript', body: FLOOR_WORKER },
    'frames/document': { type: 'application/octet-stream', body: framesFile(documentScene().image) },
    'frames/selfie': { type: 'application/octet-stream', body: framesFile(selfieScene().image) },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** A measured loop under a trace: the worker's and the page's thread time per frame, which other load does not change. */
async function tracedMeasure(browser: Browser, page: Page, call: Caller, args: [string, string, object], seconds: number, warmupSeconds: number) {
  await call<Measured>('measure', ...args, warmupSeconds);
  const { result, trace } = await traceWhile(browser, page, `detection-${args[0]}-${args[1]}`, () => call<Measured>('measure', ...args, seconds));
  const perFrame = (threads: string[]) => Math.max(0, ...threads.map((t) => sumOf(trace.tasks(t), 'cpuMs'))) / result.frames;
  return { ...result, workerCpuMs: perFrame(trace.threads('DedicatedWorker thread')), pageCpuMs: perFrame(trace.threads('CrRendererMain')) };
}

type Caller = <T>(method: string, ...args: unknown[]) => Promise<T>;

export async function detectionBenchmarks(browser: Browser, context: BrowserContext, origin: string, build: FlowBuild, seconds: number, warmupSeconds: number): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}${BENCH_PATH}/blank?script=detection.js`);
    await waitInPage(page, 'window.detectionBench !== undefined', 10_000, 'the detection bench page');
    const call: Caller = <T>(method: string, ...args: unknown[]) =>
      page.evaluate(`window.detectionBench.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`) as Promise<T>;

    console.log(`6. detection: the flow's worker (${build.worker}) on 640×480 transferred ImageBitmaps, one in flight, back to back`);
    const floorStart = await call<{ startMs: number }>('start', 'floor', `${BENCH_PATH}/floor-worker.js`, null);
    const vision = await call<{ faces: boolean; startMs: number }>('start', 'vision', build.worker, {
      wasmLoaderUrl: build.wasmLoader,
      wasmBinaryUrl: build.wasmBinary,
      modelUrl: build.model,
    });
    console.log(
      `${DETAIL_INDENT}worker started and init() done in ${fmt(vision.startMs)} ms (wasm and model from the server, cold), ` +
        `face model ${vision.faces ? 'loaded' : 'NOT LOADED'}; floor worker ${fmt(floorStart.startMs)} ms`,
    );

    const floor = await tracedMeasure(browser, page, call, ['floor', 'document', { target: 'document' }], seconds, warmupSeconds);
    const floorFps = floor.frames / floor.seconds;
    report(
      { name: 'floor: frame in, pixels read', value: `${fmt(floorFps, 1)} fps`, p99: `p95 ${fmt(percentile(floor.roundTripMs, 0.95), 1)} ms`, ratio: '1.00×', cpu: '', target: '', met: null },
      `${fmt(floor.frames)} frames in ${fmt(floor.seconds, 1)} s; round trip p50 ${fmt(percentile(floor.roundTripMs, 0.5), 1)} ms, ` +
        `in the worker p50 ${fmt(percentile(floor.workerMs, 0.5), 1)} ms: createImageBitmap, transfer, drawImage, getImageData\n` +
        `${DETAIL_INDENT}thread time per frame: worker ${fmt(floor.workerCpuMs, 1)} ms, page ${fmt(floor.pageCpuMs, 1)} ms`,
    );

    const runs = [
      { name: 'detection fps, document front', scene: 'document', options: { target: 'document', documentType: 'id_card', requirePortrait: true } },
      { name: 'detection fps, selfie', scene: 'selfie', options: { target: 'selfie' } },
    ];
    for (const run of runs) {
      const m = await tracedMeasure(browser, page, call, ['vision', run.scene, run.options], seconds, warmupSeconds);
      const fps = m.frames / m.seconds;
      const found =
        run.scene === 'selfie'
          ? `face found in ${share(m.withFace, m.frames)}`
          : `card found in ${share(m.withQuad, m.frames)}, portrait in ${share(m.withFace, m.frames)}` +
            // Without a card there is no portrait search (a face detection on the card): the found-card path costs more.
            (m.withQuad ? '' : ' (NO CARD FOUND: this is the cost of a fruitless search, not of the found-card path)');
      report(
        {
          name: run.name,
          value: `${fmt(fps, 1)} fps`,
          p99: `p95 ${fmt(percentile(m.workerMs, 0.95), 1)} ms`,
          ratio: `${(fps / floorFps).toFixed(2)}×`,
          cpu: '',
          target: `≥ ${TARGET_FPS} fps`,
          met: fps >= TARGET_FPS,
        },
        `${fmt(m.frames)} frames in ${fmt(m.seconds, 1)} s; worker elapsedMs p50 ${fmt(percentile(m.workerMs, 0.5), 1)} ms, ` +
          `p95 ${fmt(percentile(m.workerMs, 0.95), 1)} ms, max ${fmt(m.workerMs.at(-1) ?? NaN, 1)} ms; round trip p50 ${fmt(percentile(m.roundTripMs, 0.5), 1)} ms\n` +
          `${DETAIL_INDENT}thread time per frame: worker ${fmt(m.workerCpuMs, 1)} ms (≈ ${fmt(1000 / m.workerCpuMs)} fps with a core to itself), page ${fmt(m.pageCpuMs, 1)} ms\n` +
          `${DETAIL_INDENT}${found}; guidance ${Object.entries(m.guidance).map(([g, n]) => `${g}×${n}`).join(' ')}`,
      );
    }
  } finally {
    await page.close();
  }
}

const share = (n: number, of: number) => `${of ? Math.round((100 * n) / of) : 0}%`;
