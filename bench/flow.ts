/**
 * `BENCH_ONLY=flow`: the applicant's flow in headless Chromium (CPU only, the system's Chromium,
 * Chromium's fake camera), against a verify-now server serving the built flow (`npm run build`):
 *   6. detection frames per second in the flow's worker (document, face) against a bare worker;
 *   7. the flow page from the link to a live camera, cold and with the HTTP cache warm, against a
 *      bare page opening the camera; and the bytes shipped before the camera is live;
 *   8. the longest main-thread task while detection runs, against a page that only shows the camera.
 * About 8 × BENCH_SECONDS plus 15 s.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { fakeCameraArgs } from '../test/support/fake-camera.js';
import { spawnVerifyNow, type VerifyNowServer } from './children.js';
import { readFlowBuild } from './flow-build.js';
import { benchCameraFile } from './flow-camera.js';
import { detectionBenchmarks, detectionFiles } from './flow-detection.js';
import { reportMainThread, watchMainThread, type MainThreadWindow } from './flow-jank.js';
import { flowLoadBenchmarks, visitFlow } from './flow-load.js';
import { BENCH_PATH, serveBenchPages } from './flow-pages.js';
import { BARE_CAMERA, PROBES, waitInPage } from './flow-probes.js';

export interface FlowBenchOptions {
  seconds: number;
  warmupSeconds: number;
  logLevel: string;
}

export async function flowBenchmarks({ seconds, warmupSeconds, logLevel }: FlowBenchOptions): Promise<void> {
  const build = readFlowBuild();
  const dir = mkdtempSync(join(tmpdir(), 'vn-bench-flow-'));
  let vn: VerifyNowServer | undefined;
  let browser: Browser | undefined;
  try {
    vn = await spawnVerifyNow({ logLevel });
    browser = await launchChromium({ args: fakeCameraArgs(benchCameraFile(dir)) });

    // The bench's own pages are routed by Playwright, and routing turns the HTTP cache off: the
    // flow's visits get a context of their own, with no route, so that a warm cache is one.
    const benchContext = await browser.newContext();
    await serveBenchPages(benchContext, vn.url, { ...detectionFiles(), 'camera.js': { type: 'text/javascript', body: BARE_CAMERA } });
    await detectionBenchmarks(browser, benchContext, vn.url, build, seconds, warmupSeconds);
    const bare = await bareCamera(browser, benchContext, vn.url, seconds);
    await benchContext.close();

    const flowContext = await browser.newContext();
    await flowLoadBenchmarks(flowContext, vn, build, bare.cameraMs);
    const visit = await visitFlow(flowContext, vn);
    reportMainThread(await watchMainThread(browser, visit.page, seconds, true), bare.window);
    await flowContext.close();
  } finally {
    await browser?.close();
    await vn?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The baselines of 7 and 8: the camera on an empty page. Opened once before timing, so that
 * Chromium's capture service is running for every measurement alike.
 */
async function bareCamera(browser: Browser, context: BrowserContext, origin: string, seconds: number) {
  const page = await context.newPage();
  await page.addInitScript(PROBES);
  await page.goto(`${origin}${BENCH_PATH}/blank?script=camera.js`);
  await waitInPage(page, 'window.bareCamera !== undefined', 10_000, 'the bare camera page');
  await page.evaluate('window.bareCamera.open().then(() => window.bareCamera.close())');
  const opened = (await page.evaluate('window.bareCamera.open()')) as { ms: number };
  const window: MainThreadWindow = await watchMainThread(browser, page, seconds, false);
  await page.close();
  return { cameraMs: opened.ms, window };
}
