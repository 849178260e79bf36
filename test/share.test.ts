/**
 * Sharing a link by email and SMS, against real server processes: a real SMTP server
 * (smtp-server) on a port it picks, whose arrivals are parsed (mailparser); a fake SMS provider
 * (node:http) that records what it was sent; the outbox when neither is configured. And
 * throughout: the recipient is personal data, found in the message only, never in the log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { LANGUAGES } from '../contract/common.js';
import { ManualClock } from '../server/clock.js';
import { createPresenter } from '../server/present.js';
import { composeEmail, composeSms, gsm7Length, smsDeepLink } from '../server/share/compose.js';
import { ShareFailure } from '../server/share/failure.js';
import { SmtpMailer } from '../server/share/mailer.js';
import { RateLimiter } from '../server/share/rate-limit.js';
import { HttpSmsSender } from '../server/share/sms.js';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.js';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { REPO_ROOT, spawnServer, type ServerProcess } from './support/server-process.js';
import { adminEnv } from './support/test-store.js';

const run = promisify(execFile);

// ---- What the tests run against ----

interface Arrival {
  from: string | undefined;
  to: string[];
  user: unknown;
  raw: Buffer;
}

const SMTP_USER = 'mailer';
const SMTP_PASS = 'smtp-pass-9f3b';
const REFUSED_DOMAIN = 'refused.example';

/** A real SMTP server on 127.0.0.1: password login, no TLS, and recipients at refused.example rejected with 550. */
async function startSmtp() {
  const arrivals: Arrival[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (!address.address.endsWith(`@${REFUSED_DOMAIN}`)) return callback();
      // As real servers do, the reply names the recipient: it must not reach the merchant or the log.
      callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        arrivals.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user,
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface ProviderRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A fake SMS provider: records each request and answers `status` (202 unless changed). */
async function startSmsProvider() {
  const requests: ProviderRequest[] = [];
  const state = { status: 202 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      res.writeHead(state.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'msg_1', status: state.status < 300 ? 'queued' : 'failed' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/messages`, requests, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The admin CLI on a running server's data directory: a second merchant account and its key. */
async function newAccount(server: ServerProcess, name: string): Promise<string> {
  const opts = { cwd: REPO_ROOT, env: adminEnv(server.dataDir) };
  const created = (await run(process.execPath, ['dist/server/admin.js', 'create-account', '--name', name, '--credits', '5'], opts)).stdout;
  const accountId = /^(acc_\S+)/.exec(created.trim())![1]!;
  return (await run(process.execPath, ['dist/server/admin.js', 'create-api-key', '--account', accountId], opts)).stdout.trim();
}

const share = (server: ServerProcess, linkId: string, json: unknown, key = server.apiKey) =>
  call(server.url, `/api/v1/links/${linkId}/share`, { key, json });

const firstAddress = (mail: ParsedMail, field: 'from' | 'to') => {
  const value = mail[field];
  return (Array.isArray(value) ? value[0] : value)?.value[0];
};

/** Every recipient a test used: none may appear in a server's log, in any form. */
const recipients = new Set<string>();
const to = <T extends string>(address: T): T => {
  recipients.add(address);
  return address;
};

function assertLogsHoldNoRecipient(server: ServerProcess) {
  const logs = server.logs.join('\n');
  assert.ok(server.logs.length > 0);
  for (const recipient of recipients) {
    const digits = recipient.replace(/\D/g, '');
    const forms = recipient.startsWith('+') ? [recipient, `+${digits}`, digits] : [recipient, encodeURIComponent(recipient)];
    for (const form of forms) assert.ok(!logs.includes(form), `the log holds ${form}`);
  }
  assert.ok(!logs.includes(SMTP_PASS), 'the log holds the SMTP password');
}

const SHOP = 'Café <Bücher> & "Söhne"';
const MESSAGE = 'Hallo Jane,\n<b>bitte</b> & <script>alert(1)</script> bis Freitag.';

// ---- The messages themselves ----

describe('the messages', () => {
  const url = `https://verify.example.com/v/${'A1b2C3d4E5'.repeat(4)}xyz`; // a real link's length
  const content = { shop: 'Example Shop', url, flow: 'document+selfie' as const, expiresAt: Date.UTC(2099, 11, 31, 23), message: undefined };

  test('every language has its own subject, text and HTML, with the link, the shop and the expiry', () => {
    const subjects = new Set<string>();
    for (const language of LANGUAGES) {
      const email = composeEmail({ ...content, language });
      subjects.add(email.subject);
      assert.ok(email.subject.includes('Example Shop'), language);
      assert.ok(email.text.includes(url), language);
      assert.ok(email.html.includes(`href="${url}"`), language);
      assert.ok(email.html.includes(`<html lang="${language}">`), language);
      assert.ok(email.text.includes('2099') && email.text.includes('UTC'), `${language}: the expiry`);
    }
    assert.equal(subjects.size, LANGUAGES.length);
    const unlimited = composeEmail({ ...content, expiresAt: null, language: 'en' });
    assert.ok(!unlimited.text.includes('valid until'), 'no expiry, no sentence about it');
  });

  test("the merchant's note is quoted as plain text and escaped in HTML; so is the shop's name", () => {
    const email = composeEmail({ ...content, shop: SHOP, message: MESSAGE, language: 'de' });
    assert.ok(email.text.includes('> <b>bitte</b> & <script>alert(1)</script> bis Freitag.'));
    assert.ok(email.html.includes('&lt;b&gt;bitte&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(email.html.includes('Café &lt;Bücher&gt; &amp; &quot;Söhne&quot;'));
    assert.ok(!email.html.includes('<script>') && !email.html.includes('<b>') && !email.html.includes('<Bücher>'));
    assert.equal(email.subject, `${SHOP} bittet Sie, Ihre Identität zu bestätigen`);
  });

  test('an SMS fits one 160-character GSM-7 part in every language whose letters allow it', () => {
    for (const language of LANGUAGES) {
      const text = composeSms({ ...content, language });
      assert.ok(text.endsWith(url), language);
      const septets = gsm7Length(text);
      if (language === 'lt') {
        assert.equal(septets, undefined, 'Lithuanian needs UCS-2');
        assert.ok(text.length <= 140, `lt: ${text.length} characters`);
      } else {
        assert.ok(septets !== undefined, `${language} is GSM-7: ${text}`);
        assert.ok(septets <= 160, `${language}: ${septets} septets`);
      }
    }
  });

  test('the sms: link works on iOS and Android: ?&body= with the text percent-encoded', () => {
    const text = 'Shop & Co: verify 100% here: https://x.example/v/a?b#c';
    const link = smsDeepLink('+491701234567', text);
    assert.equal(link, `sms:+491701234567?&body=${encodeURIComponent(text)}`);
    assert.ok(!link.includes(' ') && !link.includes('+', 5) && !link.includes('#'));
    assert.equal(decodeURIComponent(link.slice(link.indexOf('body=') + 5)), text);
    assert.equal(smsDeepLink(undefined, 'hi'), 'sms:?&body=hi');
  });

  test('the rate limit allows a burst of the limit, then one more as each share is earned back', async () => {
    const clock = new ManualClock();
    const store = new SqliteStore(':memory:', createPresenter(() => 'http://x', randomBytes(32)));
    try {
      const limiter = new RateLimiter(store, randomBytes(32), 3, clock);
      assert.deepEqual([await limiter.take('a'), await limiter.take('a'), await limiter.take('a')], [0, 0, 0]);
      assert.equal(await limiter.take('a'), 20);
      assert.equal(await limiter.take('b'), 0, 'per account');
      clock.advance(20_000);
      assert.equal(await limiter.take('a'), 0);
      assert.ok((await limiter.take('a')) > 0);
    } finally {
      await store.close();
    }
  });
});

// ---- Timeouts ----

describe('a mail server or SMS provider that never answers', () => {
  // A TCP server that accepts and stays silent: no SMTP greeting, no HTTP response.
  const silent = createNetServer(() => {});
  let port: number;
  before(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as AddressInfo).port;
  });
  after(async () => {
    silent.close();
  });

  test('holds a share no longer than the timeout, then fails with a sentence saying so', async () => {
    const mail = { fromName: 'Shop', to: 'jane@example.com', subject: 's', text: 't', html: '<p>h</p>' };
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@verify.example.com', timeoutMs: 300 });
    const sms = new HttpSmsSender({ url: `http://127.0.0.1:${port}/send`, token: 't', timeoutMs: 300 });
    for (const [what, send] of [['mail', () => mailer.send(mail)], ['sms', () => sms.send('+491701234567', 'hi')]] as const) {
      const startedAt = Date.now();
      await assert.rejects(send(), (error: unknown) => {
        assert.ok(error instanceof ShareFailure, `${what}: ${String(error)}`);
        assert.match(error.message, /did not answer within 0\.3 seconds/, what);
        return true;
      });
      const ms = Date.now() - startedAt;
      assert.ok(ms >= 250 && ms < 3_000, `${what}: ${ms} ms`);
    }
    mailer.close();
  });
});

// ---- Email and SMS through real transports ----

describe('through an SMTP server and an SMS provider', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let provider: Awaited<ReturnType<typeof startSmsProvider>>;
  let server: ServerProcess;
  let shopKey: string;

  before(async () => {
    smtp = await startSmtp();
    provider = await startSmsProvider();
    server = await spawnServer({
      env: {
        LOG_LEVEL: 'debug',
        SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${smtp.port}`,
        SMTP_FROM: 'no-reply@verify.example.com',
        SMS_PROVIDER_URL: provider.url,
        SMS_PROVIDER_TOKEN: 'sms-token-123',
        SMS_FROM: 'VerifyNow',
        BOOTSTRAP_ADMIN_EMAIL: 'owner@shop.example',
        BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple',
      },
    });
    shopKey = await newAccount(server, SHOP);
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
    await provider?.close();
  });

  test("an email arrives from the shop's name, in the link's language, with the link in both parts and the note escaped", async () => {
    const link = await createLink(server.url, shopKey, { language: 'de', flow: 'document', expiresAt: '2099-12-31T23:00:00Z' });
    const answer = await share(server, link.id, { channel: 'email', to: to('jane.doe@example.com'), message: MESSAGE }, shopKey);
    assert.equal(answer.status, 202, answer.text);
    assert.deepEqual(answer.json, { channel: 'email', delivered: 'smtp' });

    assert.equal(smtp.arrivals.length, 1);
    const arrival = smtp.arrivals[0]!;
    assert.deepEqual(arrival.to, ['jane.doe@example.com']);
    assert.equal(arrival.from, 'no-reply@verify.example.com');
    assert.equal(arrival.user, SMTP_USER, 'logged in with the credentials in SMTP_URL');
    const mail = await simpleParser(arrival.raw);
    assert.deepEqual(firstAddress(mail, 'from'), { name: SHOP, address: 'no-reply@verify.example.com' });
    assert.equal(firstAddress(mail, 'to')?.address, 'jane.doe@example.com');
    assert.equal(mail.subject, `${SHOP} bittet Sie, Ihre Identität zu bestätigen`);
    assert.equal(mail.bcc, undefined);
    assert.equal(mail.cc, undefined);

    assert.ok(mail.text?.includes(link.url), 'the link in the text part');
    assert.ok(mail.text?.includes('Ausweisdokument'), 'the German text, for a document flow');
    assert.ok(mail.text?.includes('> <b>bitte</b> & <script>alert(1)</script>'), 'the note quoted as it was written');
    assert.match(mail.text ?? '', /Dieser Link gilt bis 31\. Dezember 2099.*UTC/);
    const html = mail.html || '';
    assert.ok(html.includes(`href="${link.url}"`), 'the link as a button');
    assert.ok(html.includes(`>${link.url}</a>`), 'the link as plain URL');
    assert.ok(html.includes('&lt;b&gt;bitte&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;'), 'the note escaped');
    assert.ok(!html.includes('<script>') && !html.includes('<b>bitte'));
  });

  test('an email in English for an English link, without a note or an expiry', async () => {
    const link = await createLink(server.url, server.apiKey, { language: 'en', flow: 'selfie' });
    const before_ = smtp.arrivals.length;
    const answer = await share(server, link.id, { channel: 'email', to: to('sam@example.org') });
    assert.equal(answer.status, 202, answer.text);
    const mail = await simpleParser(smtp.arrivals[before_]!.raw);
    assert.equal(mail.subject, 'Bootstrap account asks you to verify your identity');
    assert.ok(mail.text?.includes('a photo of your face'));
    assert.ok(!mail.text?.includes('valid until'));
    assert.ok(mail.text?.includes('You received this message because Bootstrap account asked'), 'why they got it');
  });

  test("a signed-in dashboard user shares with the session cookie and the CSRF token, like an API key", async () => {
    const login = await call(server.url, '/api/v1/auth/login', { json: { email: 'owner@shop.example', password: 'correct horse battery staple' } });
    assert.equal(login.status, 200, login.text);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const link = await createLink(server.url, server.apiKey, { language: 'pt' });
    const json = { channel: 'email', to: to('cookie@example.com') };
    const before_ = smtp.arrivals.length;
    const noCsrf = await call(server.url, `/api/v1/links/${link.id}/share`, { json, headers: { cookie } });
    assert.equal(noCsrf.status, 403, noCsrf.text);
    const answer = await call(server.url, `/api/v1/links/${link.id}/share`, { json, headers: { cookie, 'x-csrf-token': login.json.csrfToken } });
    assert.equal(answer.status, 202, answer.text);
    assert.equal(smtp.arrivals.length, before_ + 1);
    assert.equal((await simpleParser(smtp.arrivals[before_]!.raw)).subject, 'Bootstrap account pede-lhe que verifique a sua identidade');
  });

  test('a recipient the mail server refuses: 502 share_failed, and the answer does not repeat the address', async () => {
    const link = await createLink(server.url, server.apiKey);
    const address = to(`nobody@${REFUSED_DOMAIN}`);
    const answer = await share(server, link.id, { channel: 'email', to: address });
    assert.equal(answer.status, 502, answer.text);
    assert.equal(answer.json.error.code, 'share_failed');
    assert.match(answer.json.error.message, /refused .*recipient.*550/);
    assert.ok(!answer.text.includes('nobody'), answer.text);
    assert.doesNotMatch(answer.text, /\n\s+at /);
  });

  test('an SMS goes to the provider: a JSON POST with the bearer token, the number, the text and the sender', async () => {
    const link = await createLink(server.url, server.apiKey, { language: 'fr' });
    const answer = await share(server, link.id, { channel: 'sms', to: to('+33 6 12-34-56-78') });
    assert.equal(answer.status, 202, answer.text);
    assert.equal(provider.requests.length, 1);
    const request = provider.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/messages');
    assert.equal(request.headers.authorization, 'Bearer sms-token-123');
    assert.match(request.headers['content-type'] ?? '', /^application\/json/);
    assert.match(String(request.headers['idempotency-key']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(request.body, {
      to: '+33612345678',
      text: `Bootstrap account vous demande de vérifier votre identité : ${link.url}`,
      from: 'VerifyNow',
    });
    assert.deepEqual(answer.json, {
      channel: 'sms',
      delivered: 'provider',
      smsLink: `sms:+33612345678?&body=${encodeURIComponent(request.body.text)}`,
    });
  });

  test('a provider that fails: 502 share_failed with its status, not the number', async () => {
    const link = await createLink(server.url, server.apiKey);
    provider.state.status = 503;
    try {
      const answer = await share(server, link.id, { channel: 'sms', to: to('+4915112345678') });
      assert.equal(answer.status, 502, answer.text);
      assert.equal(answer.json.error.code, 'share_failed');
      assert.match(answer.json.error.message, /SMS provider is unavailable \(HTTP 503\)/);
      assert.ok(!answer.text.includes('12345678'));
    } finally {
      provider.state.status = 202;
    }
  });

  test('bad input is refused with 400 naming the field, and nothing is sent', async () => {
    const link = await createLink(server.url, server.apiKey);
    const sent = { mails: smtp.arrivals.length, sms: provider.requests.length };
    const rows: [string, unknown, string][] = [
      ['not an email address', { channel: 'email', to: 'jane.example.com' }, 'to'],
      ['a header injection', { channel: 'email', to: 'a@b.example\r\nBcc: x@y.example' }, 'to'],
      ['a header injection with LF only', { channel: 'email', to: 'a@b.example\nBcc: x@y.example' }, 'to'],
      ['a name and an address', { channel: 'email', to: 'Jane <jane@example.com>' }, 'to'],
      ['two addresses', { channel: 'email', to: 'a@example.com, b@example.com' }, 'to'],
      ['an array of addresses', { channel: 'email', to: ['a@example.com', 'b@example.com'] }, 'to'],
      ['an address of 300 characters', { channel: 'email', to: `${'a'.repeat(288)}@example.com` }, 'to'],
      ['a phone number for email', { channel: 'email', to: '+491701234567' }, 'to'],
      ['a short number', { channel: 'sms', to: '+4912345' }, 'to'],
      ['a number without a country code', { channel: 'sms', to: '0170 1234567' }, 'to'],
      ['a number of 16 digits', { channel: 'sms', to: '+4917012345678901' }, 'to'],
      ['a number with letters', { channel: 'sms', to: '+49 170 CALL ME' }, 'to'],
      ['an email address for SMS', { channel: 'sms', to: 'jane@example.com' }, 'to'],
      ['a message of 501 characters', { channel: 'email', to: 'jane@example.com', message: 'm'.repeat(501) }, 'message'],
      ['a message with a control character', { channel: 'sms', to: '+491701234567', message: 'ring\u0007' }, 'message'],
      ['a message that is a number', { channel: 'email', to: 'jane@example.com', message: 42 }, 'message'],
      ['an unknown channel', { channel: 'fax', to: 'jane@example.com' }, 'channel'],
      ['no channel', { to: 'jane@example.com' }, 'channel'],
      ['no recipient', { channel: 'email' }, 'to'],
      ['an unknown field', { channel: 'email', to: 'jane@example.com', cc: 'x@example.com' }, 'cc'],
    ];
    for (const [name, json, field] of rows) {
      const answer = await share(server, link.id, json);
      assert.equal(answer.status, 400, `${name}: ${answer.text}`);
      assert.equal(answer.json.error.code, 'invalid_request', name);
      assert.ok(answer.json.error.message.startsWith(`${field}:`) || answer.json.error.message.includes(field), `${name}: ${answer.json.error.message}`);
    }
    const smsLink = await call(server.url, `/api/v1/links/${link.id}/share/sms-link`, { key: server.apiKey, json: { to: '12345' } });
    assert.equal(smsLink.status, 400);
    assert.match(smsLink.json.error.message, /^to:/);
    assert.deepEqual({ mails: smtp.arrivals.length, sms: provider.requests.length }, sent);
  });

  test("another account's link answers exactly like an unknown one (404); no key: 401", async () => {
    const theirs = await createLink(server.url, shopKey);
    const json = { channel: 'email', to: to('probe@example.com') };
    const other = await share(server, theirs.id, json);
    const unknown = await share(server, 'lnk_' + 'A'.repeat(22), json);
    assert.equal(other.status, 404);
    assert.deepEqual(other.json, unknown.json);
    const otherSms = await call(server.url, `/api/v1/links/${theirs.id}/share/sms-link`, { key: server.apiKey, json: {} });
    assert.equal(otherSms.status, 404);
    const noKey = await call(server.url, `/api/v1/links/${theirs.id}/share`, { json });
    assert.equal(noKey.status, 401);
    assert.equal(noKey.json.error.code, 'unauthorized');
  });

  test('a dead link is not shared: 409 link_not_shareable naming its status', async () => {
    const deactivated = await createLink(server.url, server.apiKey);
    await call(server.url, `/api/v1/links/${deactivated.id}/deactivate`, { method: 'POST', key: server.apiKey });
    const used = await createLink(server.url, server.apiKey, { usageLimit: 1 });
    assert.equal((await startSession(server.url, tokenOf(used.url))).status, 201);
    const sent = smtp.arrivals.length;
    for (const [link, status] of [[deactivated, 'deactivated'], [used, 'exhausted']] as const) {
      const answer = await share(server, link.id, { channel: 'email', to: to('late@example.com') });
      assert.equal(answer.status, 409, answer.text);
      assert.equal(answer.json.error.code, 'link_not_shareable');
      assert.ok(answer.json.error.message.includes(status), answer.json.error.message);
      const smsLink = await call(server.url, `/api/v1/links/${link.id}/share/sms-link`, { key: server.apiKey, json: {} });
      assert.equal(smsLink.status, 409);
    }
    assert.equal(smtp.arrivals.length, sent);
  });

  test('the log says a link was shared, by which channel, and never to whom', async () => {
    // The debug level logs every request too: still no recipient.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const shared = server.logs.filter((line) => line.includes('"msg":"link shared"'));
    assert.ok(shared.length >= 3);
    for (const line of shared) assert.deepEqual(Object.keys(JSON.parse(line)).filter((k) => !['level', 'time', 'pid', 'hostname', 'service', 'msg'].includes(k)).sort(), ['channel', 'delivered', 'linkId']);
    assert.ok(server.logs.some((line) => line.includes('"msg":"share failed"') && line.includes('"code":"EENVELOPE"')));
    assertLogsHoldNoRecipient(server);
  });
});

// ---- Failing transports ----

describe('when the mail server and the SMS provider are down', () => {
  let server: ServerProcess;
  before(async () => {
    server = await spawnServer({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
        SMTP_FROM: 'no-reply@verify.example.com',
        SMS_PROVIDER_URL: `http://127.0.0.1:${await closedPort()}/send`,
        SMS_PROVIDER_TOKEN: 'token',
      },
    });
  });
  after(() => server?.stop());

  test('502 share_failed with a readable message, no stack, no recipient; nothing logged with the address', async () => {
    const link = await createLink(server.url, server.apiKey);
    const email = await share(server, link.id, { channel: 'email', to: to('down@example.com') });
    assert.equal(email.status, 502, email.text);
    assert.equal(email.json.error.code, 'share_failed');
    assert.match(email.json.error.message, /^The mail server could not be reached\. Nothing was sent/);
    const sms = await share(server, link.id, { channel: 'sms', to: to('+447700900123') });
    assert.equal(sms.status, 502, sms.text);
    assert.match(sms.json.error.message, /^The SMS provider could not be reached/);
    for (const answer of [email, sms]) {
      assert.doesNotMatch(answer.text, /\n\s+at |down@|7700900123|127\.0\.0\.1/);
    }
    // The server's log reaches us through a pipe: give the second line a moment to arrive.
    const failures = () => server.logs.filter((line) => line.includes('"msg":"share failed"')).length;
    for (let i = 0; i < 40 && failures() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(failures(), 2);
    assert.ok(!server.logs.some((line) => /"level":(50|60)/.test(line)), 'a delivery failure is not a server error');
    assertLogsHoldNoRecipient(server);
  });
});

// ---- The outbox ----

describe('without SMTP_URL or SMS_PROVIDER_URL: the outbox', () => {
  let server: ServerProcess;
  let outbox: string;
  before(async () => {
    // A data directory with last week's outbox in it: the oldest file must go at start-up.
    const dataDir = mkdtempSync(join(tmpdir(), 'vn-share-'));
    outbox = join(dataDir, 'outbox');
    mkdirSync(outbox, { mode: 0o700 });
    const old = join(outbox, 'old.eml');
    writeFileSync(old, 'To: old@example.com\r\n\r\nold', { mode: 0o600 });
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    const recent = join(outbox, 'recent.txt');
    writeFileSync(recent, 'To: +491700000000\n\nrecent', { mode: 0o600 });
    const sixDaysAgo = new Date(Date.now() - 6 * 24 * 60 * 60 * 1000);
    utimesSync(recent, sixDaysAgo, sixDaysAgo);
    server = await spawnServer({ dataDir, env: { LOG_LEVEL: 'debug', SHARE_RATE_PER_MINUTE: '3' } });
  });
  after(() => server?.stop());

  const files = async (extension: string) => (await readdir(outbox)).filter((name) => name.endsWith(extension)).sort();

  test('outbox files older than 7 days are deleted at start-up; younger ones stay', async () => {
    assert.deepEqual((await readdir(outbox)).sort(), ['recent.txt']);
    assert.ok(server.logs.some((line) => line.includes('"msg":"removed outbox files older than 7 days"') && line.includes('"removed":1')));
  });

  test('an email becomes an .eml file (mode 0600) and the answer says outbox', async () => {
    const link = await createLink(server.url, server.apiKey, { language: 'it', expiresAt: '2099-06-30T12:00:00Z' });
    const answer = await share(server, link.id, { channel: 'email', to: to('outbox@example.com'), message: 'Ciao!' });
    assert.equal(answer.status, 202, answer.text);
    assert.deepEqual(answer.json, { channel: 'email', delivered: 'outbox' });
    const [name] = await files('.eml');
    assert.ok(name, 'an .eml file');
    assert.ok(!name.includes('outbox@'), 'the file name does not hold the recipient');
    const path = join(outbox, name);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(outbox)).mode & 0o777, 0o700);
    const mail = await simpleParser(await readFile(path));
    assert.equal(firstAddress(mail, 'to')?.address, 'outbox@example.com');
    assert.equal(firstAddress(mail, 'from')?.address, 'no-reply@verify-now.invalid');
    assert.equal(mail.subject, 'Bootstrap account ti chiede di verificare la tua identità');
    assert.ok(mail.text?.includes(link.url) && mail.text.includes('> Ciao!'));
    assert.ok((mail.html || '').includes(`href="${link.url}"`));
  });

  test('an SMS becomes a .txt file (mode 0600) with the number and text; the answer says outbox and carries the sms: link', async () => {
    const link = await createLink(server.url, server.apiKey, { language: 'nl' });
    const answer = await share(server, link.id, { channel: 'sms', to: to('+31 6 1234 5678') });
    assert.equal(answer.status, 202, answer.text);
    const text = `Bootstrap account vraagt u uw identiteit te controleren: ${link.url}`;
    assert.deepEqual(answer.json, { channel: 'sms', delivered: 'outbox', smsLink: `sms:+31612345678?&body=${encodeURIComponent(text)}` });
    const name = (await files('.txt')).find((n) => n !== 'recent.txt')!;
    const path = join(outbox, name);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const content = await readFile(path, 'utf8');
    assert.match(content, /^To: \+31612345678\n/);
    assert.ok(content.endsWith(`\n\n${text}\n`));
  });

  test('the sms: link alone, for the merchant’s own phone, sends nothing', async () => {
    const link = await createLink(server.url, server.apiKey, { language: 'es' });
    const before_ = (await readdir(outbox)).length;
    const withNumber = await call(server.url, `/api/v1/links/${link.id}/share/sms-link`, {
      key: server.apiKey,
      json: { to: to('+34 612 345 678'), message: 'Hola' },
    });
    assert.equal(withNumber.status, 200, withNumber.text);
    const smsBody = `Hola\nBootstrap account le pide que verifique su identidad: ${link.url}`;
    assert.deepEqual(withNumber.json, { smsLink: `sms:+34612345678?&body=${encodeURIComponent(smsBody)}`, smsBody });
    const without = await call(server.url, `/api/v1/links/${link.id}/share/sms-link`, { key: server.apiKey, json: {} });
    assert.equal(without.json.smsLink, `sms:?&body=${encodeURIComponent(without.json.smsBody)}`);
    const noBody = await call(server.url, `/api/v1/links/${link.id}/share/sms-link`, { key: server.apiKey, method: 'POST' });
    assert.equal(noBody.status, 200, noBody.text);
    assert.equal((await readdir(outbox)).length, before_);
  });

  test('sharing is rate limited per account: 429 rate_limited with Retry-After; other accounts carry on', async () => {
    // SHARE_RATE_PER_MINUTE=3 here, and this account shared twice above.
    const link = await createLink(server.url, server.apiKey);
    const json = { channel: 'email', to: to('flood@example.com') };
    assert.equal((await share(server, link.id, json)).status, 202);
    const refused = await share(server, link.id, json);
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.json.error.code, 'rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 20, `Retry-After: ${retryAfter}`);
    // The limit comes before the link is looked up: even an unknown link is refused with 429.
    assert.equal((await share(server, 'lnk_' + 'A'.repeat(22), json)).status, 429);

    const otherKey = await newAccount(server, 'Other shop');
    const theirs = await createLink(server.url, otherKey);
    assert.equal((await share(server, theirs.id, json, otherKey)).status, 202);
    assertLogsHoldNoRecipient(server);
  });
});

test('SMTP_URL without SMTP_FROM, or SMS_PROVIDER_URL without its token, stops the server with a message naming the variable', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vn-share-config-'));
  try {
    for (const [env, named] of [
      [{ SMTP_URL: 'smtp://127.0.0.1:2525' }, /SMTP_FROM/],
      [{ SMS_PROVIDER_URL: 'https://sms.example/send' }, /SMS_PROVIDER_TOKEN/],
      [{ SMTP_URL: 'http://mail.example', SMTP_FROM: 'a@example.com' }, /SMTP_URL must be smtp:/],
    ] as const) {
      await assert.rejects(spawnServer({ dataDir, env }), named);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
