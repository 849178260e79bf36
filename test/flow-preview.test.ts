/**
 * The flow's preview mode (/preview/flow, for the designers' demo page): every screen of
 * contract/preview.ts renders the real flow at 360 and 1280 px under its banner, with no error,
 * no CSP violation, no request to the API, no camera, no worker and no IndexedDB; nothing changes
 * on the server (a link's uses and sessions, the account's credits); any site may frame it; each
 * capture screen says its guidance; a wrong query is a 400 naming the field. Each screen is saved
 * to test-results/preview/<screen>-<width>.png for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { LinkRefusal } from '../contract/flow.js';
import { PREVIEW_SCREENS, type PreviewScreen } from '../contract/preview.js';
import { PAGE_TEXT } from '../server/pages/messages.js';
import { call, createLink } from './support/api.js';
import { waitInPage, watchProblems } from './support/browser.js';
import { DEVICES, STEP, useFlowRig, type Device } from './support/flow-driver.js';
import { REPO_ROOT } from './support/server-process.js';

const SHOTS = join(REPO_ROOT, 'test-results', 'preview');
const BANNER = 'Preview — no session is created';

/** The h1 each screen shows, in English, with the default flow (document and selfie, an ID card). */
function headingOf(screen: PreviewScreen): string {
  if (screen.startsWith('refusal:')) return PAGE_TEXT.en[screen.slice('refusal:'.length) as LinkRefusal].title;
  if (screen.startsWith('capture_front:') || screen.startsWith('camera_')) return STEP.front;
  if (screen.startsWith('capture_back:')) return STEP.back;
  if (screen.startsWith('capture_selfie:')) return STEP.selfie;
  if (screen.startsWith('upload')) return STEP.upload;
  const steps: Record<string, string> = {
    intro: STEP.intro, document_type: STEP.documentType, phone: STEP.phone, new_tab: 'Continue in the new tab', review: STEP.review, done: STEP.done,
  };
  return steps[screen]!;
}

/** What the guidance line says in each capture screen's state (flow/i18n/en.ts). */
const GUIDANCE: Record<string, string> = {
  searching: 'Show the whole document to the camera',
  move_closer: 'Move closer',
  glare: 'Glare on the card: tilt it slightly',
  blurry: 'Not sharp: hold steady',
  hold_still: 'Hold still',
  good: 'Good, hold still…',
  no_face: 'Show your face to the camera',
  face_centre: 'Centre your face',
};

/**
 * Counts, in the page, every call that would start something: the camera, a worker, IndexedDB.
 * An init script: it runs before the page's own, outside its CSP.
 */
const SPIES = `(() => {
  const calls = (window.__vnCalls = []);
  const gum = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
  if (gum) navigator.mediaDevices.getUserMedia = (...args) => (calls.push('getUserMedia'), gum(...args));
  const NativeWorker = window.Worker;
  window.Worker = function (...args) { calls.push('Worker'); return new NativeWorker(...args); };
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args) => (calls.push('indexedDB.open ' + args[0]), open(...args));
})()`;

const rig = useFlowRig();
const previewUrl = (screen: string, query: Record<string, string> = {}) =>
  `${rig.server.url}/preview/flow?${new URLSearchParams({ screen, ...query })}`;

async function openPreviewBrowser(device: Device) {
  const context = await rig.browser.newContext({ ...DEVICES[device], locale: 'en-GB' });
  const requests: string[] = [];
  context.on('request', (request) => void requests.push(request.url()));
  await context.addInitScript(SPIES);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = await watchProblems(page);
  return { context, page, problems, requests };
}

/** Loads a screen and waits until it is drawn: the flow's heading (or the server's, on a refusal). */
async function showScreen(page: Page, screen: PreviewScreen, query: Record<string, string> = {}): Promise<void> {
  const response = await page.goto(previewUrl(screen, query));
  assert.equal(response?.status(), 200, `${screen}: ${await response?.text()}`);
  const scope = screen.startsWith('refusal:') ? page.locator('main') : page.locator('vn-flow');
  await scope.getByRole('heading', { level: 1, name: headingOf(screen), exact: true }).waitFor();
  await page.getByRole('note').filter({ hasText: BANNER }).waitFor();
  if (screen.startsWith('capture_')) await page.getByRole('status').filter({ hasText: GUIDANCE[screen.split(':')[1]!]! }).waitFor();
  if (screen === 'review') {
    await waitInPage(page, `[...document.querySelector('vn-flow').shadowRoot.querySelectorAll('ul.review img')].every((img) => img.complete && img.naturalWidth > 0)`);
  }
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name.replace(':', '-')}.png`), fullPage: true });
}

const uses = async (linkId: string) => {
  const link = (await call(rig.server.url, `/api/v1/links/${linkId}`, { key: rig.server.apiKey })).json;
  const sessions = (await call(rig.server.url, `/api/v1/sessions?link=${linkId}`, { key: rig.server.apiKey })).json.data.length;
  const account = (await call(rig.server.url, '/api/v1/account', { key: rig.server.apiKey })).json;
  return { uses: link.uses, sessions, credits: account.credits };
};

describe('the flow\'s preview mode', { timeout: 300_000 }, () => {
  for (const [device, width] of [['phone', 360], ['desktop', 1280]] as const) {
    test(`at ${width} px: every screen renders under its banner, with no error, no request to the API, no camera, worker or IndexedDB, and changes nothing`, async () => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: `Untouched ${width}`, flow: 'document+selfie', usageLimit: 2 });
      const before = await uses(link.id);
      const { context, page, problems, requests } = await openPreviewBrowser(device);
      try {
        const started: string[] = [];
        for (const { id } of PREVIEW_SCREENS) {
          await showScreen(page, id);
          await page.mouse.move(0, 0);
          await screenshot(page, `${id}-${width}`);
          started.push(...((await page.evaluate('window.__vnCalls')) as string[]).map((call) => `${id}: ${call}`));
        }
        assert.deepEqual(started, [], 'no camera, worker or IndexedDB');
        assert.deepEqual(requests.filter((url) => new URL(url).pathname.startsWith('/api/')), [], 'no request to the API');
        assert.deepEqual(problems.all(), []);
      } finally {
        await context.close();
      }
      assert.deepEqual(await uses(link.id), before, "the link's uses and sessions and the account's credits are as they were");
    });
  }

  test('each capture screen shows its picture, the outline detection would draw, and its guidance', async () => {
    const { context, page, problems } = await openPreviewBrowser('phone');
    try {
      for (const { id } of PREVIEW_SCREENS.filter((s) => s.id.startsWith('capture_'))) {
        await showScreen(page, id);
        const guidance = id.split(':')[1]!;
        const capture = page.locator('vn-capture');
        assert.equal((await capture.getByRole('status').innerText()).trim(), GUIDANCE[guidance], id);
        assert.match((await capture.locator('video').getAttribute('poster')) ?? '', /^data:image\/svg\+xml/, `${id}: a still where the video would be`);
        assert.ok(await capture.getByRole('button', { name: 'Take photo' }).isEnabled(), `${id}: the shutter is enabled`);
        const found = capture.locator('svg.overlay .found');
        const expectFound = !['searching', 'no_face'].includes(guidance);
        assert.equal(await found.count(), expectFound ? 1 : 0, `${id}: the outline of what was found`);
        if (expectFound) assert.equal(await found.evaluate((el: any) => el.classList.contains('good')), guidance === 'good', `${id}: green when good`);
      }
      assert.deepEqual(problems.all(), []);
    } finally {
      await context.close();
    }
  });

  test('the camera problems read as the applicant sees them; blocked offers a new tab and the phone, not the settings', async () => {
    const { context, page } = await openPreviewBrowser('desktop');
    try {
      const cases = [
        ['camera_denied', 'The camera is blocked'],
        ['camera_missing', 'No camera found'],
        ['camera_in_app', 'Open this page in your browser'],
        ['camera_blocked', 'Your camera can’t be used inside this window'],
      ] as const;
      for (const [screen, title] of cases) {
        await showScreen(page, screen);
        await page.getByRole('alert').filter({ hasText: title }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Continue in a new tab' }).count(), screen === 'camera_blocked' ? 1 : 0, screen);
        await page.getByRole('button', { name: 'Continue on your phone' }).waitFor();
        await page.getByLabel('Choose a photo').waitFor();
      }
    } finally {
      await context.close();
    }
  });

  test('the phone screen shows a made-up QR code, the new-tab screen waits; the language, flow, document and merchant come from the query', async () => {
    const { context, page, requests } = await openPreviewBrowser('desktop');
    try {
      await showScreen(page, 'phone');
      await page.getByText('https://example.invalid/v/preview#handoff=vnh_preview').waitFor();
      const qr = page.getByRole('img', { name: 'QR code of the link to continue on your phone' });
      assert.ok((await qr.boundingBox())!.width >= 160);
      await showScreen(page, 'new_tab');
      await page.getByText('Carry on in the new tab; this window updates when you’re done.').waitFor();
      await page.getByRole('status').filter({ hasText: 'Waiting for the new tab…' }).waitFor();

      await page.goto(previewUrl('intro', { language: 'de', merchant: 'Beispiel GmbH', flow: 'selfie' }));
      await page.locator('vn-flow').getByRole('heading', { level: 1, name: 'Bestätigen Sie Ihre Identität' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      await page.locator('vn-flow').getByText('Beispiel GmbH bittet Sie', { exact: false }).waitFor();
      assert.equal(await page.locator('vn-flow').getByText('Ein Foto Ihres Gesichts.').count(), 1, 'a selfie-only intro');
      await page.goto(previewUrl('review', { document: 'passport' }));
      await page.locator('vn-flow').getByRole('heading', { level: 1, name: STEP.review }).waitFor();
      assert.equal(await page.locator('vn-flow ul.review li').count(), 2, 'a passport has no back');
      assert.deepEqual(requests.filter((url) => new URL(url).pathname.startsWith('/api/')), []);
    } finally {
      await context.close();
    }
  });

  test('answers any site framing it, with the flow policy but for frame-ancestors, and no camera', async () => {
    const answer = await call(rig.server.url, '/preview/flow?screen=intro');
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors \*/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
    assert.equal(answer.headers.get('permissions-policy'), 'camera=(), microphone=(), geolocation=()');
    const refusal = await call(rig.server.url, '/preview/flow?screen=refusal:link_not_found');
    assert.equal(refusal.status, 200, 'a preview of a refusal refuses nothing');
    assert.match(refusal.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors \*/);
  });

  test('a wrong query answers 400 naming the field', async () => {
    // Both spellings of the two-part flow; a bare '+' is a space in a query, hence document_selfie.
    for (const flow of ['document_selfie', 'document%2Bselfie', 'document', 'selfie']) {
      assert.equal((await call(rig.server.url, `/preview/flow?screen=intro&flow=${flow}`)).status, 200, flow);
    }
    for (const [query, field] of [['screen=nope', 'screen'], ['', 'screen'], ['screen=intro&flow=document+selfie', 'flow'], ['screen=intro&language=xx', 'language'], ['screen=intro&document=visa', 'document'], ['screen=intro&lang=de', 'lang']] as const) {
      const answer = await call(rig.server.url, `/preview/flow?${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.json.error.code, 'invalid_request');
      assert.ok(answer.json.error.message.includes(field), `${query} → ${answer.json.error.message}`);
    }
  });

  describe('framed by another site', () => {
    let site: Server;
    let siteOrigin: string;
    before(async () => {
      site = createServer((req, res) => {
        const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Gallery</title><iframe title="Preview" src="${src.replace(/"/g, '&quot;')}" style="width:400px;height:760px"></iframe>`);
      });
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => site?.close(() => resolve())));

    test('a gallery on another origin shows a preview in a frame', async () => {
      const { context, page, problems, requests } = await openPreviewBrowser('desktop');
      try {
        assert.notEqual(new URL(rig.server.url).origin, siteOrigin);
        await page.goto(`${siteOrigin}/?src=${encodeURIComponent(previewUrl('capture_front:glare'))}`);
        const frame = page.frameLocator('iframe');
        await frame.getByRole('heading', { level: 1, name: STEP.front }).waitFor();
        await frame.getByRole('note').filter({ hasText: BANNER }).waitFor();
        await frame.getByRole('status').filter({ hasText: GUIDANCE.glare! }).waitFor();
        assert.deepEqual(requests.filter((url) => new URL(url).pathname.startsWith('/api/')), []);
        assert.deepEqual(problems.all(), []);
      } finally {
        await context.close();
      }
    });
  });

  test('axe finds no serious or critical violation on the intro, a capture, the blocked camera, the review, the upload and a refusal', async (t) => {
    for (const [device, screens] of [
      ['phone', ['intro', 'capture_front:glare', 'camera_blocked', 'review', 'upload_retrying', 'refusal:link_expired']],
      ['desktop', ['capture_selfie:good', 'phone', 'new_tab', 'done']],
    ] as const) {
      const { context, page } = await openPreviewBrowser(device);
      try {
        for (const screen of screens) {
          await showScreen(page, screen);
          const { violations } = await new AxeBuilder({ page }).analyze();
          const describe = (v: (typeof violations)[number]) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' >>> ')).join(', ')}`;
          for (const v of violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) t.diagnostic(`${screen} (${device}): ${describe(v)}`);
          assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe), [], `${screen} (${device})`);
        }
      } finally {
        await context.close();
      }
    }
  });
});
