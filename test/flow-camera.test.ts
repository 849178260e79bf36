/**
 * The flow with the camera, end to end: Chromium's fake camera plays a card on a table, then a
 * face (test/support/fake-camera.ts), and the flow takes every photo by itself, without the
 * shutter. What the merchant then reads through the API says so: each capture came from the
 * camera, auto-captured, with the card's corners for the document and a face for the selfie.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { call, createLink } from './support/api.js';
import { documentScene, flowCameraFile, SCENE_HEIGHT, SCENE_WIDTH, selfieScene } from './support/fake-camera.js';
import {
  assertNoProblems, captureOf, choosePhoto, expectStep, useFlowRig, onlySessionOf, openFlow, passIntro, reviewPhotos, screenshot, send,
  STEP, watchGuidance,
} from './support/flow-driver.js';
import { fixturePath } from './support/server-process.js';

/**
 * The camera file loops 4 s of card and 4 s of face at 2 fps, and starts over whenever a step
 * opens the camera: a document shows at once, the face after the card's 4 s. Four good frames
 * make a capture, so each should take 2 to 6 s; the time limit leaves a full loop more.
 */
const AUTO_CAPTURE_TIMEOUT_MS = 20_000;
/** How far (as a share of the frame) a detected corner may be from where the scene put it. */
const CORNER_TOLERANCE = 0.04;

const rig = useFlowRig(flowCameraFile);

/**
 * Waits until the camera step `from` has taken its photo by itself and the flow moved on to
 * `next`; returns the guidance the step showed, as it changed.
 */
async function autoCaptured(page: Page, from: string, next: string, shotName: string): Promise<string[]> {
  const guidance = watchGuidance(page);
  try {
    await page.getByRole('button', { name: 'Take photo' }).waitFor();
    await expectStep(page, next, AUTO_CAPTURE_TIMEOUT_MS);
    return guidance.history;
  } catch (error) {
    await screenshot(page, shotName).catch(() => undefined);
    throw new Error(
      `"${from}" did not capture by itself within ${AUTO_CAPTURE_TIMEOUT_MS / 1000} s (screenshot: test-results/flow/${shotName}.png).\n` +
        `Heading | guidance, as it changed:\n  ${guidance.history.join('\n  ')}\n${(error as Error).message}`,
    );
  } finally {
    guidance.stop();
  }
}

/** SHA-256 of the photo this browser keeps for `kind` (IndexedDB `verify-now`/`flow`, as resume-store.ts writes it). */
function storedPhotoHash(page: Page, kind: string): Promise<string | null> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('verify-now');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction('flow').objectStore('flow');
      const keys = store.getAllKeys();
      keys.onsuccess = () => {
        const key = keys.result.find((k) => String(k).endsWith(':capture:${kind}'));
        if (key === undefined) return resolve(null), open.result.close();
        const get = store.get(key);
        get.onsuccess = async () => {
          const digest = await crypto.subtle.digest('SHA-256', await get.result.image.arrayBuffer());
          resolve([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''));
          open.result.close();
        };
      };
    };
  })`);
}

async function serverPhotoHash(sessionId: string, kind: string): Promise<string> {
  const response = await fetch(`${rig.server.url}/api/v1/sessions/${sessionId}/captures/${kind}`, { headers: { authorization: `Bearer ${rig.server.apiKey}` } });
  assert.equal(response.status, 200);
  return createHash('sha256').update(new Uint8Array(await response.arrayBuffer())).digest('hex');
}

describe('the flow with a camera', { timeout: 300_000 }, () => {
  test('a document+selfie link completes from intro to done by auto-capture alone, and the API says how each photo was taken', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Camera', flow: 'document+selfie', usageLimit: 1 });
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'granted' });
    try {
      // Nothing here presses "Take photo": every step has to take its photo by itself.
      await passIntro(page);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expectStep(page, STEP.front);
      await autoCaptured(page, STEP.front, STEP.back, 'camera-front-not-captured');
      await autoCaptured(page, STEP.back, STEP.selfie, 'camera-back-not-captured');
      const selfieGuidance = await autoCaptured(page, STEP.selfie, STEP.review, 'camera-selfie-not-captured');
      assert.ok(!selfieGuidance.some((line) => line.includes('document')), `the selfie step never speaks of a document:\n${selfieGuidance.join('\n')}`);
      assert.ok(selfieGuidance.some((line) => line.includes('Show your face to the camera')), 'while the card shows, the step asks for a face');

      const photos = await reviewPhotos(page);
      assert.deepEqual(photos.map((p) => p.alt), ['front of the document', 'back of the document', 'photo of your face']);
      for (const photo of photos) assert.deepEqual([photo.width, photo.height], [SCENE_WIDTH, SCENE_HEIGHT], `${photo.alt}: the camera's full frame`);
      await send(page);

      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(session.status, 'review', 'a submitted session waits for review');
      assert.equal(session.documentType, 'id_card');
      assert.deepEqual(session.captures.map((c) => c.kind).sort(), ['document_back', 'document_front', 'selfie']);
      for (const capture of session.captures) {
        assert.equal(capture.metrics.source, 'camera', `${capture.kind} came from the camera`);
        assert.equal(capture.metrics.autoCaptured, true, `${capture.kind} was auto-captured`);
        assert.equal(capture.contentType, 'image/jpeg');
        assert.deepEqual([capture.width, capture.height], [SCENE_WIDTH, SCENE_HEIGHT]);
      }

      // The document's corners are where the scene put the card.
      const quad = captureOf(session, 'document_front').metrics.quad;
      assert.equal(quad?.length, 4, 'the front has the quadrilateral the detector found');
      const corners = documentScene().corners.map((p) => ({ x: p.x / SCENE_WIDTH, y: p.y / SCENE_HEIGHT }));
      quad.forEach((p, i) => {
        const distance = Math.hypot(p.x - corners[i]!.x, p.y - corners[i]!.y);
        assert.ok(distance < CORNER_TOLERANCE, `corner ${i} at (${p.x.toFixed(3)}, ${p.y.toFixed(3)}) is ${distance.toFixed(3)} from the card's (${corners[i]!.x.toFixed(3)}, ${corners[i]!.y.toFixed(3)})`);
      });

      // The selfie's face is the astronaut's, in the middle of the frame.
      const faces = captureOf(session, 'selfie').metrics.faces ?? [];
      assert.equal(faces.length, 1, `one face in the selfie: ${JSON.stringify(faces)}`);
      const { face } = selfieScene();
      const [expectedX, expectedY] = [(face.x + face.width / 2) / SCENE_WIDTH, (face.y + face.height / 2) / SCENE_HEIGHT];
      const [foundX, foundY] = [faces[0]!.x + faces[0]!.width / 2, faces[0]!.y + faces[0]!.height / 2];
      assert.ok(Math.hypot(foundX - expectedX, foundY - expectedY) < 0.1, `the face found at (${foundX.toFixed(2)}, ${foundY.toFixed(2)}) is the astronaut's at (${expectedX.toFixed(2)}, ${expectedY.toFixed(2)})`);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a reload in the middle resumes at the same step, and the photo taken before it is the one sent', async () => {
    // Two uses: a single-use link is dead to a reload (see the test after this one).
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Camera reload', flow: 'document+selfie', usageLimit: 2 });
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'granted' });
    try {
      await passIntro(page);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expectStep(page, STEP.front);
      await autoCaptured(page, STEP.front, STEP.back, 'camera-reload-front-not-captured');
      const frontBeforeReload = await storedPhotoHash(page, 'document_front');
      assert.ok(frontBeforeReload, 'the front photo is kept on the device');

      await page.reload();
      await expectStep(page, STEP.back);
      await page.getByText('Step 4 of 6').waitFor(); // intro, type, front, back, selfie, review
      assert.equal(await storedPhotoHash(page, 'document_front'), frontBeforeReload, 'the reload kept the front photo');
      await autoCaptured(page, STEP.back, STEP.selfie, 'camera-reload-back-not-captured');
      await autoCaptured(page, STEP.selfie, STEP.review, 'camera-reload-selfie-not-captured');
      assert.equal((await reviewPhotos(page)).length, 3, 'the review shows the front taken before the reload, and the two after');
      await send(page);

      const session = await onlySessionOf(rig.server, link.id);
      assert.equal(session.status, 'review');
      assert.equal(await serverPhotoHash(session.id, 'document_front'), frontBeforeReload, 'the server has the front photo taken before the reload');
      const used = await call(rig.server.url, `/api/v1/links/${link.id}`, { key: rig.server.apiKey });
      assert.equal(used.json.uses, 1, 'the reload took no other use of the link');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test(
    'a reload on a single-use link resumes too: the link is used up for others, not for the browser that started',
    // GET /v/TOKEN answers 410 as soon as the only use is taken; the page carries the flow, which
    // finds this browser's session in IndexedDB and takes over.
    async () => {
      const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Single use reload', flow: 'document+selfie', usageLimit: 1 });
      const { context, page } = await openFlow(rig.browser, link.url, { device: 'phone', camera: 'granted' });
      try {
        await passIntro(page);
        await page.getByRole('button', { name: 'Continue', exact: true }).click();
        await expectStep(page, STEP.front);
        await choosePhoto(page, fixturePath('id-card-specimen.png'), STEP.back);
        const response = await page.reload();
        assert.equal(response?.status(), 410, 'used up for everyone else');
        await expectStep(page, STEP.back);
      } finally {
        await context.close();
      }
    },
  );
});
