/**
 * The page around the flow: dead links say why in the applicant's language, the language switch
 * changes the whole page, and a whole camera run talks to its own origin only, under a policy
 * that allows MediaPipe's WebAssembly ('wasm-unsafe-eval') but never eval, with no violation.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import {
  assertNoProblems, catCameraFile, consentBox, expectStep, heading, useFlowRig, openFlow, passIntro, reviewPhotos, send, STEP,
} from './support/flow-driver.js';

const rig = useFlowRig(catCameraFile);

const language = (page: Page) => page.getAttribute('html', 'lang');
/** The header's language list, named "Language" in the language the page speaks ("Kalba", "Sprache"…). */
const languageSwitch = (page: Page) => page.getByRole('banner').getByRole('combobox');

/**
 * On a capture step: once the guidance shows the worker analysing frames (its wasm and model are
 * loaded), press the shutter. The camera films the cat, so no step takes its photo by itself.
 */
async function photographOnceAnalysing(page: Page, guidance: string, next: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: guidance }).waitFor();
  await page.getByRole('button', { name: 'Take photo' }).click();
  await expectStep(page, next);
}

describe('the pages around the flow', { timeout: 300_000 }, () => {
  test('a dead link says why, in its own language (an unknown one in the browser\'s), and the flow leaves that page alone in a browser with no session of it', async () => {
    const expiresAt = Date.now() + 1_500;
    const expiring = await createLink(rig.server.url, rig.server.apiKey, { name: 'Expiring', usageLimit: null, language: 'fr', expiresAt: new Date(expiresAt).toISOString() });
    const deactivated = await createLink(rig.server.url, rig.server.apiKey, { name: 'Off', usageLimit: null, language: 'de' });
    assert.equal((await call(rig.server.url, `/api/v1/links/${deactivated.id}/deactivate`, { key: rig.server.apiKey, method: 'POST' })).status, 200);
    const usedUp = await createLink(rig.server.url, rig.server.apiKey, { name: 'Used up', usageLimit: 1, language: 'nl' });
    assert.equal((await startSession(rig.server.url, tokenOf(usedUp.url))).status, 201);

    // An Italian browser: the link's language wins where there is a link, the browser's where there is none.
    const { context, page, problems } = await openFlow(rig.browser, `${rig.server.url}/v/${randomBytes(32).toString('base64url')}`, { context: { locale: 'it-IT' } });
    try {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt + 100 - Date.now())));
      const cases = [
        { url: page.url(), status: 404, lang: 'it', title: 'Questo link non funziona', says: /Non abbiamo trovato questo link di verifica/ },
        { url: deactivated.url, status: 410, lang: 'de', title: 'Dieser Link wurde abgeschaltet', says: /Bitten Sie um einen neuen Link/ },
        { url: expiring.url, status: 410, lang: 'fr', title: 'Ce lien a expiré', says: /valables pendant une durée limitée/ },
        { url: usedUp.url, status: 410, lang: 'nl', title: 'Deze link is opgebruikt', says: /zo vaak gebruikt als toegestaan/ },
      ];
      for (const expected of cases) {
        const response = await page.goto(expected.url);
        assert.equal(response?.status(), expected.status, expected.title);
        assert.equal(await language(page), expected.lang);
        await heading(page, expected.title).waitFor();
        assert.match(await page.locator('main').innerText(), expected.says);
        // A known link's dead page carries the flow (for the browser that holds a session of it);
        // here it finds none, and the server's explanation stays as it was.
        await page.waitForLoadState('networkidle');
        assert.equal(await page.locator('vn-flow').count(), 0, 'the flow did not take over');
        await heading(page, expected.title).waitFor();
      }
      assertNoProblems(problems, [/Failed to load resource: the server responded with a status of (404|410)/]);
    } finally {
      await context.close();
    }
  });

  test('opening and reloading the page uses nothing; Start takes the one use, and a Start that comes too late says why', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Scanned', flow: 'selfie', usageLimit: 1 });
    // What mail gateways and chat unfurlers do before a person clicks.
    assert.equal((await call(rig.server.url, new URL(link.url).pathname, { method: 'HEAD' })).status, 200);
    const uses = async () => (await call(rig.server.url, `/api/v1/links/${link.id}`, { key: rig.server.apiKey })).json.uses as number;
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'phone' });
    const late = await openFlow(rig.browser, link.url, { device: 'desktop' });
    try {
      await heading(page, STEP.intro).waitFor();
      await page.reload();
      await heading(page, STEP.intro).waitFor();
      await consentBox(page).check();
      await page.waitForLoadState('networkidle');
      assert.equal(await uses(), 0, 'loading, reloading and consenting take no use');

      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await expectStep(page, STEP.selfie);
      assert.equal(await uses(), 1);

      // The desktop loaded the page before the phone pressed Start: its Start is refused in words.
      await consentBox(late.page).check();
      await late.page.getByRole('button', { name: 'Start', exact: true }).click();
      await late.page.getByRole('alert').filter({ hasText: 'This verification link has been used as many times as it allows.' }).waitFor();
      assert.equal(await heading(late.page, STEP.intro).isVisible(), true, 'the applicant stays on the intro');
      assert.equal(await uses(), 1);
      assertNoProblems(problems, [/NotAllowedError|Permission denied/]);
      assertNoProblems(late.problems, [/status of 410/]);
    } finally {
      await context.close();
      await late.context.close();
    }
  });

  test('the language switch changes the page, and the choice is kept through a reload', async () => {
    // Two uses: a single-use link is dead to a reload (the to-do test in flow-camera.test.ts).
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Languages', flow: 'document+selfie', usageLimit: 2, language: 'lt' });
    const { context, page, problems } = await openFlow(rig.browser, link.url, { device: 'phone' });
    try {
      await heading(page, 'Patvirtinkite savo tapatybę').waitFor();
      assert.equal(await language(page), 'lt', "the link's language first");
      assert.equal(await languageSwitch(page).inputValue(), 'lt');

      await languageSwitch(page).selectOption({ label: 'Deutsch' });
      await heading(page, 'Bestätigen Sie Ihre Identität').waitFor();
      assert.equal(await language(page), 'de');
      assert.equal(await page.title(), 'Bestätigen Sie Ihre Identität');
      assert.equal(await page.getByRole('button', { name: 'Starten' }).count(), 1);
      assert.equal(await page.getByRole('checkbox', { name: /^Ich bin einverstanden, dass meine Fotos/ }).count(), 1, 'the consent is German');

      await languageSwitch(page).selectOption({ label: 'English' });
      await passIntro(page);
      await languageSwitch(page).selectOption({ label: 'Français' });
      await page.getByRole('heading', { level: 1, name: /^Quel document allez-vous utiliser/ }).waitFor();
      assert.equal(await language(page), 'fr');
      assert.equal(await page.getByRole('radio', { name: 'Carte d’identité' }).count(), 1);

      await page.reload();
      await page.getByRole('heading', { level: 1, name: /^Quel document allez-vous utiliser/ }).waitFor();
      assert.equal(await language(page), 'fr', 'the reload resumed in the language chosen');
      assert.equal(await languageSwitch(page).inputValue(), 'fr');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a whole camera run requests nothing from another origin, under a policy with wasm-unsafe-eval and no unsafe-eval', async () => {
    const link = await createLink(rig.server.url, rig.server.apiKey, { name: 'Origins', flow: 'document+selfie', usageLimit: 1 });
    const origin = new URL(rig.server.url).origin;
    const requests: Request[] = [];
    const run = await openFlow(rig.browser, link.url, {
      device: 'phone',
      camera: 'granted',
      beforeOpening: (context) => context.on('request', (request) => void requests.push(request)),
    });
    const { page, problems } = run;
    try {
      const policy = run.response?.headers()['content-security-policy'] ?? '';
      assert.match(policy, /script-src[^;]*'wasm-unsafe-eval'/, `the policy lets MediaPipe compile its WebAssembly: ${policy}`);
      assert.doesNotMatch(policy, /(^|[\s;])'unsafe-eval'/, 'no eval');
      assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/, 'no inline script');
      assert.match(policy, /connect-src 'self'/);

      await passIntro(page);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expectStep(page, STEP.front);
      await photographOnceAnalysing(page, 'Show the whole document to the camera', STEP.back);
      await photographOnceAnalysing(page, 'Show the whole document to the camera', STEP.selfie);
      await photographOnceAnalysing(page, 'Show your face to the camera', STEP.review);
      assert.equal((await reviewPhotos(page)).length, 3);
      await send(page);

      const urls = requests.map((r) => r.url());
      const elsewhere = urls.filter((url) => /^(https?|wss?):/.test(url) && new URL(url).origin !== origin);
      assert.deepEqual(elsewhere, [], 'every request goes to the page\'s own origin');
      const schemes = new Set(urls.map((url) => new URL(url).protocol));
      assert.deepEqual([...schemes].filter((s) => !['http:', 'data:', 'blob:'].includes(s)), [], 'nothing but http, data: and blob:');
      // The check covered the heavy parts: the worker, MediaPipe's wasm, the face model, the uploads.
      for (const part of [/\/assets\/worker-[^/]+\.js$/, /\.wasm$/, /\.tflite$/, /\/captures\/selfie$/, /\/submit$/]) {
        assert.ok(urls.some((url) => part.test(url)), `the run requested ${part} (of ${urls.length}: ${urls.map((u) => new URL(u).pathname).join(' ')})`);
      }
      assertNoProblems(problems);
    } finally {
      await run.context.close();
    }
  });
});
