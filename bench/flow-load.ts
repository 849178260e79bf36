/**
 * From the link to a live camera: the flow page opened as an applicant opens it, in a fresh
 * browser context (empty HTTP cache) and then again in the same context with a new link (cache
 * warm: the immutable /assets, the 13 MB wasm among them, come from the cache). An in-page robot
 * (flow-probes.ts) ticks the consent, presses Start and Continue on the first animation frame it
 * can, so the times are the flow's and the machine's, with no human (or Playwright) in them.
 *
 * Also the bytes of the cold load, from the responses' Content-Length (the compressed copies the
 * server sends): the page's own JavaScript asked for before the camera was live, against the
 * budget, and the worker's files (whenever asked for) beside it.
 *
 * Baseline, in the same browser: a bare page opening the same camera with the same constraints
 * (getUserMedia to a video with a frame): what any page pays for a live preview here. The ratio
 * is the flow's consent-to-live time over it.
 */
import type { BrowserContext, Page, Response } from 'playwright-core';
import { createLink } from '../test/support/api.js';
import type { VerifyNowServer } from './children.js';
import { gzipSizeOf, type FlowBuild } from './flow-build.js';
import { PROBES, ROBOT, waitInPage } from './flow-probes.js';
import { DETAIL_INDENT, fmt, report } from './report.js';

/** After consent, with the wasm cached. */
const TARGET_CONSENT_TO_LIVE_MS = 1500;
/** Main-thread JavaScript before the camera is live, compressed. */
const TARGET_MAIN_THREAD_JS_BYTES = 60_000;
const LIVE_TIMEOUT_MS = 30_000;
const KB = 1000;

interface RobotMarks {
  introShown?: number;
  startPressed?: number;
  documentTypeShown?: number;
  continuePressed?: number;
  captureShown?: number;
  videoHasFrame?: number;
  live?: number;
}

interface Fetched {
  path: string;
  /** Request start, ms since the epoch (Playwright's clock, the page's wall clock). */
  startedAt: number;
  encoding: string;
  wireBytes: number;
}

export interface FlowVisit {
  page: Page;
  marks: Required<Pick<RobotMarks, 'startPressed' | 'live'>> & RobotMarks;
  /** performance.timeOrigin of the page: marks + timeOrigin = wall clock. */
  timeOrigin: number;
  fetched: Fetched[];
}

/** Opens a new link's flow page in `context` and lets the robot take it to a live camera. */
export async function visitFlow(context: BrowserContext, vn: VerifyNowServer): Promise<FlowVisit> {
  const link = await createLink(vn.url, vn.apiKey, { name: 'Bench', flow: 'document+selfie', usageLimit: null });
  const url = link.url.replace(/^https?:\/\/[^/]+/, vn.url);
  const page = await context.newPage();
  await page.addInitScript(PROBES);
  await page.addInitScript(ROBOT);
  const fetched: Fetched[] = [];
  page.on('response', (response) => void record(response, fetched));
  await page.goto(url);
  try {
    await waitInPage(page, 'window.__vnRobot.marks.live !== undefined || window.__vnRobot.failure', LIVE_TIMEOUT_MS, 'a live camera');
  } catch (error) {
    throw new Error(`the flow did not reach a live camera; the robot got as far as ${JSON.stringify(await robotOf(page))}`, { cause: error });
  }
  const robot = await robotOf(page);
  if (robot.failure) throw new Error(`the flow did not reach a live camera: ${robot.failure}`);
  const timeOrigin = (await page.evaluate('performance.timeOrigin')) as number;
  return { page, marks: robot.marks as FlowVisit['marks'], timeOrigin, fetched };
}

/**
 * When the flow's worker answered its first three calls (init: wasm and model loaded; reset; the
 * first frame), in ms from the link's opening; waits for them, so that every download is counted.
 */
async function detectionStart(page: Page): Promise<number[]> {
  await waitInPage(page, 'window.__vnProbe.firstWorkerMessages.length >= 3', LIVE_TIMEOUT_MS, 'the first frame analysed');
  return (await page.evaluate('window.__vnProbe.firstWorkerMessages')) as number[];
}

const robotOf = (page: Page) => page.evaluate('window.__vnRobot') as Promise<{ marks: RobotMarks; failure: string }>;

async function record(response: Response, into: Fetched[]): Promise<void> {
  const headers = await response.allHeaders().catch(() => ({}) as Record<string, string>);
  const length = Number(headers['content-length']);
  into.push({
    path: new URL(response.url()).pathname,
    startedAt: response.request().timing().startTime,
    encoding: headers['content-encoding'] ?? 'identity',
    wireBytes: Number.isFinite(length) ? length : (await response.request().sizes().catch(() => ({ responseBodySize: 0 }))).responseBodySize,
  });
}

export async function flowLoadBenchmarks(flowContext: BrowserContext, vn: VerifyNowServer, build: FlowBuild, bareCameraMs: number): Promise<void> {
  console.log('7. the flow page, from the link to a live camera (robot applicant: clicks on the first frame it can)');
  report(
    { name: 'bare page: camera live', value: `${fmt(bareCameraMs)} ms`, p99: '', ratio: '1.00×', cpu: '', target: '', met: null },
    'getUserMedia (same constraints as the flow) until the <video> has a frame, on an empty page in the same browser',
  );
  const cold = await visitFlow(flowContext, vn);
  const coldDetection = await detectionStart(cold.page);
  await cold.page.close();
  const warm = await visitFlow(flowContext, vn);
  const warmDetection = await detectionStart(warm.page);
  await warm.page.close();

  for (const [label, visit, detection, target] of [
    ['cold', cold, coldDetection, null],
    ['warm', warm, warmDetection, TARGET_CONSENT_TO_LIVE_MS],
  ] as const) {
    const { marks } = visit;
    const afterConsent = marks.live - marks.startPressed;
    report(
      {
        name: `consent → live camera, ${label}`,
        value: `${fmt(afterConsent)} ms`,
        p99: '',
        ratio: `${(afterConsent / bareCameraMs).toFixed(2)}×`,
        cpu: '',
        target: target === null ? '' : `< ${fmt(target)} ms`,
        met: target === null ? null : afterConsent < target,
      },
      `link opened → intro ready ${fmt(marks.introShown ?? NaN)} ms → Start ${fmt(marks.startPressed)} ms → document type ` +
        `${fmt(marks.documentTypeShown ?? NaN)} ms → capture step ${fmt(marks.captureShown ?? NaN)} ms → video has a frame ` +
        `${fmt(marks.videoHasFrame ?? NaN)} ms → shutter enabled ${fmt(marks.live)} ms\n` +
        `${DETAIL_INDENT}${label === 'cold' ? 'empty HTTP cache' : 'same context, new link: /assets from the HTTP cache'}; ` +
        `detection (in its worker) ready ${fmt(detection[0] ?? NaN)} ms, first frame analysed ${fmt(detection[2] ?? NaN)} ms after the link was opened`,
    );
  }
  reportBytes(cold, build);
}

/**
 * The 60 KB budget is for the JavaScript the page's main thread must fetch, parse and run before
 * the applicant can act: it delays the intro and the camera. The worker's JavaScript (the detection
 * bundle with MediaPipe's tasks-vision, and MediaPipe's wasm loader) is fetched and compiled on the
 * worker's thread while the applicant reads the intro; nothing on screen waits for it (the shutter
 * and the upload work without detection), so it is reported beside the budget, not in it, with
 * the wasm and the model, whose cost is download and compile time on the worker.
 */
function reportBytes(visit: FlowVisit, build: FlowBuild): void {
  const liveAt = visit.timeOrigin + visit.marks.live;
  const all = visit.fetched;
  const kinds = {
    main: all.filter((f) => build.mainThreadScripts.has(f.path) && f.startedAt <= liveAt),
    // The worker's files are counted whenever they were asked for: the worker may still be
    // fetching its wasm when the camera goes live.
    worker: all.filter((f) => f.path.endsWith('.js') && !build.mainThreadScripts.has(f.path)),
    wasm: all.filter((f) => f.path.endsWith('.wasm')),
    model: all.filter((f) => f.path.endsWith('.tflite')),
    html: all.filter((f) => f.path.startsWith('/v/')),
  };
  const lateMain = all.filter((f) => build.mainThreadScripts.has(f.path) && f.startedAt > liveAt);
  const firstAsked = (list: Fetched[]) => Math.min(...list.map((f) => f.startedAt)) - visit.timeOrigin;
  const sum = (list: Fetched[]) => list.reduce((total, f) => total + f.wireBytes, 0);
  const gzip = (list: Fetched[]) => list.reduce((total, f) => total + (gzipSizeOf(f.path) ?? f.wireBytes), 0);
  const encodings = [...new Set(all.filter((f) => f.path.startsWith('/assets/')).map((f) => f.encoding))].join(', ');
  const files = (list: Fetched[]) => list.map((f) => `${f.path.replace('/assets/', '')} ${fmt(f.wireBytes / KB, 1)}`).join(', ');
  const mainBytes = sum(kinds.main);
  report(
    {
      name: 'main-thread JS before live camera',
      value: `${fmt(mainBytes / KB, 1)} KB`,
      p99: '',
      // Bytes do not depend on the machine: there is no baseline to divide by; the ratio is the share of the budget used.
      ratio: `${(mainBytes / TARGET_MAIN_THREAD_JS_BYTES).toFixed(2)}×`,
      cpu: '',
      target: `≤ ${TARGET_MAIN_THREAD_JS_BYTES / KB} KB`,
      met: mainBytes <= TARGET_MAIN_THREAD_JS_BYTES,
    },
    `on the wire (${encodings || 'none'}), cold load: ${files(kinds.main)} KB; as gzip ${fmt(gzip(kinds.main) / KB, 1)} KB; ` +
      `ratio: share of the budget\n${DETAIL_INDENT}page HTML ${fmt(sum(kinds.html) / KB, 1)} KB (no-store, inline page data)` +
      (lateMain.length ? `; after the camera was live: ${files(lateMain)} KB` : ''),
  );
  report(
    { name: 'worker JS (not in the budget)', value: `${fmt(sum(kinds.worker) / KB, 1)} KB`, p99: '', ratio: '', cpu: '', target: '', met: null },
    `${files(kinds.worker)} KB; as gzip ${fmt(gzip(kinds.worker) / KB, 1)} KB; the first asked for ${fmt(firstAsked(kinds.worker))} ms after the link was opened\n` +
      `${DETAIL_INDENT}and for the worker: wasm ${fmt(sum(kinds.wasm) / KB)} KB, face model ${fmt(sum(kinds.model) / KB)} KB (gzip ${fmt(gzip(kinds.wasm) / KB)} and ${fmt(gzip(kinds.model) / KB)} KB)`,
  );
}
