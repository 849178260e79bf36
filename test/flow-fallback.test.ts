/**
 * When the camera cannot be used, the flow says why and offers the way forward: photos chosen
 * from files. The browser here has a camera but nobody allows it (no fake permission prompt), so
 * getUserMedia is refused exactly as when a person presses "Block". By mouse, by keyboard alone,
 * and with a file that is not a photo.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createLink } from './support/api.js';
import {
  assertNoProblems, captureOf, choosePhoto, deviceStoreKeys, expectStep, useFlowRig, onlySessionOf, openFlow, passIntro, photoFileInput,
  reviewPhotos, send, STEP, tabTo, type Focused,
} from './support/flow-driver.js';
import { fixturePath } from './support/server-process.js';

const CARD = fixturePath('id-card-specimen.png');
const FACE = fixturePath('astronaut.png');
/** What the flow logs (as a warning) and Chromium reports when the camera is refused. */
const BLOCKED_CAMERA = [/NotAllowedError|Permission denied/];

const rig = useFlowRig();

/** The camera-problem panel of the current step: an alert that says the camera is blocked and what to do. */
async function expectCameraBlocked(page: Page): Promise<void> {
  const alert = page.getByRole('alert').filter({ hasText: 'The camera is blocked' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Allow the camera in your browser settings for this site, then try again, or upload photos instead\./);
  for (const name of ['Try again', 'Continue on your phone']) assert.equal(await page.getByRole('button', { name }).isVisible(), true, `"${name}" is offered`);
  assert.equal(await page.getByRole('button', { name: 'Take photo' }).count(), 0, 'no shutter without a camera');
  assert.equal(await photoFileInput(page).count(), 1, 'a photo can be chosen instead');
}

const isFileInput = (element: Focused) => element.tag === 'INPUT' && element.type === 'file';
const isButton = (name: string) => (element: Focused) => element.tag === 'BUTTON' && element.text === name;

/** Focus the step's file field by Tab, open the file chooser with `key`, choose `path`. */
async function choosePhotoByKeyboard(page: Page, key: 'Space' | 'Enter', path: string, next: string): Promise<void> {
  const field = await tabTo(page, isFileInput);
  assert.equal(field.text, 'Choose a photo', 'the file field is labelled');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press(key)]);
  assert.equal(chooser.isMultiple(), false);
  await chooser.setFiles(path);
  await expectStep(page, next);
}

describe('when the camera is blocked', { timeout: 300_000 }, () => {
  test('the problem panel says so, and photos chosen from files complete the flow', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Blocked camera', flow: 'document+selfie', usageLimit: 1 });
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'denied' });
    try {
      await passIntro(page);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expectStep(page, STEP.front);
      await expectCameraBlocked(page);
      await choosePhoto(page, CARD, STEP.back);
      await expectCameraBlocked(page);
      await choosePhoto(page, CARD, STEP.selfie);
      await expectCameraBlocked(page);
      await choosePhoto(page, FACE, STEP.review);

      const photos = await reviewPhotos(page);
      assert.deepEqual(photos.map((p) => `${p.alt} ${p.width}×${p.height}`), [
        'front of the document 856×540', 'back of the document 856×540', 'photo of your face 512×512',
      ]);
      assert.equal((await deviceStoreKeys(page)).length, 4, 'the session and three photos are kept on the device until sent');
      await send(page);
      assert.deepEqual(await deviceStoreKeys(page), [], 'once sent, nothing personal stays on the device');

      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(session.status, 'review');
      assert.equal(session.documentType, 'id_card');
      for (const [kind, path] of [['document_front', CARD], ['document_back', CARD], ['selfie', FACE]] as const) {
        const capture = captureOf(session, kind);
        assert.equal(capture.metrics.source, 'upload', `${kind} was chosen from a file`);
        assert.equal(capture.metrics.autoCaptured, undefined);
        assert.equal(capture.contentType, 'image/png', `${kind}: a PNG is sent as it is`);
        assert.equal(capture.bytes, statSync(path).size, `${kind}: the file's own bytes`);
      }
      assertNoProblems(problems, BLOCKED_CAMERA);
    } finally {
      await context.close();
    }
  });

  test('the same, by keyboard alone: Tab, Shift+Tab, Space and Enter', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Keyboard', flow: 'document+selfie', usageLimit: 1 });
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'desktop', camera: 'denied' });
    // Keeps Playwright's file chooser interception on for the whole page: it is switched on per
    // listener, and an Enter (which opens the chooser on keydown, Space on keyup) can beat it.
    page.on('filechooser', () => undefined);
    try {
      await expectStep(page, STEP.intro);
      const consent = await tabTo(page, (e) => e.tag === 'INPUT' && e.type === 'checkbox');
      assert.match(consent.text, /^I agree that my photos are sent to Bootstrap account/);
      await page.keyboard.press('Space');
      await tabTo(page, isButton('Start'));
      await tabTo(page, (e) => e.type === 'checkbox', 'Shift+Tab'); // back, and forth again
      assert.equal(await page.getByRole('checkbox').isChecked(), true, 'Space ticked the consent');
      await tabTo(page, isButton('Start'));
      await page.keyboard.press('Enter');

      await expectStep(page, STEP.documentType);
      const choice = await tabTo(page, (e) => e.type === 'radio');
      assert.equal(choice.text, 'ID card', 'the chosen type is where Tab lands in the group');
      await tabTo(page, isButton('Continue'));
      await page.keyboard.press('Enter');

      await expectStep(page, STEP.front);
      await expectCameraBlocked(page);
      await choosePhotoByKeyboard(page, 'Space', CARD, STEP.back);
      await choosePhotoByKeyboard(page, 'Enter', CARD, STEP.selfie);
      await choosePhotoByKeyboard(page, 'Space', FACE, STEP.review);

      assert.equal((await reviewPhotos(page)).length, 3);
      await tabTo(page, isButton('Retake: front of the document'));
      await tabTo(page, isButton('Send'));
      await page.keyboard.press('Enter');
      await expectStep(page, STEP.done, 30_000);

      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(session.status, 'review');
      assert.equal(session.captures.length, 3);
      assertNoProblems(problems, BLOCKED_CAMERA);
    } finally {
      await context.close();
    }
  });

  test('a file that is not a photo gets a readable error, and the step stays until a photo is chosen', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Not a photo', flow: 'document', usageLimit: 1 });
    const { context, page } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'denied' });
    try {
      await passIntro(page);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expectStep(page, STEP.front);
      const notPhotos = [
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Not a photo at all.\n') },
        // What the browser calls a PNG because of its name: the bytes decide.
        { name: 'renamed.png', mimeType: 'image/png', buffer: Buffer.from('Not a photo either, whatever its name says.\n') },
      ];
      for (const file of notPhotos) {
        await photoFileInput(page).setInputFiles(file);
        const error = page.getByRole('alert').filter({ hasText: 'This file is not a photo' });
        await error.waitFor({ timeout: 5_000 }).catch(async () => {
          throw new Error(`${file.name}: no error on the step; the page shows "${await page.locator('h1').first().innerText()}"`);
        });
        assert.equal(await error.innerText(), 'This file is not a photo. Choose a JPEG, PNG or WebP image.');
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), STEP.front, `${file.name}: the step stays`);
      }
      await choosePhoto(page, CARD, STEP.back);
      assert.equal(await page.getByText('This file is not a photo').count(), 0, 'the next step starts without the error');
    } finally {
      await context.close();
    }
  });
});

describe('when the network fails during the upload', { timeout: 300_000 }, () => {
  test('a cut connection is retried with backoff, going offline waits for the network, and the photo arrives whole', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Flaky network', flow: 'selfie', usageLimit: 1 });
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'denied' });
    try {
      await passIntro(page, STEP.selfie);
      // Offline before the photo is taken (it would otherwise leave at once, in the background):
      // at Send the flow says the photos are kept and waits.
      await context.setOffline(true);
      await choosePhoto(page, FACE, STEP.review);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByText(/You are offline\. Your photos are kept on this device/).waitFor();
      assert.equal((await deviceStoreKeys(page)).length, 2, 'the session and the photo are still on the device');

      // Back online, the first attempt is cut mid-way: a retry with backoff, then success.
      let attempts = 0;
      await page.route('**/api/v1/flow/sessions/*/captures/*', async (route) => {
        attempts += 1;
        if (attempts === 1) await route.abort('connectionreset');
        else await route.continue();
      });
      await context.setOffline(false);
      await page.getByText(/Connection lost\. Trying again in \d+ s/).waitFor();
      await expectStep(page, STEP.done, 30_000);
      assert.equal(attempts, 2, 'one cut attempt, one that arrived');

      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(session.status, 'review');
      assert.equal(captureOf(session, 'selfie').bytes, statSync(FACE).size, 'the whole photo arrived');
      assertNoProblems(problems, [...BLOCKED_CAMERA, /net::ERR_CONNECTION_RESET|net::ERR_INTERNET_DISCONNECTED|Failed to load resource/]);
    } finally {
      await context.close();
    }
  });
});
