/**
 * Framed (the widget's modal frames it), the flow tells its parent what happens, by postMessage
 * to the parent's origin. The parent here is a merchant's page on another origin (a second local
 * server), allowed to frame the flow by the account's embedding setting; a site not on that list
 * cannot frame it at all. A merchant page that does not let the frame use the camera (an iframe
 * without `allow="camera"`, or `Permissions-Policy: camera=()`) gets the flow's "blocked" state,
 * whose way out is a new tab carrying on the same session, followed by the frame until done.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { call, createLink } from './support/api.js';
import { waitInPage } from './support/browser.js';
import { assertNoProblems, choosePhoto, onlySessionOf, openFlow, passIntro, screenshot, send, STEP, useFlowRig } from './support/flow-driver.js';
import { fixturePath } from './support/server-process.js';

interface Received {
  origin: string;
  data: { source: string; type: string; step?: string; sessionId?: string; status?: string };
}

const rig = useFlowRig();
let merchant: Server;
let merchantOrigin: string;

/**
 * The merchant's site: a checkout page that frames the link given in its query and records every
 * message. `allow` (default `camera`) is the iframe's allow attribute; `policy` is sent as the
 * page's Permissions-Policy header.
 */
before(async () => {
  merchant = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const attribute = (name: string) => (query.get(name) ?? '').replace(/"/g, '&quot;');
    const policy = query.get('policy');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(policy ? { 'permissions-policy': policy } : {}) });
    res.end(`<!doctype html><title>Checkout</title><script>
      window.received = [];
      addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
    </script><iframe title="Verification" src="${attribute('link')}" allow="${query.has('allow') ? attribute('allow') : 'camera'}" style="width:900px;height:800px"></iframe>`);
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  merchantOrigin = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => merchant?.close(() => resolve())));

async function allowFraming(origins: string[]): Promise<void> {
  const answer = await call(rig.server.url, '/api/v1/account', { key: rig.server.apiKey, method: 'PATCH', json: { embedOrigins: origins } });
  assert.equal(answer.status, 200, answer.text);
}

/** The merchant's checkout page framing `linkUrl`; `page` adds to its query (`allow`, `policy`). */
async function framed(linkUrl: string, page: Record<string, string> = {}, initScripts: string[] = []) {
  const query = new URLSearchParams({ link: linkUrl, ...page });
  const flow = await openFlow(rig.browser, `${merchantOrigin}/checkout?${query}`, { device: 'desktop', camera: 'denied', initScripts });
  const frame = (await (await flow.page.waitForSelector('iframe')).contentFrame()) as Frame;
  const received = () => flow.page.evaluate('window.received') as Promise<Received[]>;
  return { ...flow, frame, received };
}

describe('the flow in a frame', { timeout: 300_000 }, () => {
  test('tells its parent ready, each step and complete, to the parent\'s origin only', async () => {
    await allowFraming([merchantOrigin]);
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Framed', flow: 'selfie', usageLimit: 1 });
    const { context, frame, received } = await framed(link.url);
    try {
      await frame.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      await frame.getByRole('checkbox').check();
      await frame.getByRole('button', { name: 'Start', exact: true }).click();
      await frame.getByRole('heading', { level: 1, name: STEP.selfie }).waitFor();
      await frame.getByLabel(/Choose a photo/).setInputFiles(fixturePath('astronaut.png'));
      await frame.getByRole('button', { name: 'Send', exact: true }).click();
      await frame.getByRole('heading', { level: 1, name: STEP.done }).waitFor();

      const messages = await received();
      assert.ok(messages.every((m) => m.origin === rig.server.url && m.data.source === 'verify-now'), 'every message comes from the flow\'s origin');
      assert.notEqual(rig.server.url, merchantOrigin, 'really across origins');
      const types = messages.map((m) => (m.data.type === 'step' ? `step:${m.data.step}` : m.data.type));
      assert.deepEqual(types, ['ready', 'step:intro', 'step:capture:selfie', 'step:review', 'step:upload', 'step:done', 'complete']);
      const complete = messages.find((m) => m.data.type === 'complete')!;
      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(complete.data.sessionId, session.id);
      assert.equal(complete.data.status, session.status);
      // Framed, the flow leaves what comes next to its parent: no redirect, no Cancel on the done page.
      assert.equal(await frame.getByRole('button', { name: 'Cancel' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  test('says cancel when the applicant cancels', async () => {
    await allowFraming([merchantOrigin]);
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Cancelled', flow: 'selfie', usageLimit: 1 });
    const { context, frame, received } = await framed(link.url);
    try {
      await frame.getByRole('button', { name: 'Cancel' }).click();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok((await received()).some((m) => m.data.type === 'cancel'), 'cancel was told');
    } finally {
      await context.close();
    }
  });

  test('a site the account does not list cannot frame the flow', async () => {
    await allowFraming(['https://elsewhere.example']);
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Not here', flow: 'selfie', usageLimit: 1 });
    const { context, page, frame, received } = await framed(link.url);
    try {
      await page.waitForLoadState('load');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await frame.locator('vn-flow').count(), 0, 'no flow in the frame');
      assert.deepEqual(await received(), [], 'and nothing said to the page');
    } finally {
      await context.close();
      await allowFraming([]);
    }
  });

  describe('where the merchant\'s page does not let the frame use the camera', () => {
    /** Consent and Start in the frame, up to the selfie step, where the camera would start. */
    async function toSelfie(frame: Frame): Promise<void> {
      await frame.getByRole('heading', { level: 1, name: STEP.intro }).waitFor();
      await frame.getByRole('checkbox').check();
      await frame.getByRole('button', { name: 'Start', exact: true }).click();
      await frame.getByRole('heading', { level: 1, name: STEP.selfie }).waitFor();
    }

    const BLOCKED = 'Your camera can’t be used inside this window';

    test('an iframe without allow="camera": the blocked state offers a new tab, which carries on the same session; the frame follows it and says complete', async () => {
      await allowFraming([merchantOrigin]);
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Blocked frame', flow: 'selfie', usageLimit: 1 });
      const { context, frame, received, problems } = await framed(link.url, { allow: '' });
      try {
        await toSelfie(frame);
        await frame.getByRole('alert').filter({ hasText: BLOCKED }).waitFor();
        assert.equal(await frame.getByText('The camera is blocked').count(), 0, 'not the "denied" explanation: no browser setting would help');
        await screenshot(frame.page(), 'framed-camera-blocked-1280');
        await frame.getByRole('button', { name: 'Continue on your phone' }).waitFor();
        await frame.getByLabel('Choose a photo').waitFor();

        const opened = context.waitForEvent('page');
        await frame.getByRole('button', { name: 'Continue in a new tab' }).click();
        const tab: Page = await opened;
        tab.setDefaultTimeout(15_000);
        await frame.getByRole('heading', { level: 1, name: 'Continue in the new tab' }).waitFor();
        await frame.getByText('Carry on in the new tab; this window updates when you’re done.').waitFor();
        await screenshot(frame.page(), 'framed-new-tab-1280');

        // The tab is a page of its own (the camera is this browser's to allow there): the link, the handoff in its fragment.
        await tab.waitForLoadState();
        assert.equal(new URL(tab.url()).pathname, new URL(link.url).pathname);
        await passIntro(tab, STEP.selfie);
        await choosePhoto(tab, fixturePath('astronaut.png'), STEP.review);
        await send(tab);

        // The frame follows the session (every 2 s) and finishes by itself.
        await frame.getByRole('heading', { level: 1, name: STEP.done }).waitFor({ timeout: 10_000 });
        const session = await onlySessionOf(rig.server, link.id);
        await waitInPage(frame.page(), `window.received.some((m) => m.data.type === 'complete')`);
        const complete = (await received()).find((m) => m.data.type === 'complete')!;
        assert.equal(complete.data.sessionId, session.id);
        assert.equal(complete.data.status, session.status);
        assert.equal((await call(rig.server.url, `/api/v1/links/${link.id}`, { key: rig.server.apiKey })).json.uses, 1, 'one use for the frame and the tab');
        assert.deepEqual(session.captures.map((c) => c.kind), ['selfie']);
        assertNoProblems(problems);
      } finally {
        await context.close();
        await allowFraming([]);
      }
    });

    test('when the browser blocks the new tab, the frame shows a link that opens it', async () => {
      await allowFraming([merchantOrigin]);
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Popup blocked', flow: 'selfie', usageLimit: 1 });
      // What a popup blocker does to a script's window.open: nothing opens, null comes back.
      const { context, frame } = await framed(link.url, { allow: '' }, ['window.open = () => null']);
      try {
        await toSelfie(frame);
        await frame.getByRole('button', { name: 'Continue in a new tab' }).click();
        await frame.getByText('Your browser did not open the new tab.', { exact: false }).waitFor();
        const opened = context.waitForEvent('page');
        await frame.getByRole('link', { name: 'Open the new tab' }).click();
        const tab = await opened;
        await passIntro(tab, STEP.selfie);
        assert.equal(await frame.getByText('Your browser did not open the new tab.', { exact: false }).count(), 0, 'the link goes once the tab is open');
      } finally {
        await context.close();
        await allowFraming([]);
      }
    });

    test('Permissions-Policy: camera=() on the merchant\'s page: the same blocked state, before any camera prompt', async () => {
      await allowFraming([merchantOrigin]);
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Policy frame', flow: 'selfie', usageLimit: 1 });
      const { context, frame } = await framed(link.url, { policy: 'camera=()' });
      try {
        await toSelfie(frame);
        await frame.getByRole('alert').filter({ hasText: BLOCKED }).waitFor();
        await frame.getByRole('button', { name: 'Continue in a new tab' }).waitFor();
      } finally {
        await context.close();
        await allowFraming([]);
      }
    });

    test('a frame that may use the camera, refused by the person: the "denied" explanation, no new tab', async () => {
      await allowFraming([merchantOrigin]);
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Denied frame', flow: 'selfie', usageLimit: 1 });
      const { context, frame } = await framed(link.url);
      try {
        await toSelfie(frame);
        await frame.getByRole('alert').filter({ hasText: 'The camera is blocked' }).waitFor();
        assert.equal(await frame.getByRole('button', { name: 'Continue in a new tab' }).count(), 0);
      } finally {
        await context.close();
        await allowFraming([]);
      }
    });
  });
});
