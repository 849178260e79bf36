/**
 * Framed (the widget's modal will frame it), the flow tells its parent what happens, by
 * postMessage to the parent's origin. The framing page here is served on the flow's own origin
 * (intercepted by the rig.browser): until accounts list the origins allowed to frame the flow, the
 * flow's frame-ancestors is 'self'.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { createLink } from './support/api.js';
import { useFlowRig, onlySessionOf, openFlow, STEP } from './support/flow-driver.js';
import { fixturePath } from './support/server-process.js';

interface Received {
  origin: string;
  data: { source: string; type: string; step?: string; sessionId?: string; status?: string };
}

const rig = useFlowRig();

/** A merchant-like page on the flow's origin that frames `linkUrl` and records every message. */
async function framed(linkUrl: string) {
  const parentUrl = `${rig.server.url}/merchant-checkout`;
  const flow = await openFlow(rig.browser, 'about:blank', { device: 'desktop', camera: 'denied' });
  await flow.page.route(parentUrl, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>Checkout</title><script>
        window.received = [];
        addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
      </script><iframe title="Verification" src="${new URL(linkUrl).pathname}" allow="camera" style="width:900px;height:800px"></iframe>`,
    }),
  );
  await flow.page.goto(parentUrl);
  const frame = (await (await flow.page.waitForSelector('iframe')).contentFrame()) as Frame;
  const received = () => flow.page.evaluate('window.received') as Promise<Received[]>;
  return { ...flow, frame, received };
}

describe('the flow in a frame', { timeout: 60_000 }, () => {
  test('tells its parent ready, each step and complete, to the parent\'s origin only', async () => {
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
});
