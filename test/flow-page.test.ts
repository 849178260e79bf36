/**
 * The applicant's page behind a magic link (/v/TOKEN), in headless Chromium against a real server
 * process: the happy path on a phone and on a desktop, that loading the page never uses the link,
 * that a reload resumes the session it already has, the dead-link pages, and a clean console (no
 * errors, no CSP violations). Screenshots go to test-results/flow-page/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { launchChromium, watchProblems, type PageProblems } from './support/browser.js';
import { fixturePath, REPO_ROOT, spawnServer, type ServerProcess } from './support/server-process.js';

const SHOTS = join(REPO_ROOT, 'test-results', 'flow-page');
const MERCHANT = 'Bootstrap account';

const DEVICES = {
  phone: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
} satisfies Record<string, BrowserContextOptions>;
type Device = keyof typeof DEVICES;

let server: ServerProcess;
let browser: Browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([spawnServer(), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser profile (its own localStorage: another person's browser) with one page. */
async function openPage(device: Device, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ ...DEVICES[device], locale: 'en-GB', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = await watchProblems(page);
  return { context, page, problems };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function getLink(id: string) {
  const answer = await call(server.url, `/api/v1/links/${id}`, { key: server.apiKey });
  assert.equal(answer.status, 200, answer.text);
  return answer.json as { uses: number; remainingUses: number | null; status: string };
}

async function sessionsOf(linkId: string) {
  const answer = await call(server.url, `/api/v1/sessions?link=${linkId}`, { key: server.apiKey });
  assert.equal(answer.status, 200, answer.text);
  return answer.json.data as { id: string; status: string; documentType: string | null; captures: { kind: string }[] }[];
}

const introHeading = (page: Page) => page.getByRole('heading', { name: 'Verify your identity' });
const photosHeading = (page: Page) => page.getByRole('heading', { name: 'Your photos' });
const startButton = (page: Page) => page.getByRole('button', { name: 'Start' });
const consentBox = (page: Page) => page.getByRole('checkbox', { name: /I agree that my photos are sent to/ });

/** Toggle the consent box the way a keyboard user does: focus it, press Space. */
async function spaceOnConsent(page: Page) {
  await consentBox(page).focus();
  await page.keyboard.press('Space');
}

async function consentByKeyboard(page: Page) {
  await spaceOnConsent(page);
  assert.equal(await consentBox(page).isChecked(), true, 'Space ticks the consent box');
}

/** Upload one capture through its labelled file field and wait until the page says it is uploaded. */
async function upload(page: Page, label: string, file: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.setInputFiles(fixturePath(file));
  await page.getByRole('status').filter({ hasText: `${label}: uploaded.` }).waitFor();
  assert.equal(await fieldState(page, label), 'Uploaded', `the ${label} field says it is uploaded`);
}

/** The text a file field is described by (its upload state), as a screen reader reads it. */
async function fieldState(page: Page, label: string): Promise<string> {
  const describedBy = await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby');
  assert.ok(describedBy, `the ${label} field has a description`);
  return (await page.locator(`[id="${describedBy}"]`).innerText()).replace(/^✓\s*/, '').trim();
}

const activeElementText = (page: Page) => page.evaluate<string>('document.activeElement?.textContent ?? ""');

const noProblems = (problems: PageProblems) => assert.deepEqual(problems.all(), [], 'no console errors, CSP violations or exceptions');

describe('the flow page behind a magic link', { timeout: 120_000 }, () => {
  test('phone: intro names the merchant, consent by keyboard, uploads, submit, thank you', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Phone happy path', flow: 'document+selfie', usageLimit: 3 });
    const { context, page, problems } = await openPage('phone');
    try {
      const response = await page.goto(link.url);
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);

      await introHeading(page).waitFor();
      assert.match(await page.locator('main').innerText(), new RegExp(`${MERCHANT} asks you for photos of your ID document and of your face`));
      assert.equal(await page.getByLabel(/I agree that my photos are sent to Bootstrap account/).count(), 1, 'the consent box has its label');
      assert.equal(await startButton(page).isDisabled(), true, 'Start is disabled before consent');
      await shot(page, 'phone-1-intro');

      await consentByKeyboard(page);
      assert.equal(await startButton(page).isEnabled(), true, 'Start is enabled after consent');
      await spaceOnConsent(page); // Space again unticks
      assert.equal(await consentBox(page).isChecked(), false);
      assert.equal(await startButton(page).isDisabled(), true, 'Start is disabled again when consent is withdrawn');
      await consentByKeyboard(page);
      // Tab from the consent box reaches Start; Enter presses it.
      await page.keyboard.press('Tab');
      assert.equal(await activeElementText(page), 'Start');
      assert.equal((await getLink(link.id)).uses, 0, 'consent alone takes no use');
      await page.keyboard.press('Enter');

      await photosHeading(page).waitFor();
      assert.equal(await activeElementText(page), 'Your photos', 'focus moves to the new step\'s heading');
      assert.equal((await getLink(link.id)).uses, 1, 'Start took one use');
      await shot(page, 'phone-2-capture');

      // Submitting too early says what is missing, in words, and takes the applicant there.
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('status').filter({
        hasText: 'Still needed: the front of your ID document, the back of your ID document, a photo of your face.',
      }).waitFor();
      assert.equal(await page.evaluate('document.activeElement?.id'), 'document_front');
      await shot(page, 'phone-2b-capture-still-needed');

      await upload(page, 'Front of your ID document', 'id-card-specimen.png');
      await upload(page, 'Back of your ID document', 'chelsea-120x80.jpg');
      await upload(page, 'A photo of your face', 'astronaut.png');
      await page.getByLabel('Type of document').selectOption('id_card');
      await shot(page, 'phone-3-capture-uploaded');

      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Bootstrap account has received your verification/);
      await shot(page, 'phone-4-done');

      const sessions = await sessionsOf(link.id);
      assert.equal(sessions.length, 1);
      const detail = await call(server.url, `/api/v1/sessions/${sessions[0]!.id}`, { key: server.apiKey });
      assert.equal(detail.status, 200);
      assert.equal(detail.json.status, 'review');
      assert.equal(detail.json.documentType, 'id_card');
      assert.deepEqual(detail.json.captures.map((c: { kind: string }) => c.kind).sort(), ['document_back', 'document_front', 'selfie']);
      const used = await getLink(link.id);
      assert.equal(used.uses, 1);
      assert.equal(used.remainingUses, 2);
      assert.deepEqual(await page.evaluate('Object.keys(localStorage).filter((k) => k.startsWith("verify-now:"))'), [],
        'the session token is forgotten once submitted');
      noProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('desktop: a passport needs only its data page and a selfie', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Desktop passport', flow: 'document+selfie', usageLimit: null });
    const { context, page, problems } = await openPage('desktop');
    try {
      await page.goto(link.url);
      await introHeading(page).waitFor();
      await shot(page, 'desktop-1-intro');
      await page.getByLabel(/I agree/).check();
      await startButton(page).click();
      await photosHeading(page).waitFor();
      await shot(page, 'desktop-2-capture');

      assert.equal(await page.getByLabel('Back of your ID document', { exact: true }).isVisible(), true);
      await page.getByLabel('Type of document').selectOption('passport');
      assert.equal(await page.getByLabel('Back of your ID document', { exact: true }).isVisible(), false, 'a passport has no back to ask for');
      await upload(page, 'Front of your ID document', 'id-card-specimen.png');
      await upload(page, 'A photo of your face', 'astronaut.png');
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      await shot(page, 'desktop-3-done');

      const [session] = await sessionsOf(link.id);
      const detail = await call(server.url, `/api/v1/sessions/${session!.id}`, { key: server.apiKey });
      assert.equal(detail.json.status, 'review');
      assert.equal(detail.json.documentType, 'passport');
      assert.deepEqual(detail.json.captures.map((c: { kind: string }) => c.kind).sort(), ['document_front', 'selfie']);
      assert.equal((await getLink(link.id)).uses, 1);
      noProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('dark mode, phone: the intro and the capture step', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Dark', flow: 'document', usageLimit: null });
    const { context, page, problems } = await openPage('phone', { colorScheme: 'dark' });
    try {
      await page.goto(link.url);
      await introHeading(page).waitFor();
      await shot(page, 'phone-dark-1-intro');
      await page.getByLabel(/I agree/).check();
      await shot(page, 'phone-dark-2-intro-consented');
      await startButton(page).click();
      await photosHeading(page).waitFor();
      await upload(page, 'Front of your ID document', 'id-card-specimen.png');
      await page.getByLabel('Back of your ID document', { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
      await page.getByRole('status').filter({ hasText: 'Back of your ID document: Upload a JPEG, PNG or WebP image.' }).waitFor();
      assert.equal(await fieldState(page, 'Back of your ID document'), 'Upload a JPEG, PNG or WebP image.');
      await shot(page, 'phone-dark-3-capture-with-error');
      // The refused upload is the one console error expected here.
      assert.deepEqual(problems.cspViolations, []);
      assert.deepEqual(problems.pageErrors, []);
      assert.ok(problems.consoleErrors.every((m) => m.includes('status of 415')), problems.consoleErrors.join('\n'));
    } finally {
      await context.close();
    }
  });

  test('loading and reloading the page without pressing Start uses nothing', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Scanned link', flow: 'document+selfie', usageLimit: 1 });
    // What mail gateways and unfurlers do before a person clicks.
    assert.equal((await call(server.url, new URL(link.url).pathname, { method: 'HEAD' })).status, 200);
    assert.equal((await call(server.url, new URL(link.url).pathname)).status, 200);

    const { context, page, problems } = await openPage('phone');
    try {
      assert.equal((await page.goto(link.url))?.status(), 200);
      await introHeading(page).waitFor();
      for (let i = 0; i < 3; i++) {
        assert.equal((await page.reload())?.status(), 200);
        await introHeading(page).waitFor();
      }
      await page.getByLabel(/I agree/).check(); // consent alone is not a start either
      await page.waitForLoadState('networkidle');
      const unused = await getLink(link.id);
      assert.equal(unused.uses, 0);
      assert.equal(unused.remainingUses, 1);
      assert.equal(unused.status, 'active');
      assert.deepEqual(await sessionsOf(link.id), []);
      noProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a reload after Start resumes the same session instead of taking another use', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Resumed link', flow: 'document+selfie', usageLimit: 2 });
    const { context, page, problems } = await openPage('phone');
    try {
      await page.goto(link.url);
      await consentByKeyboard(page);
      await startButton(page).click();
      await photosHeading(page).waitFor();
      await upload(page, 'Front of your ID document', 'id-card-specimen.png');
      assert.equal((await getLink(link.id)).uses, 1);
      const stored = await page.evaluate<string[]>('Object.entries(localStorage).filter(([k]) => k.startsWith("verify-now:")).map(([, v]) => v)');
      assert.equal(stored.length, 1, 'the page keeps its session in localStorage');
      assert.ok(!page.url().includes('vns_'), 'the session token stays out of the URL');

      const starts: number[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('/api/v1/flow/sessions') && r.request().method() === 'POST') starts.push(r.status());
      });

      // A reload goes straight back to the photos, with what was uploaded, without a new start.
      await page.reload();
      await photosHeading(page).waitFor();
      assert.equal(await fieldState(page, 'Front of your ID document'), 'Uploaded');
      assert.equal(await fieldState(page, 'Back of your ID document'), '');
      assert.deepEqual(starts, [], 'a reload POSTs nothing');
      assert.equal((await getLink(link.id)).uses, 1, 'the reload took no use');

      // When the page cannot look its session up (offline for a moment), the intro shows, and
      // Start sends the stored token as resumeToken: the same session again (200), no new use.
      await page.route('**/api/v1/flow/sessions/*', (route) => route.abort('internetdisconnected'), { times: 1 });
      await page.reload();
      await introHeading(page).waitFor();
      await consentByKeyboard(page);
      await startButton(page).click();
      await photosHeading(page).waitFor();
      assert.deepEqual(starts, [200], 'the POST after a reload resumed (200), it did not start (201)');
      assert.equal(await fieldState(page, 'Front of your ID document'), 'Uploaded');
      assert.equal((await getLink(link.id)).uses, 1, 'the resumed start took no use');
      const sessions = await sessionsOf(link.id);
      assert.equal(sessions.length, 1);
      assert.deepEqual(sessions[0]!.captures.map((c) => c.kind), ['document_front']);

      // The rest of the flow works in the resumed session.
      await upload(page, 'Back of your ID document', 'chelsea.png');
      await upload(page, 'A photo of your face', 'astronaut.png');
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      assert.equal((await sessionsOf(link.id))[0]!.status, 'review');
      await page.reload();
      await introHeading(page).waitFor();
      assert.equal((await getLink(link.id)).uses, 1, 'returning after submitting takes nothing either');

      // Another browser is another applicant: it takes the second use.
      const other = await openPage('desktop');
      try {
        await other.page.goto(link.url);
        await other.page.getByLabel(/I agree/).check();
        await startButton(other.page).click();
        await photosHeading(other.page).waitFor();
        assert.equal((await getLink(link.id)).uses, 2);
        noProblems(other.problems);
      } finally {
        await other.context.close();
      }
      // The one error expected: the lookup this test cut off.
      const cut = problems.consoleErrors.filter((m) => m.includes('ERR_INTERNET_DISCONNECTED'));
      assert.equal(cut.length, 1, problems.consoleErrors.join('\n'));
      problems.consoleErrors = problems.consoleErrors.filter((m) => !cut.includes(m));
      noProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('a deactivated link shows its reason in the link\'s language, with 410', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Abgeschaltet', flow: 'document+selfie', usageLimit: null, language: 'de' });
    const off = await call(server.url, `/api/v1/links/${link.id}/deactivate`, { key: server.apiKey, method: 'POST' });
    assert.equal(off.status, 200, off.text);
    for (const device of ['phone', 'desktop'] as const) {
      const { context, page, problems } = await openPage(device);
      try {
        const response = await page.goto(link.url);
        assert.equal(response?.status(), 410);
        assert.equal(await page.getAttribute('html', 'lang'), 'de');
        await page.getByRole('heading', { name: 'Dieser Link wurde abgeschaltet' }).waitFor();
        assert.match(await page.locator('main').innerText(), /Bitten Sie um einen neuen Link/);
        assert.equal(await page.getAttribute('main', 'data-reason'), 'link_deactivated');
        await shot(page, `${device}-5-dead-link-deactivated`);
        assert.deepEqual(problems.cspViolations, []);
        assert.deepEqual(problems.pageErrors, []);
      } finally {
        await context.close();
      }
    }
    assert.equal((await getLink(link.id)).uses, 0);
  });

  test('an unknown token shows the not-found page with 404', async () => {
    const { context, page, problems } = await openPage('phone');
    try {
      for (const token of [randomBytes(32).toString('base64url'), 'not-a-token']) {
        const response = await page.goto(`${server.url}/v/${token}`);
        assert.equal(response?.status(), 404);
        await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
        assert.equal(await page.getAttribute('main', 'data-reason'), 'link_not_found');
      }
      await shot(page, 'phone-6-dead-link-not-found');
      assert.deepEqual(problems.cspViolations, []);
      assert.deepEqual(problems.pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a single-use link: used up after one start, and a Start that comes too late says so', async () => {
    const link = await createLink(server.url, server.apiKey, { name: 'Single use', flow: 'selfie', usageLimit: 1 });
    const { context, page, problems } = await openPage('phone');
    try {
      // This applicant loaded the page, but someone else started first.
      await page.goto(link.url);
      await introHeading(page).waitFor();
      const first = await startSession(server.url, tokenOf(link.url));
      assert.equal(first.status, 201, first.text);
      await page.getByLabel(/I agree/).check();
      await startButton(page).click();
      await page.getByRole('alert').filter({ hasText: 'used as many times as it allows' }).waitFor();
      await shot(page, 'phone-7a-start-refused');
      assert.equal(await startButton(page).isEnabled(), true);

      const response = await page.goto(link.url);
      assert.equal(response?.status(), 410);
      await page.getByRole('heading', { name: 'This link has been used up' }).waitFor();
      assert.equal(await page.getAttribute('main', 'data-reason'), 'link_exhausted');
      await shot(page, 'phone-7-dead-link-used-up');
      assert.deepEqual(problems.cspViolations, []);
      assert.deepEqual(problems.pageErrors, []);
      assert.equal((await getLink(link.id)).uses, 1);
    } finally {
      await context.close();
    }
  });
});
