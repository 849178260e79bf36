/**
 * The merchant dashboard end to end, in Debian's Chromium against a real server: sign in, create
 * a single-use link with an expiry, watch an applicant's session arrive and move with no reload,
 * review and approve it; a cross-site post is refused; a second merchant sees nothing of the
 * first; axe finds no serious violation; screenshots at 360 and 1280 px.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Browser, Page } from 'playwright-core';
import { verifyWebhook } from '../webhooks/index.js';
import { call } from './support/api.js';
import { waitInPage } from './support/browser.js';
import { choosePhoto, consentBox, expectStep, launchFlowBrowser, openFlow, send, STEP, type Device } from './support/flow-driver.js';
import { fixturePath, REPO_ROOT, spawnServer, type ServerProcess } from './support/server-process.js';
import { adminEnv } from './support/test-store.js';

const run = promisify(execFile);
const SHOTS = join(REPO_ROOT, 'test-results', 'dashboard');
const OWNER = { email: 'owner@shop.example', password: 'a long enough password' };

let server: ServerProcess;
let browser: Browser;
let smtp: SMTPServer;
const mails: Buffer[] = [];
before(async () => {
  // A real local mail server: what the dashboard's "Send email" sends arrives here.
  smtp = new SMTPServer({
    logger: false, authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  [server, browser] = await Promise.all([
    spawnServer({
      env: {
        BOOTSTRAP_ADMIN_EMAIL: OWNER.email, BOOTSTRAP_ADMIN_PASSWORD: OWNER.password,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SMTP_FROM: 'links@verify.example',
        ALLOW_PRIVATE_WEBHOOKS: '1', // the webhook receiver below is on 127.0.0.1
      },
    }),
    launchFlowBrowser(),
  ]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

async function signIn(device: Device = 'desktop', user = OWNER) {
  const opened = await openFlow(browser, `${server.url}/dashboard`, { device, camera: 'denied' });
  const { page } = opened;
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Links' }).waitFor();
  return opened;
}

/** A local date-time for the datetime-local input, `hours` from now. */
function localInput(hours: number): string {
  const at = new Date(Date.now() + hours * 3_600_000);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

async function createLinkInDashboard(page: Page, name: string): Promise<{ id: string; url: string }> {
  await page.getByRole('button', { name: 'New link' }).click();
  const dialog = page.getByRole('dialog', { name: 'New magic link' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('radio', { name: 'Selfie', exact: true }).check();
  await dialog.getByRole('radio', { name: 'Single-use' }).check();
  await dialog.getByRole('checkbox', { name: 'Expires' }).check();
  await dialog.getByLabel('Expires at').fill(localInput(48));
  await dialog.getByRole('button', { name: 'Create link' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  const url = await page.locator('.url-row code').innerText();
  return { id: new URL(page.url()).pathname.split('/').pop()!, url };
}

const rowOf = (page: Page, sessionId: string) => page.locator(`tbody tr[data-session="${sessionId}"]`);

describe('the dashboard', { timeout: 400_000 }, () => {
  test('sign in, create a single-use link with an expiry, watch its session arrive and change live, approve it', async () => {
    const merchant = await signIn();
    const link = await createLinkInDashboard(merchant.page, 'Live onboarding');
    const fromApi = await call(server.url, `/api/v1/links/${link.id}`, { key: server.apiKey });
    assert.equal(fromApi.json.url, link.url);
    assert.equal(fromApi.json.usageLimit, 1);
    assert.equal(fromApi.json.flow, 'selfie');
    const expiresIn = Date.parse(fromApi.json.expiresAt) - Date.now();
    assert.ok(expiresIn > 47 * 3_600_000 && expiresIn < 49 * 3_600_000, `expires in about 48 h (${expiresIn} ms)`);

    await merchant.page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await merchant.page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await merchant.page.getByText('No sessions yet.').waitFor();

    // The applicant, in another browser: the merchant's list must show the session within 2 s.
    const applicant = await openFlow(browser, link.url, { device: 'phone', camera: 'denied' });
    await consentBox(applicant.page).check();
    const startedAt = Date.now();
    await applicant.page.getByRole('button', { name: 'Start', exact: true }).click();
    await merchant.page.locator('tbody tr').first().waitFor({ timeout: 2_000 });
    const arrivedMs = Date.now() - startedAt;
    await expectStep(applicant.page, STEP.selfie);
    const sessionId = (await merchant.page.locator('tbody tr').first().getAttribute('data-session'))!;
    assert.match(sessionId, /^ses_/);
    assert.match(await rowOf(merchant.page, sessionId).innerText(), /Live onboarding[\s\S]*Started/);

    await choosePhoto(applicant.page, fixturePath('astronaut.png'), STEP.review);
    await rowOf(merchant.page, sessionId).getByText('In progress').waitFor({ timeout: 5_000 });
    await send(applicant.page);
    await rowOf(merchant.page, sessionId).getByText('To review').waitFor({ timeout: 5_000 });
    assert.equal(await merchant.page.evaluate('performance.getEntriesByType("navigation").length'), 1, 'no reload happened');
    await applicant.context.close();

    await rowOf(merchant.page, sessionId).getByRole('link').click();
    await merchant.page.getByRole('heading', { level: 1, name: /^Session/ }).waitFor();
    const photo = merchant.page.getByRole('img', { name: 'Selfie' });
    await photo.waitFor();
    await waitInPage(merchant.page, '[...document.querySelectorAll(".capture img")].every((i) => i.complete && i.naturalWidth > 0)');
    await merchant.page.getByLabel(/Note/).fill('Face matches the booking.');
    await merchant.page.getByRole('button', { name: 'Approve' }).click();
    await merchant.page.getByText('Approved.', { exact: true }).waitFor();

    const session = await call(server.url, `/api/v1/sessions/${sessionId}`, { key: server.apiKey });
    assert.equal(session.json.status, 'approved');
    assert.equal(session.json.decision.note, 'Face matches the booking.');
    assert.deepEqual(merchant.problems.all(), []);
    await merchant.context.close();
    console.log(`# the new session appeared on the merchant's list ${arrivedMs} ms after Start`);
  });

  test('sharing a link by email from the dashboard delivers it through SMTP, with the link and the note', async () => {
    const merchant = await signIn();
    const link = await createLinkInDashboard(merchant.page, 'Shared by mail');
    const share = merchant.page.getByRole('region', { name: 'Share' });
    await share.getByLabel('Email address').fill('applicant@example.com');
    await share.getByLabel(/Message/).fill('Hello Jo, <b>one minute</b> please.');
    await share.getByRole('button', { name: 'Send email' }).click();
    await share.getByText('The email was sent.').waitFor();
    assert.equal(await share.getByLabel('Email address').inputValue(), '', 'the form forgets the address');

    const mail = await simpleParser(mails.at(-1)!);
    assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : [], ['applicant@example.com']);
    assert.equal(mail.subject, 'Bootstrap account asks you to verify your identity');
    assert.ok(mail.text?.includes(link.url), 'the link in the text part');
    assert.ok(String(mail.html).includes(link.url), 'and in the HTML part');
    assert.ok(String(mail.html).includes('&lt;b&gt;one minute&lt;/b&gt;'), 'the note is escaped in HTML');
    assert.deepEqual(merchant.problems.all(), []);
    await merchant.context.close();
  });

  test('a webhook endpoint added in the account page gets a signed test event; the deliveries show it and resend works', async () => {
    const received: { body: string; signature: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['verify-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const merchant = await signIn();
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      await merchant.page.getByRole('link', { name: 'Account' }).click();
      const section = merchant.page.getByRole('region', { name: 'Webhooks' });
      await section.getByLabel('URL').fill(url);
      await section.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = await section.getByRole('alert').locator('code').innerText();
      assert.match(secret, /^whsec_/);
      await section.getByRole('button', { name: 'I have stored it' }).click();
      assert.equal(await section.getByText(secret).count(), 0, 'the secret is shown once');

      await section.getByRole('button', { name: 'Send test event' }).click();
      await section.getByText('succeeded').first().waitFor({ timeout: 15_000 });
      const test = received.at(-1)!;
      assert.equal(verifyWebhook<{ type: string }>(test.body, test.signature, secret).type, 'webhook.test', 'signed with the secret shown');
      await section.getByRole('button', { name: 'Resend' }).first().click();
      for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(received.length, 2);
      assert.equal(JSON.parse(received[1]!.body).id, JSON.parse(received[0]!.body).id, 'a resend carries the same event id');
      assert.deepEqual(merchant.problems.all(), []);
    } finally {
      await merchant.context.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  test('a cross-site form post or fetch with the merchant\'s cookie changes nothing', async () => {
    const merchant = await signIn();
    const evil: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>Win a prize</title>
        <form method="post" action="${server.url}/api/v1/links" enctype="text/plain">
          <input name='{"name":"evil","flow":"selfie","usageLimit":null,"x":"' value='"}'>
        </form>
        <script>
          fetch(${JSON.stringify(`${server.url}/api/v1/links`)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
            headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'evil', flow: 'selfie', usageLimit: null }) })
            .finally(() => document.forms[0].submit());
        </script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const before = (await call(server.url, '/api/v1/links?limit=100', { key: server.apiKey })).json.data.length;
      const posted = merchant.page.waitForResponse((r) => r.url() === `${server.url}/api/v1/links` && r.request().method() === 'POST' && r.request().resourceType() === 'document');
      // Another site: another host name as well as another port.
      await merchant.page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const answer = await posted;
      assert.ok([401, 403, 415].includes(answer.status()), `refused (${answer.status()})`);
      const after = (await call(server.url, '/api/v1/links?limit=100', { key: server.apiKey })).json.data;
      assert.equal(after.length, before);
      assert.ok(!after.some((l: { name: string }) => l.name === 'evil'));
    } finally {
      await merchant.context.close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });

  test('a second merchant sees nothing of the first', async () => {
    const admin = (...args: string[]) => run(process.execPath, ['dist/server/admin.js', ...args], { cwd: REPO_ROOT, env: adminEnv(server.dataDir) });
    const accountId = /^(acc_\S+)/.exec((await admin('create-account', '--name', 'Other shop', '--credits', '5')).stdout)![1]!;
    const other = { email: 'someone@other.example', password: 'another long password' };
    await admin('create-user', '--account', accountId, '--email', other.email, '--password', other.password);
    const firstLink = (await call(server.url, '/api/v1/links?limit=1', { key: server.apiKey })).json.data[0];
    assert.ok(firstLink, 'the first merchant has a link');

    const stranger = await signIn('desktop', other);
    await stranger.page.getByText('No links yet.').waitFor();
    await stranger.page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await stranger.page.getByText('No sessions yet.').waitFor();
    await stranger.page.goto(`${server.url}/dashboard/links/${firstLink.id}`);
    await stranger.page.getByRole('alert').getByText('No such link.').waitFor();
    await stranger.context.close();
  });

  for (const { device, width } of [{ device: 'phone', width: 360 }, { device: 'desktop', width: 1280 }] as const) {
    test(`at ${width} px: no serious or critical axe violation on any view; screenshots`, async () => {
      mkdirSync(SHOTS, { recursive: true });
      const check = async (page: Page, name: string) => {
        await page.mouse.move(0, 0);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
        const { violations } = await new AxeBuilder({ page }).analyze();
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${name} at ${width} px`);
      };
      const login = await openFlow(browser, `${server.url}/dashboard`, { device, camera: 'denied' });
      await login.page.getByRole('heading', { level: 1, name: 'Sign in to your dashboard' }).waitFor();
      await check(login.page, 'login');
      await login.context.close();

      const { page, context, problems } = await signIn(device);
      await page.locator('tbody tr').first().waitFor();
      await check(page, 'links');
      await page.getByRole('button', { name: 'New link' }).click();
      await check(page, 'new-link');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('tbody a').first().click();
      await page.locator('.funnel').waitFor();
      await check(page, 'link');
      await page.getByRole('link', { name: 'Sessions', exact: true }).click();
      await page.locator('tbody tr').first().waitFor();
      await check(page, 'sessions');
      await page.locator('tbody a').first().click();
      await page.locator('.capture img').first().waitFor();
      await check(page, 'session');
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
      await check(page, 'account');
      assert.deepEqual(problems.all(), []);
      await context.close();
    });
  }
});
