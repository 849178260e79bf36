/**
 * The designers' demo (`/demo`): a pretend shop on another site than the flow (another host name
 * and port), embedding the real widget by a script tag; one click makes a test link with the demo
 * shop's vn_test_ key; the playground's theme, flow and language change the button live and the
 * snippet with them; the flow completes in the modal and the shop's backend sees the session; the
 * gallery shows every screen of the flow in preview mode.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { PREVIEW_SCREENS } from '../contract/preview.js';
import { call } from './support/api.js';
import { useFlowRig, openFlow, STEP } from './support/flow-driver.js';
import { fixturePath, REPO_ROOT, spawnServer } from './support/server-process.js';

const SHOTS = join(REPO_ROOT, 'test-results', 'demo');
const rig = useFlowRig();

/** The demo's address, as verify-now's own /demo sends people there. */
async function demoUrl(): Promise<string> {
  const answer = await fetch(`${rig.server.url}/demo`, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  return answer.headers.get('location')!;
}

/** The demo merchant's key, as the demo site saved it in DATA_DIR (made on the first click). */
const demoKey = () => (JSON.parse(readFileSync(join(rig.server.dataDir, 'demo-merchant.json'), 'utf8')) as { apiKey: string }).apiKey;

async function openDemo(device: 'phone' | 'desktop' = 'desktop') {
  const url = await demoUrl();
  const opened = await openFlow(rig.browser, url, { device, camera: 'denied' });
  await opened.page.getByRole('heading', { name: 'Playground' }).waitFor();
  return opened;
}

/**
 * The first `count` previews of the gallery have drawn their screen (the frames further down load
 * lazily, as they scroll into view: waiting for the network to go quiet would wait on them).
 */
async function previewsShown(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const frame = page.frameLocator('.gallery iframe').nth(i);
    await frame.getByText(/Preview/).first().waitFor({ timeout: 30_000 });
    await frame.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 30_000 });
  }
}

const widgetButton = (page: Page) => page.locator('verify-now').locator('[part=button]');
const buttonStyle = (page: Page) =>
  widgetButton(page).evaluate((b) => {
    const style = (globalThis as any).getComputedStyle(b);
    return { background: style.backgroundColor, color: style.color, radius: style.borderTopLeftRadius, font: style.fontFamily };
  });
const snippet = (page: Page) => page.locator('.snippet code').innerText();

async function createTestLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: /Create a test link|New test link/ }).click();
  const link = page.getByRole('status').filter({ hasText: 'Test link' }).getByRole('link');
  await link.waitFor();
  return (await link.getAttribute('href'))!;
}

describe('the demo page', { timeout: 300_000 }, () => {
  test('lives on another site than the flow, and its page follows the merchant CSP of the README with no error', async () => {
    const url = new URL(await demoUrl());
    const flow = new URL(rig.server.url);
    assert.notEqual(url.hostname, flow.hostname, 'another host name: another site, not only another origin');
    assert.notEqual(url.port, flow.port);
    assert.equal(url.pathname, '/demo');

    const { context, page, problems } = await openDemo();
    try {
      assert.match(await page.locator('script[src$="/widget/verify-now.js"]').getAttribute('src') ?? '', new RegExp(`^${flow.origin}`));
      await createTestLink(page);
      await widgetButton(page).waitFor();
      await previewsShown(page, 4);
      assert.deepEqual(problems.all(), []);
    } finally {
      await context.close();
    }
  });

  test('one click makes a test link of the demo shop; it costs nothing, and bad requests are refused', async () => {
    const { context, page } = await openDemo();
    try {
      const url = await createTestLink(page);
      const links = await call(rig.server.url, '/api/v1/links', { key: demoKey() });
      const link = links.json.data.find((l: { url: string }) => l.url === url);
      assert.ok(link, 'the link is the demo shop\'s');
      assert.equal(link.mode, 'test');
      assert.equal(link.flow, 'document+selfie');
      assert.equal(link.usageLimit, null);
      assert.ok(demoKey().startsWith('vn_test_'));
      const account = await call(rig.server.url, '/api/v1/account', { key: demoKey() });
      assert.deepEqual(account.json.credits, { available: 0, held: 0 }, 'the demo shop has no credits and needs none');
      assert.deepEqual(account.json.embedOrigins, [new URL(await demoUrl()).origin], 'its page may frame the flow');

      const demo = new URL(await demoUrl()).origin;
      const bad = await call(demo, '/demo/api/test-links', { json: { flow: 'retina', language: 'en' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, 'invalid_request');
      assert.match(bad.json.error.message, /flow/);
      const after = await call(rig.server.url, '/api/v1/links', { key: demoKey() });
      assert.equal(after.json.data.length, links.json.data.length, 'nothing was created by the bad request');
    } finally {
      await context.close();
    }
  });

  test('the theme, flow and language change the button live, and the snippet says exactly that', async () => {
    const { context, page } = await openDemo();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(await demoUrl()).origin });
    try {
      await createTestLink(page);
      const before = await buttonStyle(page);
      assert.equal(before.background, 'rgb(26, 86, 219)');

      await page.getByLabel('Button colour').fill('#0f766e');
      await page.getByLabel('Button text colour').fill('#fefce8');
      await page.getByLabel('Corner radius').fill('20');
      await page.getByLabel('Font').selectOption('serif');
      const after = await buttonStyle(page);
      assert.equal(after.background, 'rgb(15, 118, 110)');
      assert.equal(after.color, 'rgb(254, 252, 232)');
      assert.equal(after.radius, '20px');
      assert.match(after.font, /Georgia/);

      // Each choice makes a link of that kind: "Creating…" until it is there (set at once, on the change).
      const created = () => page.getByRole('button', { name: 'New test link' }).waitFor();
      await page.getByLabel('Language').selectOption('de');
      await created();
      await page.getByRole('button', { name: 'Jetzt verifizieren' }).waitFor();
      await page.getByRole('radio', { name: 'Selfie only' }).check();
      await created();
      const link = await page.getByRole('status').filter({ hasText: 'Test link' }).getByRole('link').getAttribute('href');
      // A locator, not waitForFunction: the page's CSP (no 'unsafe-eval') refuses Playwright's polling function.
      await page.locator(`verify-now[link="${link}"]`).waitFor();
      const links = await call(rig.server.url, '/api/v1/links', { key: demoKey() });
      const made = links.json.data.find((l: { url: string }) => l.url === link);
      assert.deepEqual([made.flow, made.language], ['selfie', 'de'], 'a change of flow or language makes a link of that kind');

      const text = await snippet(page);
      assert.ok(text.includes(`<script type="module" src="${rig.server.url}/widget/verify-now.js"></script>`));
      assert.ok(text.includes(`<verify-now link="${link}" language="de"></verify-now>`));
      for (const line of ['--verify-now-button-background: #0f766e;', '--verify-now-button-color: #fefce8;', '--verify-now-radius: 20px;', '--verify-now-font: Georgia']) {
        assert.ok(text.includes(line), `the snippet sets ${line}`);
      }
      await page.getByRole('button', { name: 'Copy snippet' }).click();
      await page.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), text);

      await page.getByRole('button', { name: 'Reset theme' }).click();
      assert.deepEqual(await buttonStyle(page), { ...before, font: (await buttonStyle(page)).font });
      assert.ok(!(await snippet(page)).includes('<style>'), 'the default theme needs no style');
    } finally {
      await context.close();
    }
  });

  test('the flow completes in the modal; the shop hears verify-complete and its backend sees the test session in review', async () => {
    const { context, page } = await openDemo();
    try {
      await page.getByRole('radio', { name: 'Selfie only' }).check();
      await createTestLink(page);
      await widgetButton(page).click();
      const flow = page.frameLocator('verify-now iframe');
      await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      await flow.getByRole('checkbox').check();
      await flow.getByRole('button', { name: 'Start', exact: true }).click();
      await flow.getByRole('heading', { level: 1, name: STEP.selfie }).waitFor();
      await flow.getByLabel(/Choose a photo/).setInputFiles(fixturePath('astronaut.png'));
      await flow.getByRole('button', { name: 'Send', exact: true }).click();
      await flow.getByRole('heading', { level: 1, name: STEP.done }).waitFor();

      const log = page.getByRole('log');
      await log.getByText(/The shop's backend checked with the API/).waitFor();
      const heard = await log.innerText();
      const sessionId = /verify-complete: session (ses_[A-Za-z0-9_-]{22})/.exec(heard)?.[1];
      assert.ok(sessionId, heard);
      assert.match(heard, new RegExp(`${sessionId} is "review" \\(test mode\\)`));
      const session = await call(rig.server.url, `/api/v1/sessions/${sessionId}`, { key: demoKey() });
      assert.equal(session.json.status, 'review');
      assert.equal(session.json.mode, 'test');
      const account = await call(rig.server.url, '/api/v1/account', { key: demoKey() });
      assert.deepEqual(account.json.credits, { available: 0, held: 0 }, 'nothing billed');

      await page.keyboard.press('Escape');
      await page.locator('verify-now iframe').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  test('the gallery shows every screen of the chosen flow from the preview mode, which calls no API', async () => {
    const apiCalls: string[] = [];
    const { context, page } = await openFlow(rig.browser, await demoUrl(), {
      device: 'desktop',
      beforeOpening: (_, p) => p.on('request', (r) => r.url().startsWith(`${rig.server.url}/api/`) && apiCalls.push(r.url())),
    });
    try {
      const frames = page.locator('.gallery iframe');
      const figures = page.locator('.gallery figure');
      await figures.first().waitFor();
      assert.equal(await figures.count(), PREVIEW_SCREENS.length, 'document and selfie: every screen');
      assert.equal(await frames.count(), PREVIEW_SCREENS.length * 2, 'at a phone\'s and a desktop\'s width');
      const sources = await frames.evaluateAll((list) => list.map((f) => (f as any).src as string));
      assert.ok(sources.every((src) => src.startsWith(`${rig.server.url}/preview/flow?`)), 'from the flow\'s own preview mode');

      await page.getByRole('radio', { name: 'Selfie only' }).check();
      const selfieScreens = PREVIEW_SCREENS.filter((s) => !/^(document_type|capture_front|capture_back)/.test(s.id));
      assert.equal(await figures.count(), selfieScreens.length);
      assert.equal(await page.getByText('Front: glare').count(), 0, 'no document screens in a selfie flow');
      await page.getByLabel('Desktop (1280 px)').uncheck();
      assert.equal(await frames.count(), selfieScreens.length, 'only the phone width');

      // Each frame shows the real flow's screen, marked as a preview.
      await previewsShown(page, 6);
      assert.deepEqual(apiCalls, [], 'previews start no session and use no link');
    } finally {
      await context.close();
    }
  });

  for (const { device, width } of [{ device: 'phone', width: 360 }, { device: 'desktop', width: 1280 }] as const) {
    test(`at ${width} px: no serious or critical axe violation, with the modal closed and open; screenshots`, async () => {
      const { context, page } = await openDemo(device);
      try {
        await createTestLink(page);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `demo-${width}.png`) });
        const serious = async () => {
          const { violations } = await new AxeBuilder({ page }).exclude('.gallery').analyze();
          return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        };
        assert.deepEqual(await serious(), []);
        await widgetButton(page).click();
        await page.frameLocator('verify-now iframe').getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
        await page.screenshot({ path: join(SHOTS, `demo-modal-${width}.png`) });
        assert.deepEqual(await serious(), []);
      } finally {
        await context.close();
      }
    });
  }
});

test('with DEMO_PORT=off there is no demo, and /demo says so', async () => {
  const server = await spawnServer({ env: { DEMO_PORT: 'off' } });
  try {
    const answer = await call(server.url, '/demo');
    assert.equal(answer.status, 404);
    assert.equal(answer.json.error.code, 'demo_off');
    assert.ok(!server.logs.join('\n').includes('demo (a pretend shop'), 'and the start message names none');
  } finally {
    await server.stop();
  }
});
