/**
 * Drives the applicant's flow (`<vn-flow>` behind /v/TOKEN) the way a person does, for the
 * end-to-end tests in test/flow-*.test.ts: by role and visible name (Playwright's locators pierce
 * the flow's shadow roots), keyboard and file choosers included; and reads back through the API
 * what the merchant would see.
 *
 * @example
 *   const rig = useFlowRig(flowCameraFile); // a server and a browser for the file's tests
 *   const { page } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'granted' });
 *   await passIntro(page);
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page, Response } from 'playwright-core';
import { call } from './api.js';
import { launchChromium, waitInPage, watchProblems, type PageProblems } from './browser.js';
import { cameraFile, fakeCameraArgs, noDocumentScene } from './fake-camera.js';
import { REPO_ROOT, spawnServer, type ServerProcess } from './server-process.js';

export const DEVICES = {
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
} satisfies Record<string, BrowserContextOptions>;
export type Device = keyof typeof DEVICES;

/** The h1 of each step, in English. */
export const STEP = {
  intro: 'Verify your identity',
  documentType: 'Which document will you use?',
  front: 'Front of your document',
  back: 'Back of your document',
  passport: 'Your passport photo page',
  selfie: 'A photo of your face',
  review: 'Check your photos',
  upload: 'Sending your photos',
  done: 'Thank you',
  phone: 'Continue on your phone',
  error: 'Something went wrong',
} as const;

/**
 * Chromium with a fake camera device (playing `cameraFile` when given, else Chromium's test
 * pattern) but without `--use-fake-ui-for-media-stream`: nothing grants the camera by itself, so
 * a context is refused it (NotAllowedError, what a person's "Block" gives) unless
 * `openFlow(…, { camera: 'granted' })` grants it. One browser serves both cases.
 */
export function launchFlowBrowser(options: { cameraFile?: string } = {}): Promise<Browser> {
  const args = options.cameraFile
    ? fakeCameraArgs(options.cameraFile).filter((arg) => arg !== '--use-fake-ui-for-media-stream')
    : ['--use-fake-device-for-media-stream'];
  return launchChromium({ args });
}

export interface FlowRig {
  server: ServerProcess;
  browser: Browser;
}

/**
 * One server and one flow browser for a test file, started before its tests and closed after;
 * `camera` writes the y4m the fake camera plays (e.g. flowCameraFile, catCameraFile) into a
 * temporary folder, else the camera is Chromium's test pattern.
 */
export function useFlowRig(camera?: (dir: string) => string): FlowRig {
  const rig = {} as FlowRig;
  let dir: string | undefined;
  before(async () => {
    dir = camera && mkdtempSync(join(tmpdir(), 'vn-flow-'));
    const cameraFile = camera && dir ? camera(dir) : undefined;
    [rig.server, rig.browser] = await Promise.all([spawnServer(), launchFlowBrowser({ cameraFile })]);
  });
  after(async () => {
    await rig.browser?.close();
    await rig.server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return rig;
}

/**
 * A camera that films the cat (test/support/fake-camera.ts `noDocumentScene`): no document, no
 * face, so no step ever takes its photo by itself and the test decides when the shutter is
 * pressed or a file chosen, without racing the auto-capture.
 */
export function catCameraFile(dir: string): string {
  return cameraFile(join(dir, 'cat-camera.y4m'), [{ image: noDocumentScene().image, seconds: 1 }], 2);
}

export interface FlowPage {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  /** The answer to the page's own request. */
  response: Response | null;
}

/** A fresh profile (another person's browser: its own IndexedDB) on `url`. */
export async function openFlow(
  browser: Browser,
  url: string,
  options: {
    device?: Device;
    camera?: 'granted' | 'denied';
    context?: BrowserContextOptions;
    /** Listeners to attach before the page is requested. */
    beforeOpening?: (context: BrowserContext, page: Page) => void;
    /** Scripts every page and frame of the context runs first (e.g. to stand in for a popup blocker). */
    initScripts?: string[];
  } = {},
): Promise<FlowPage> {
  const context = await browser.newContext({ ...DEVICES[options.device ?? 'phone'], locale: 'en-GB', ...options.context });
  if (options.camera === 'granted') await context.grantPermissions(['camera'], { origin: new URL(url).origin });
  for (const script of options.initScripts ?? []) await context.addInitScript(script);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = await watchProblems(page);
  options.beforeOpening?.(context, page);
  const response = await page.goto(url);
  return { context, page, problems, response };
}

export const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

/** Waits for a step's heading, and checks that the step put the focus on it (how it announces itself). */
export async function expectStep(page: Page, name: string, timeout?: number): Promise<void> {
  await heading(page, name).waitFor(timeout === undefined ? {} : { timeout });
  await waitInPage(page, `(${deepActiveElement})()?.tagName === 'H1'`, 5_000).catch(() => undefined);
  const active = await focused(page);
  assert.equal(active.tag === 'H1' ? active.text : `${active.tag} ${active.text}`, name, `the "${name}" step focuses its heading`);
}

/** The element that has the keyboard focus, looking inside shadow roots. */
function deepActiveElement() {
  let element = (globalThis as any).document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

export interface Focused {
  tag: string;
  type: string;
  text: string;
}

export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const element = (${deepActiveElement})();
    const text = (element?.getAttribute('aria-label') || element?.labels?.[0]?.textContent || element?.textContent || '').replace(/\\s+/g, ' ').trim();
    return { tag: element?.tagName ?? '', type: element?.type ?? '', text };
  })()`);
}

/** Presses Tab (or Shift+Tab) until `isTarget` holds for the focused element; at most 20 presses. */
export async function tabTo(page: Page, isTarget: (element: Focused) => boolean, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press(key);
    const element = await focused(page);
    if (isTarget(element)) return element;
    seen.push(`${element.tag}${element.type ? `[${element.type}]` : ''} "${element.text}"`);
  }
  throw new Error(`${key} never reached the element; it went through: ${seen.join(', ')}`);
}

export const consentBox = (page: Page) => page.getByRole('checkbox', { name: /^I agree that my photos are sent to/ });

/** Consent, Start, and wait for the next step. */
export async function passIntro(page: Page, next: string = STEP.documentType): Promise<void> {
  await heading(page, STEP.intro).waitFor();
  await consentBox(page).check();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expectStep(page, next);
}

export async function chooseDocument(page: Page, type: 'ID card' | 'Passport' | 'Driving licence', next: string): Promise<void> {
  await page.getByRole('radio', { name: type }).check();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expectStep(page, next);
}

/** The file field of a capture step: "Upload a photo instead", or "Choose a photo" when the camera failed. */
export const photoFileInput = (page: Page): Locator => page.getByLabel(/Upload a photo instead|Choose a photo/);

export async function choosePhoto(page: Page, path: string, next: string): Promise<void> {
  await photoFileInput(page).setInputFiles(path);
  await expectStep(page, next);
}

/** The photos on the review step, by their alt text, each decoded (naturalWidth > 0). */
export async function reviewPhotos(page: Page): Promise<{ alt: string; width: number; height: number }[]> {
  await heading(page, STEP.review).waitFor();
  const images = page.locator('vn-flow ul.review img');
  await waitInPage(page, `[...document.querySelector('vn-flow').shadowRoot.querySelectorAll('ul.review img')].every((img) => img.complete && img.naturalWidth > 0)`);
  // `any`: this file is compiled without the DOM's types.
  return images.evaluateAll((imgs: any[]) => imgs.map((img) => ({ alt: img.alt as string, width: img.naturalWidth as number, height: img.naturalHeight as number })));
}

/** Press Send on the review and wait for the thank-you. */
export async function send(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expectStep(page, STEP.done, 30_000);
}

/**
 * What goes to the console that is not ours: MediaPipe's WebAssembly prints its TensorFlow Lite
 * start-up line on stderr, which Emscripten routes to console.error.
 */
const FOREIGN_NOISE = [/^INFO: Created TensorFlow Lite XNNPACK delegate for CPU\./];

/** No console error (but known noise), CSP violation or uncaught exception; `expected` are allowed. */
export function assertNoProblems(problems: PageProblems, expected: RegExp[] = []): void {
  const allowed = [...FOREIGN_NOISE, ...expected];
  const errors = problems.consoleErrors.filter((m) => !allowed.some((re) => re.test(m)));
  assert.deepEqual([...errors.map((m) => `console: ${m}`), ...problems.cspViolations.map((m) => `csp: ${m}`), ...problems.pageErrors], []);
}

/**
 * The live guidance (the capture step's `role=status` line) as it changes, with the time since
 * the watch began: what a person would have read, for assertion messages when auto-capture does
 * not happen.
 */
export function watchGuidance(page: Page): { history: string[]; stop(): void } {
  const history: string[] = [];
  const started = Date.now();
  let last = '';
  let stopped = false;
  const read = `(() => {
    const flow = document.querySelector('vn-flow')?.shadowRoot;
    const step = flow?.querySelector('vn-capture')?.shadowRoot;
    const h1 = step?.querySelector('h1') ?? flow?.querySelector('h1');
    const guidance = step?.querySelector('[role=status]');
    return (h1?.textContent ?? '?').trim() + ' | ' + (guidance && !guidance.hidden ? guidance.textContent.trim() : '-');
  })()`;
  void (async () => {
    while (!stopped && !page.isClosed()) {
      const now = await page.evaluate<string>(read).catch(() => '');
      if (now && now !== last) history.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${(last = now)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return { history, stop: () => void (stopped = true) };
}

/** The keys the flow keeps in this browser (IndexedDB `verify-now`/`flow`, as resume-store.ts writes them). */
export function deviceStoreKeys(page: Page): Promise<string[]> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('verify-now');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('flow')) return resolve([]);
      const keys = db.transaction('flow').objectStore('flow').getAllKeys();
      keys.onsuccess = () => { resolve(keys.result.map(String)); db.close(); };
    };
  })`);
}

// ---- Through the API, as the merchant sees it ----

export interface SessionCapture {
  kind: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  metrics: {
    source?: string;
    autoCaptured?: boolean;
    documentType?: string;
    quad?: { x: number; y: number }[];
    faces?: { x: number; y: number; width: number; height: number; score: number }[];
    [key: string]: unknown;
  };
}

export interface SessionDetail {
  id: string;
  status: string;
  documentType: string | null;
  captures: SessionCapture[];
}

/** The one session a link has, in detail (GET /api/v1/sessions/:id). */
export async function onlySessionOf(server: { url: string; apiKey: string }, linkId: string): Promise<SessionDetail> {
  const list = await call(server.url, `/api/v1/sessions?link=${linkId}`, { key: server.apiKey });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.data.length, 1, `the link has exactly one session: ${list.text}`);
  const detail = await call(server.url, `/api/v1/sessions/${list.json.data[0].id}`, { key: server.apiKey });
  assert.equal(detail.status, 200, detail.text);
  return detail.json as SessionDetail;
}

export const captureOf = (session: SessionDetail, kind: string): SessionCapture => {
  const capture = session.captures.find((c) => c.kind === kind);
  assert.ok(capture, `the session has a ${kind} capture: ${JSON.stringify(session.captures.map((c) => c.kind))}`);
  return capture;
};

// ---- Screenshots ----

export const SHOTS = join(REPO_ROOT, 'test-results', 'flow');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
