/**
 * `BENCH_ONLY=widget`: the <verify-now> loader, as a merchant's visitor gets it.
 *   9. its size on the wire (gzip and brotli, Lit included) against the 12 KB budget;
 *  10. from the click on the button to the flow's first paint inside the modal (and to the flow
 *      being ready), on a merchant page of another origin, cold and with the HTTP cache warm,
 *      against a bare iframe of a static page of the same server made on the same click.
 */
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { call, createLink } from '../test/support/api.js';
import { launchChromium } from '../test/support/browser.js';
import { spawnVerifyNow, type VerifyNowServer } from './children.js';
import { WEB_ROOT } from './flow-build.js';
import { fmt, report } from './report.js';

const LOADER_BUDGET_BYTES = 12 * 1024;
const FIRST_PAINT_TARGET_MS = 500;
const WARM_RUNS = 7;

export async function widgetBenchmarks({ logLevel }: { logLevel: string }): Promise<void> {
  loaderSize();
  let vn: VerifyNowServer | undefined;
  let merchant: Server | undefined;
  let browser: Browser | undefined;
  try {
    vn = await spawnVerifyNow({ logLevel });
    merchant = await merchantSite(vn.url);
    const merchantOrigin = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    const allowed = await call(vn.url, '/api/v1/account', { key: vn.apiKey, method: 'PATCH', json: { embedOrigins: [merchantOrigin] } });
    if (allowed.status !== 200) throw new Error(`embedOrigins not set: ${allowed.text}`);
    const link = await createLink(vn.url, vn.apiKey, { name: 'Bench widget', flow: 'document+selfie', usageLimit: null });
    browser = await launchChromium();

    const shop = `${merchantOrigin}/shop?link=${encodeURIComponent(link.url)}`;
    const bare = `${merchantOrigin}/bare?src=${encodeURIComponent(`${vn.url}/`)}`;
    const flow = await clickToPaint(browser, shop);
    const baseline = await clickToPaint(browser, bare);
    for (const [name, measured] of [['cold', 'cold'], ['warm', 'warm']] as const) {
      const ms = flow[measured].paint;
      const base = baseline[measured].paint;
      report(
        {
          name: `widget click → flow painted (${name})`,
          value: `${fmt(ms)} ms`,
          p99: measured === 'warm' ? `max ${fmt(flow.warmMax)} ms` : '',
          ratio: `${(ms / base).toFixed(1)}×`,
          cpu: '',
          target: `< ${FIRST_PAINT_TARGET_MS} ms`,
          met: ms < FIRST_PAINT_TARGET_MS,
        },
        `flow ready (its first screen drawn by the app): ${fmt(flow[measured].ready)} ms; ` +
          `baseline: a bare iframe of the server's static page made on the same click, painted in ${fmt(base)} ms` +
          (measured === 'warm' ? ` (median of ${WARM_RUNS})` : ' (empty HTTP cache)'),
      );
    }
  } finally {
    await browser?.close();
    await new Promise<void>((resolve) => (merchant ? merchant.close(() => resolve()) : resolve()));
    await vn?.stop();
  }
}

function loaderSize(): void {
  const size = (file: string) => statSync(`${WEB_ROOT}widget/${file}`, { throwIfNoEntry: false })?.size;
  const raw = size('verify-now.js');
  const gzip = size('verify-now.js.gz');
  const brotli = size('verify-now.js.br');
  if (!raw || !gzip || !brotli) throw new Error('the widget is not built: run `npm run build` first');
  const classicGzip = size('verify-now.classic.js.gz') ?? 0;
  report(
    {
      name: 'widget loader (ES module, gzip)',
      value: `${(gzip / 1024).toFixed(1)} KB`,
      p99: '',
      ratio: `${(gzip / LOADER_BUDGET_BYTES).toFixed(2)}×`,
      cpu: '',
      target: '≤ 12 KB',
      met: gzip <= LOADER_BUDGET_BYTES,
    },
    `Lit included; brotli ${(brotli / 1024).toFixed(1)} KB, raw ${(raw / 1024).toFixed(1)} KB; classic script ${(classicGzip / 1024).toFixed(1)} KB gzip; ratio against the budget`,
  );
}

/**
 * A merchant's site on another origin: `/shop` embeds the widget as the README says; `/bare`
 * makes an iframe of `src` on the click of a plain button (the baseline). Both note the click's
 * time and the flow's `ready` message.
 */
async function merchantSite(verifyNowUrl: string): Promise<Server> {
  const probe = `<script>
    document.addEventListener('click', (e) => { window.clickedAt = performance.timeOrigin + e.timeStamp; }, true);
    addEventListener('message', (e) => { if (e.data && e.data.type === 'ready') window.readyAt = performance.timeOrigin + performance.now(); });
  </script>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const attr = (name: string) => (url.searchParams.get(name) ?? '').replace(/"/g, '&quot;');
    const body = url.pathname === '/shop'
      ? `<script type="module" src="${verifyNowUrl}/widget/verify-now.js"></script>${probe}<verify-now link="${attr('link')}"></verify-now>`
      : `${probe}<button>Verify now</button><script>
          document.querySelector('button').addEventListener('click', () => {
            const frame = document.createElement('iframe');
            frame.src = "${attr('src')}";
            document.body.append(frame);
          });
        </script>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Shop</title>${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

interface Visit {
  paint: number;
  ready: number;
}

/** One cold visit (a fresh context: empty HTTP cache), then warm ones in the same context; medians. */
async function clickToPaint(browser: Browser, url: string): Promise<{ cold: Visit; warm: Visit; warmMax: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const cold = await visit(context, url);
    const warm: Visit[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await visit(context, url));
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return {
      cold,
      warm: { paint: median(warm.map((v) => v.paint)), ready: median(warm.map((v) => v.ready)) },
      warmMax: Math.max(...warm.map((v) => v.paint)),
    };
  } finally {
    await context.close();
  }
}

async function visit(context: BrowserContext, url: string): Promise<Visit> {
  const page: Page = await context.newPage();
  try {
    await page.goto(url);
    const button = url.includes('/shop') ? page.locator('verify-now [part=button]') : page.locator('button');
    await button.waitFor();
    await page.waitForLoadState('networkidle');
    await button.click();
    const frameElement = await page.waitForSelector('iframe', { state: 'attached' });
    const frame = (await frameElement.contentFrame())!;
    await frame.waitForFunction("performance.getEntriesByName('first-contentful-paint').length > 0", undefined, { timeout: 15_000 });
    const paintedAt = (await frame.evaluate("performance.timeOrigin + performance.getEntriesByName('first-contentful-paint')[0].startTime")) as number;
    const clickedAt = (await page.evaluate('window.clickedAt')) as number;
    let ready = Number.NaN;
    if (url.includes('/shop')) {
      await page.waitForFunction('window.readyAt !== undefined', undefined, { timeout: 15_000 });
      ready = ((await page.evaluate('window.readyAt')) as number) - clickedAt;
    }
    return { paint: paintedAt - clickedAt, ready };
  } finally {
    await page.close();
  }
}
