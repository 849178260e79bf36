/**
 * Framed (the widget's modal frames it), the flow tells its parent what happens, by postMessage
 * to the parent's origin. The parent here is a merchant's page on another origin (a second local
 * server), allowed to frame the flow by the account's embedding setting; a site not on that list
 * cannot frame it at all.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { call, createLink } from './support/api.js';
import { useFlowRig, onlySessionOf, openFlow, STEP } from './support/flow-driver.js';
import { fixturePath } from './support/server-process.js';

interface Received {
  origin: string;
  data: { source: string; type: string; step?: string; sessionId?: string; status?: string };
}

const rig = useFlowRig();
let merchant: Server;
let merchantOrigin: string;

/** The merchant's site: a checkout page that frames the link given in its query and records every message. */
before(async () => {
  merchant = createServer((req, res) => {
    const link = new URL(req.url ?? '/', 'http://x').searchParams.get('link') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Checkout</title><script>
      window.received = [];
      addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
    </script><iframe title="Verification" src="${link.replace(/"/g, '&quot;')}" allow="camera" style="width:900px;height:800px"></iframe>`);
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  merchantOrigin = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => merchant?.close(() => resolve())));

async function allowFraming(origins: string[]): Promise<void> {
  const answer = await call(rig.server.url, '/api/v1/account', { key: rig.server.apiKey, method: 'PATCH', json: { embedOrigins: origins } });
  assert.equal(answer.status, 200, answer.text);
}

/** The merchant's checkout page framing `linkUrl`. */
async function framed(linkUrl: string) {
  const flow = await openFlow(rig.browser, `${merchantOrigin}/checkout?link=${encodeURIComponent(linkUrl)}`, { device: 'desktop', camera: 'denied' });
  const frame = (await (await flow.page.waitForSelector('iframe')).contentFrame()) as Frame;
  const received = () => flow.page.evaluate('window.received') as Promise<Received[]>;
  return { ...flow, frame, received };
}

describe('the flow in a frame', { timeout: 60_000 }, () => {
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
});
