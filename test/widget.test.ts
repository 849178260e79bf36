/**
 * The <verify-now> widget as a merchant uses it: one script tag from the verify-now server on a
 * page of another origin (a second local server), a button, the flow in a modal, events back.
 */
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { FrameLocator, Page } from 'playwright-core';
import { call, createLink } from './support/api.js';
import { useFlowRig, onlySessionOf, openFlow, STEP, type Device } from './support/flow-driver.js';
import { fixturePath, REPO_ROOT } from './support/server-process.js';

const SHOTS = join(REPO_ROOT, 'test-results', 'widget');

interface WidgetEvent {
  type: string;
  detail: { sessionId?: string; status?: string; reason?: string; code?: string } | null;
}

const rig = useFlowRig();
let merchant: Server;
let merchantOrigin: string;

/**
 * The merchant's page: `/shop?link=…&script=module|classic[&csp=strict]` embeds the widget exactly
 * as the README tells merchants to; `csp=strict` sends the strictest policy the README says the
 * widget works under. The widget's events are recorded by an init script (run outside the page's
 * CSP), in `window.widgetEvents`.
 */
before(async () => {
  merchant = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const link = (query.get('link') ?? '').replace(/"/g, '&quot;');
    const script = query.get('script') === 'classic'
      ? `<script src="${rig.server.url}/widget/verify-now.classic.js"></script>`
      : `<script type="module" src="${rig.server.url}/widget/verify-now.js"></script>`;
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    const isStrict = query.get('csp') === 'strict';
    if (isStrict) headers['content-security-policy'] = merchantCsp(rig.server.url);
    res.writeHead(200, headers);
    // A tall page (it must not scroll behind the modal); under the strict CSP, no style attribute either.
    res.end(`<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>${script}
      <main${isStrict ? '' : ' style="height:3000px"'}><h1>Checkout</h1><p>Confirm your identity to finish your order.</p><verify-now link="${link}"></verify-now></main>`);
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  merchantOrigin = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
});

/** What widget/README.md tells merchants: nothing but the verify-now server's origin for scripts and frames. */
const merchantCsp = (flowOrigin: string) => `default-src 'none'; script-src ${flowOrigin}; frame-src ${flowOrigin}`;

const RECORD_EVENTS = `window.widgetEvents = [];
  for (const type of ['verify-complete', 'verify-cancel', 'verify-error']) {
    document.addEventListener(type, (e) => window.widgetEvents.push({ type, detail: e.detail }));
  }`;

after(() => new Promise<void>((resolve) => merchant?.close(() => resolve())));

async function shop(link: string, script: 'module' | 'classic' = 'module', options: { csp?: 'strict'; origin?: string; device?: Device } = {}) {
  const url = `${options.origin ?? merchantOrigin}/shop?script=${script}&link=${encodeURIComponent(link)}${options.csp ? `&csp=${options.csp}` : ''}`;
  const opened = await openFlow(rig.browser, 'about:blank', { device: options.device ?? 'desktop', camera: 'denied' });
  await opened.page.addInitScript(RECORD_EVENTS);
  const response = await opened.page.goto(url);
  const events = () => opened.page.evaluate('window.widgetEvents') as Promise<WidgetEvent[]>;
  const button = opened.page.getByRole('button', { name: 'Verify now' });
  const flow: FrameLocator = opened.page.frameLocator('verify-now iframe');
  return { ...opened, response, events, button, flow };
}

/** Whether the widget's own button has the focus (it lives in the element's shadow root). */
const buttonHasFocus = (page: Page) =>
  page.evaluate(`document.activeElement?.localName === 'verify-now' && document.activeElement.shadowRoot.activeElement?.getAttribute('part') === 'button'`);

const dialogIsOpen = (page: Page) => page.evaluate(`document.querySelector('verify-now').shadowRoot.querySelector('dialog').open`);

async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('<verify-now> on a merchant\'s page', { timeout: 300_000 }, () => {
  before(async () => {
    const answer = await call(rig.server.url, '/api/v1/account', { key: rig.server.apiKey, method: 'PATCH', json: { embedOrigins: [merchantOrigin] } });
    assert.equal(answer.status, 200, answer.text);
  });

  test('the server sends the widget to any site, briefly cached, precompressed', async () => {
    for (const file of ['verify-now.js', 'verify-now.classic.js']) {
      const response = await fetch(`${rig.server.url}/widget/${file}`, { headers: { origin: 'https://shop.example', 'accept-encoding': 'gzip' } });
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.equal(response.headers.get('content-encoding'), 'gzip');
      assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.match(await response.text(), /verify-now/);
    }
    assert.equal((await fetch(`${rig.server.url}/widget/other.js`)).status, 404);
  });

  test('the ES loader stays within 12 KB gzipped, Lit included', () => {
    const gzipBytes = statSync(join(REPO_ROOT, 'dist', 'web', 'widget', 'verify-now.js.gz')).size;
    assert.ok(gzipBytes <= 12 * 1024, `${gzipBytes} bytes`);
  });

  test('the button opens the flow in a modal; Escape closes it, says cancel and gives the button its focus back', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Modal', flow: 'selfie', usageLimit: 1 });
    const { context, page, problems, events, button, flow } = await shop(link.url);
    try {
      assert.equal(await page.locator('verify-now iframe').count(), 0, 'no frame before the modal opens');
      await button.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Identity verification' });
      await dialog.waitFor();
      await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      assert.equal(await page.locator('verify-now iframe').getAttribute('allow'), 'camera; fullscreen');
      assert.equal(await page.locator('verify-now iframe').getAttribute('src'), link.url);
      assert.equal(await page.evaluate('getComputedStyle(document.documentElement).overflow'), 'hidden', 'the page behind does not scroll');
      assert.ok(await page.getByRole('button', { name: 'Close' }).isVisible(), 'a visible, named close button');

      await page.keyboard.press('Escape');
      await waitFor(() => dialogIsOpen(page), (open) => open === false, 'the modal to close');
      await waitFor(() => buttonHasFocus(page), (focused) => focused === true, 'the focus to come back to the button');
      assert.equal(await page.locator('verify-now iframe').count(), 0, 'the flow is gone with the modal');
      // The dialog's `close` event (which sends verify-cancel) comes a task after it stops being open.
      assert.deepEqual(await waitFor(events, (list) => list.length > 0, 'verify-cancel'), [{ type: 'verify-cancel', detail: { reason: 'escape' } }]);
      assert.notEqual(await page.evaluate('getComputedStyle(document.documentElement).overflow'), 'hidden');

      // Escape from the modal's own controls (the native dialog's cancel) as well as from inside the flow.
      await page.keyboard.press('Enter');
      await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      await page.getByRole('button', { name: 'Close' }).focus();
      await page.keyboard.press('Escape');
      await waitFor(() => dialogIsOpen(page), (open) => open === false, 'the modal to close again');
      await waitFor(() => buttonHasFocus(page), (focused) => focused === true, 'the focus to come back to the button again');
      // As above, verify-cancel comes a task after the modal closes.
      assert.equal((await waitFor(events, (list) => list.length >= 2, 'the second verify-cancel')).length, 2);
      assert.deepEqual(problems.all().filter((p) => !/camera|NotAllowed/i.test(p)), []);
    } finally {
      await context.close();
    }
  });

  test('completing a selfie flow in the modal (camera denied, a chosen photo) says verify-complete with the session', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Complete', flow: 'selfie', usageLimit: 1 });
    const { context, events, button, flow } = await shop(link.url);
    try {
      await button.click();
      await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      await flow.getByRole('checkbox').check();
      await flow.getByRole('button', { name: 'Start', exact: true }).click();
      await flow.getByRole('heading', { level: 1, name: STEP.selfie }).waitFor();
      await flow.getByLabel(/Choose a photo/).setInputFiles(fixturePath('astronaut.png'));
      await flow.getByRole('button', { name: 'Send', exact: true }).click();
      await flow.getByRole('heading', { level: 1, name: STEP.done }).waitFor();

      const [complete] = await waitFor(events, (list) => list.length > 0, 'verify-complete');
      const session = await onlySessionOf(rig.server, link.id);
      assert.deepEqual(complete, { type: 'verify-complete', detail: { sessionId: session.id, status: session.status } });
    } finally {
      await context.close();
    }
  });

  test('the flow\'s Cancel closes the modal and says verify-cancel', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Cancel', flow: 'selfie', usageLimit: 1 });
    const { context, page, events, button, flow } = await shop(link.url);
    try {
      await button.click();
      await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      await flow.getByRole('button', { name: 'Cancel' }).click();
      await waitFor(() => dialogIsOpen(page), (open) => open === false, 'the modal to close');
      // The dialog's `close` event (which sends verify-cancel) comes a task after it stops being open.
      assert.deepEqual(await waitFor(events, (list) => list.length > 0, 'verify-cancel'), [{ type: 'verify-cancel', detail: { reason: 'flow' } }]);
    } finally {
      await context.close();
    }
  });

  test('a malformed link disables the button with one console error (classic script)', async () => {
    const { context, page, problems, button } = await shop('not a link', 'classic');
    try {
      await button.waitFor();
      assert.equal(await button.isDisabled(), true);
      await page.evaluate(`document.querySelector('verify-now').open()`);
      assert.equal(await dialogIsOpen(page), false, 'open() does nothing either');
      assert.equal(problems.consoleErrors.length, 1, problems.all().join('\n'));
      assert.match(problems.consoleErrors[0]!, /<verify-now>: the `link` attribute "not a link" is not an absolute URL/);
    } finally {
      await context.close();
    }
  });

  test('a link whose path is not /v/… disables the button too', async () => {
    const { context, problems, button } = await shop(`${rig.server.url}/dashboard`);
    try {
      await button.waitFor();
      assert.equal(await button.isDisabled(), true);
      assert.equal(problems.consoleErrors.length, 1, problems.all().join('\n'));
      assert.match(problems.consoleErrors[0]!, /its path must be \/v\/TOKEN/);
    } finally {
      await context.close();
    }
  });
  for (const script of ['module', 'classic'] as const) {
    test(`under the strictest CSP the README gives merchants, the ${script} script shows its styled button and opens the flow, without a violation`, async () => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: `CSP ${script}`, flow: 'selfie', usageLimit: 1 });
      const { context, page, problems, response, button, flow } = await shop(link.url, script, { csp: 'strict' });
      try {
        assert.equal(response?.headers()['content-security-policy'], `default-src 'none'; script-src ${rig.server.url}; frame-src ${rig.server.url}`);
        await button.waitFor();
        // Lit's styles are constructable stylesheets: a style-src of 'none' leaves them alone.
        const background = await page.evaluate(`getComputedStyle(document.querySelector('verify-now').shadowRoot.querySelector('[part=button]')).backgroundColor`);
        assert.equal(background, 'rgb(26, 86, 219)');
        await button.click();
        await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
        await page.locator('verify-now iframe:not(.loading)').waitFor();
        await page.keyboard.press('Escape');
        await waitFor(() => dialogIsOpen(page), (open) => open === false, 'the modal to close');
        assert.deepEqual(problems.cspViolations, []);
        assert.deepEqual(problems.all().filter((p) => !/camera|NotAllowed/i.test(p)), []);
      } finally {
        await context.close();
      }
    });
  }

  for (const { width, device } of [{ width: 360, device: 'phone' }, { width: 1280, device: 'desktop' }] as const) {
    test(`with the modal open at ${width} px, axe finds nothing serious (screenshots in test-results/widget/)`, async (t) => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: `Axe ${width}`, flow: 'document+selfie', usageLimit: 1 });
      const { context, page, button, flow } = await shop(link.url, 'module', { device });
      try {
        mkdirSync(SHOTS, { recursive: true });
        await button.waitFor();
        await page.screenshot({ path: join(SHOTS, `page-${width}.png`) });
        await button.click();
        await flow.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
        await page.locator('verify-now iframe:not(.loading)').waitFor();
        const { violations } = await new AxeBuilder({ page }).analyze();
        const describe = (v: (typeof violations)[number]) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' >>> ')).join(', ')}`;
        for (const v of violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) t.diagnostic(describe(v));
        assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe), []);
        await page.screenshot({ path: join(SHOTS, `modal-${width}.png`) });
      } finally {
        await context.close();
      }
    });
  }

  test('on a page whose origin is not among embedOrigins, the modal offers a new tab and says verify-error flow_unreachable; one console error says why', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Unreachable', flow: 'selfie', usageLimit: 1 });
    const otherShop = merchantOrigin.replace('//127.0.0.1:', '//localhost:');
    const { context, page, problems, events, button } = await shop(link.url, 'module', { origin: otherShop, device: 'phone' });
    try {
      await button.waitFor();
      // First the loading state, with all the time in the world to photograph it; then a short wait.
      await button.click();
      mkdirSync(SHOTS, { recursive: true });
      await page.getByRole('status').filter({ hasText: 'Loading the verification…' }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'loading-360.png') });
      await page.evaluate(`(() => { const widget = document.querySelector('verify-now'); widget.close(); widget.loadTimeoutMs = 1000; })()`);
      await waitFor(() => dialogIsOpen(page), (open) => open === false, 'the modal to close');
      await page.evaluate(`new Promise((resolve) => setTimeout(resolve, 100)).then(() => document.querySelector('verify-now').open())`);
      const [error] = await waitFor(events, (list) => list.length > 0, 'verify-error');
      assert.deepEqual(error, { type: 'verify-error', detail: { code: 'flow_unreachable', message: `The verification flow from ${rig.server.url} did not load in the modal.` } });
      const newTab = page.getByRole('link', { name: 'Open it in a new tab' });
      assert.equal(await newTab.getAttribute('href'), link.url);
      assert.equal(await newTab.getAttribute('target'), '_blank');
      assert.equal(await newTab.getAttribute('rel'), 'noopener');
      assert.equal(await page.locator('verify-now iframe').count(), 0);
      const ours = problems.consoleErrors.filter((m) => m.startsWith('<verify-now>'));
      assert.equal(ours.length, 1, problems.all().join('\n'));
      assert.match(ours[0]!, new RegExp(`this page's origin \\(${otherShop}\\) is not among the account's embedOrigins`));
      assert.match(ours[0]!, new RegExp(`lacks \`frame-src ${rig.server.url}\``));
      await page.screenshot({ path: join(SHOTS, 'unreachable-360.png') });
    } finally {
      await context.close();
    }
  });

  for (const script of ['module', 'classic'] as const) {
    test(`a link of another host than the ${script} script's is refused: one console error naming both, a disabled button`, async () => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: `Other host ${script}`, flow: 'selfie', usageLimit: 1 });
      const otherHost = rig.server.url.replace('//127.0.0.1:', '//localhost:');
      const { context, problems, button } = await shop(link.url.replace(rig.server.url, otherHost), script);
      try {
        await button.waitFor();
        assert.equal(await button.isDisabled(), true);
        assert.equal(problems.consoleErrors.length, 1, problems.all().join('\n'));
        assert.match(problems.consoleErrors[0]!, new RegExp(`is on ${otherHost}, but this script was loaded from ${rig.server.url}\\.`));
      } finally {
        await context.close();
      }
    });
  }
});
