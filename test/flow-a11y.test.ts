/**
 * Accessibility of every screen of the flow, on a phone (360 px) and a desktop (1280 px): axe
 * finds no serious or critical violation on the intro, the document type, a capture step with the
 * live camera, the camera problem, the review, the upload, the thank-you, the phone handoff
 * (desktop) and a dead link. Each screen is saved to test-results/flow/<step>-<width>.png for a
 * person to look at; the lesser findings are printed as diagnostics.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { createLink } from './support/api.js';
import {
  catCameraFile, chooseDocument, choosePhoto, expectStep, useFlowRig, openFlow, passIntro, reviewPhotos, screenshot, STEP, type Device,
} from './support/flow-driver.js';
import { fixturePath } from './support/server-process.js';

const WIDTHS: { width: number; device: Device }[] = [
  { width: 360, device: 'phone' },
  { width: 1280, device: 'desktop' },
];

const rig = useFlowRig(catCameraFile);

/** axe on the page as it is now: fails on serious or critical violations, reports the rest; then the screenshot. */
async function check(t: TestContext, page: Page, step: string, width: number): Promise<void> {
  await page.mouse.move(0, 0); // no hover state left over from the last click
  await screenshot(page, `${step}-${width}`);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const describe = (v: (typeof violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' >>> ')).join(', ')}`;
  for (const v of violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) t.diagnostic(`${step}-${width}: ${describe(v)}`);
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe), [], `${step} at ${width} px`);
}

describe('accessibility of every screen', { timeout: 300_000 }, () => {
  for (const { width, device } of WIDTHS) {
    test(`at ${width} px: no serious or critical axe violation, from the intro to the thank-you`, async (t) => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: `A11y ${width}`, flow: 'document+selfie', usageLimit: 1 });
      const { context, page } = await openFlow(rig.browser, link.url, { device, camera: 'granted' });
      try {
        await expectStep(page, STEP.intro);
        await check(t, page, 'intro', width);
        await passIntro(page);
        await check(t, page, 'document-type', width);

        if (device === 'desktop') {
          await page.getByRole('button', { name: 'Continue on your phone' }).click();
          await expectStep(page, STEP.phone);
          await page.getByRole('img', { name: /QR code/ }).waitFor();
          await check(t, page, 'phone-handoff', width);
          await page.getByRole('button', { name: 'Continue on this device' }).click();
          await expectStep(page, STEP.documentType);
        }

        await page.getByRole('button', { name: 'Continue', exact: true }).click();
        await expectStep(page, STEP.front);
        // Live: the video (the cat: nothing to capture by itself) plays and the guidance speaks from the analysed frames.
        await page.getByRole('button', { name: 'Take photo' }).and(page.locator(':enabled')).waitFor();
        await page.getByRole('status').filter({ hasText: 'Show the whole document to the camera' }).waitFor();
        await check(t, page, 'capture-live', width);

        // Photos leave as soon as they are taken: hold the first upload, to look at the upload
        // screen while it is there.
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        await page.route('**/api/v1/flow/sessions/*/captures/*', async (route) => {
          await released;
          await route.continue();
        });
        await choosePhoto(page, fixturePath('id-card-specimen.png'), STEP.back);
        await choosePhoto(page, fixturePath('id-card-specimen.png'), STEP.selfie);
        await choosePhoto(page, fixturePath('astronaut.png'), STEP.review);
        await reviewPhotos(page);
        await check(t, page, 'review', width);

        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await expectStep(page, STEP.upload);
        await check(t, page, 'upload', width);
        release();
        await expectStep(page, STEP.done, 30_000);
        await check(t, page, 'done', width);
      } finally {
        await context.close();
      }
    });

    test(`at ${width} px: the camera problem and a dead link`, async (t) => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: `A11y problem ${width}`, flow: 'document', usageLimit: 1 });
      const { context, page } = await openFlow(rig.browser, link.url, { device, camera: 'denied' });
      try {
        await passIntro(page);
        await chooseDocument(page, 'Passport', STEP.passport);
        await page.getByRole('alert').filter({ hasText: 'The camera is blocked' }).waitFor();
        await check(t, page, 'camera-problem', width);

        await page.goto(`${rig.server.url}/v/${randomBytes(32).toString('base64url')}`);
        await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
        await check(t, page, 'dead-link', width);
      } finally {
        await context.close();
      }
    });
  }

  test('in dark mode at 360 px: the intro and the camera problem', async (t) => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'A11y dark', flow: 'selfie', usageLimit: 1 });
    const { context, page } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'denied', context: { colorScheme: 'dark' } });
    try {
      await expectStep(page, STEP.intro);
      await check(t, page, 'intro-dark', 360);
      await passIntro(page, STEP.selfie);
      await page.getByRole('alert').filter({ hasText: 'The camera is blocked' }).waitFor();
      await check(t, page, 'camera-problem-dark', 360);
    } finally {
      await context.close();
    }
  });
});
