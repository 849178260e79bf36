/**
 * "Continue on your phone", with two browsers: a desktop starts and shows a QR code and a URL; a
 * phone opens the URL, carries on with the same session (photos chosen from files) and sends;
 * the desktop, left alone, says "Thank you". The URL works once.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { call, createLink } from './support/api.js';
import {
  assertNoProblems, chooseDocument, choosePhoto, expectStep, heading, useFlowRig, onlySessionOf, openFlow, passIntro, reviewPhotos,
  send, STEP,
} from './support/flow-driver.js';
import { scanQrSvg } from './support/qr.js';
import { fixturePath } from './support/server-process.js';

/** The flow logs (as a warning) why the camera could not start: this browser's phone has none it may use. */
const NO_CAMERA = [/NotAllowedError|Permission denied/];

const rig = useFlowRig();

describe('continue on your phone', { timeout: 300_000 }, () => {
  test('the desktop shows a one-time URL, the phone completes the session with it, the desktop says thank you without a reload', async () => {
    // Two uses, though one is all this takes: a single-use link is dead to the phone (the to-do test below).
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Handoff', flow: 'document+selfie', usageLimit: 2 });
    const desktop = await openFlow(rig.browser, link.url, { device: 'desktop' });
    try {
      let desktopLoads = 0;
      desktop.page.on('load', () => void desktopLoads++);
      await passIntro(desktop.page);
      await desktop.page.getByRole('button', { name: 'Continue on your phone' }).click();
      await expectStep(desktop.page, STEP.phone);
      const shown = (await desktop.page.getByText(/#handoff=vnh_/).innerText()).trim();
      const url = new URL(shown);
      assert.equal(url.origin + url.pathname, link.url, "the link's own address, the one-time token after #");
      const qr = desktop.page.getByRole('img', { name: 'QR code of the link to continue on your phone' });
      const qrSrc = (await qr.getAttribute('src')) ?? '';
      assert.equal(scanQrSvg(decodeURIComponent(qrSrc.slice(qrSrc.indexOf(',') + 1))), shown, 'the QR code scans to the URL shown');
      assert.ok((await qr.boundingBox())!.width >= 160, 'the QR code is large enough to scan from a screen');
      await desktop.page.getByText('Waiting for your phone…').waitFor();

      const phone = await openFlow(rig.browser, shown, { device: 'phone' });
      try {
        await heading(phone.page, STEP.intro).waitFor();
        assert.equal(new URL(phone.page.url()).hash, '', 'the token has left the address bar');
        await passIntro(phone.page);
        await chooseDocument(phone.page, 'Passport', STEP.passport);
        await choosePhoto(phone.page, fixturePath('id-card-specimen.png'), STEP.selfie);
        // Each photo leaves the phone as soon as it is taken: the desktop sees it arrive, live.
        await desktop.page.getByText(/^1 of \d photos? taken on your phone$/).waitFor({ timeout: 10_000 });
        await choosePhoto(phone.page, fixturePath('astronaut.png'), STEP.review);
        assert.equal((await reviewPhotos(phone.page)).length, 2);
        await send(phone.page);
        assertNoProblems(phone.problems, NO_CAMERA);
      } finally {
        await phone.context.close();
      }

      // The desktop follows the session (it polls every 2 s) and finishes by itself.
      await expectStep(desktop.page, STEP.done, 10_000);
      assert.match(await desktop.page.locator('main').innerText(), /Bootstrap account has received your verification/);
      assert.equal(desktopLoads, 0, 'the desktop was not reloaded');

      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(session.status, 'review');
      assert.equal(session.documentType, 'passport');
      assert.deepEqual(session.captures.map((c) => c.kind).sort(), ['document_front', 'selfie']);
      assert.equal((await call(rig.server.url, `/api/v1/links/${link.id}`, { key: rig.server.apiKey })).json.uses, 1, 'one use for both devices');
      assertNoProblems(desktop.problems);

      // Someone else with the same URL (a forwarded message, a photo of the screen) gets nothing.
      const again = await openFlow(rig.browser, shown, { device: 'phone' });
      try {
        await expectStep(again.page, STEP.error);
        assert.equal(
          await again.page.getByRole('alert').innerText(),
          'This code has already been used or has expired. Ask for a new one on your computer.',
        );
        assert.equal(await again.page.getByRole('button', { name: 'Start' }).count(), 0);
        assert.equal(await heading(again.page, STEP.intro).count(), 0);
      } finally {
        await again.context.close();
      }
    } finally {
      await desktop.context.close();
    }
  });

  test('a second URL for the same session works, and the first one, once used, does not', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Handoff twice', flow: 'selfie', usageLimit: null });
    const desktop = await openFlow(rig.browser, link.url, { device: 'desktop' });
    try {
      await passIntro(desktop.page, STEP.selfie);
      await desktop.page.getByRole('button', { name: 'Continue on your phone' }).click();
      const first = (await desktop.page.getByText(/#handoff=vnh_/).innerText()).trim();
      const used = await openFlow(rig.browser, first, { device: 'phone' });
      await heading(used.page, STEP.intro).waitFor();
      await used.context.close();

      // Back on the desktop, "Continue on your phone" again: a new code.
      await desktop.page.getByRole('button', { name: 'Continue on this device' }).click();
      await expectStep(desktop.page, STEP.selfie);
      await desktop.page.getByRole('button', { name: 'Continue on your phone' }).click();
      const second = (await desktop.page.getByText(/#handoff=vnh_/).innerText()).trim();
      assert.notEqual(second, first);

      const reused = await openFlow(rig.browser, first, { device: 'phone' });
      await expectStep(reused.page, STEP.error);
      await reused.context.close();
      const phone = await openFlow(rig.browser, second, { device: 'phone' });
      await passIntro(phone.page, STEP.selfie);
      await choosePhoto(phone.page, fixturePath('astronaut.png'), STEP.review);
      await send(phone.page);
      await phone.context.close();
      await expectStep(desktop.page, STEP.done, 10_000);
    } finally {
      await desktop.context.close();
    }
  });

  test(
    'a single-use link can be continued on a phone',
    // The phone asks GET /v/TOKEN like anyone and gets 410 (the desktop took the only use); the
    // page carries the flow, which sees the handoff in the fragment and takes over.
    async () => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Single-use handoff', flow: 'selfie', usageLimit: 1 });
      const desktop = await openFlow(rig.browser, link.url, { device: 'desktop' });
      try {
        await passIntro(desktop.page, STEP.selfie);
        await desktop.page.getByRole('button', { name: 'Continue on your phone' }).click();
        const shown = (await desktop.page.getByText(/#handoff=vnh_/).innerText()).trim();
        const phone = await openFlow(rig.browser, shown, { device: 'phone' });
        try {
          assert.equal(phone.response?.status(), 410, 'used up for everyone else');
          await passIntro(phone.page, STEP.selfie);
        } finally {
          await phone.context.close();
        }
      } finally {
        await desktop.context.close();
      }
    },
  );
});
