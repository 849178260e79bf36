/**
 * Dashboard sign-in: email and password → an HttpOnly cookie the API accepts like an API key;
 * every write it authenticates needs the CSRF token and the dashboard's own origin; failures are
 * rate limited; sign-ins end when idle, at their end, on sign-out, and everywhere at once; API keys
 * are managed by signed-in users only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, createUser } from '../server/accounts.js';
import { call, type Answer } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';

let server: InProcessServer;
let accountId: string;
const EMAIL = 'owner@shop.example';
const PASSWORD = 'correct horse battery staple';

before(async () => {
  server = await startInProcess();
  accountId = (await call(server.url, '/api/v1/account', { key: server.apiKey })).json.id;
  await createUser(server.running.deps.store, server.clock, accountId, EMAIL, PASSWORD);
});
after(() => server?.stop());

interface SignIn {
  cookie: string;
  csrfToken: string;
  answer: Answer;
}

async function signIn(email = EMAIL, password = PASSWORD, headers: Record<string, string> = {}): Promise<SignIn> {
  const answer = await call(server.url, '/api/v1/auth/login', { json: { email, password }, headers });
  const setCookie = answer.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrfToken: answer.json?.csrfToken, answer };
}

/** A request as the dashboard's page makes it: the cookie, and for writes the CSRF token and its origin. */
const asUser = (user: SignIn, path: string, options: { method?: string; json?: unknown; csrf?: string | null; origin?: string } = {}) => {
  const headers: Record<string, string> = { cookie: user.cookie };
  if (options.csrf !== null) headers['x-csrf-token'] = options.csrf ?? user.csrfToken;
  if (options.origin) headers.origin = options.origin;
  return call(server.url, path, { method: options.method, json: options.json, headers });
};

const newLink = { name: 'From the dashboard', flow: 'selfie', usageLimit: 1 };

describe('signing in', () => {
  test('the right password sets an HttpOnly, SameSite cookie that the API accepts; the page gets a CSRF token', async () => {
    const user = await signIn('Owner@Shop.example'); // addresses match whatever their case
    assert.equal(user.answer.status, 200, user.answer.text);
    const setCookie = user.answer.headers.get('set-cookie')!;
    assert.match(setCookie, /^vn_dashboard=vnd_[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/);
    assert.equal(user.answer.json.user.email, EMAIL);
    assert.equal(user.answer.json.user.accountId, accountId);
    assert.ok(user.csrfToken.length >= 32);

    const account = await asUser(user, '/api/v1/account');
    assert.equal(account.status, 200);
    assert.equal(account.json.id, accountId);
    const session = await asUser(user, '/api/v1/auth/session');
    assert.equal(session.json.session.csrfToken, user.csrfToken);
    const none = await call(server.url, '/api/v1/auth/session');
    assert.equal(none.status, 200, 'not signed in is an answer, not an error');
    assert.equal(none.json.session, null);
  });

  test('a wrong password and an unknown address get the same answer, and no cookie', async () => {
    const wrong = await signIn(EMAIL, 'not the password');
    const unknown = await signIn('nobody@shop.example', PASSWORD);
    for (const answer of [wrong.answer, unknown.answer]) {
      assert.equal(answer.status, 401);
      assert.equal(answer.json.error.code, 'invalid_credentials');
      assert.equal(answer.headers.get('set-cookie'), null);
    }
    assert.equal(wrong.answer.json.error.message, unknown.answer.json.error.message);
  });

  test('bad input is refused by field; a sign-in posted from another site is refused', async () => {
    const bad = await call(server.url, '/api/v1/auth/login', { json: { email: 'not-an-address', password: 'x' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /email/);
    const form = await call(server.url, '/api/v1/auth/login', {
      body: `email=${encodeURIComponent(EMAIL)}&password=x`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415, 'a plain HTML form cannot post JSON');
    const crossSite = await signIn(EMAIL, PASSWORD, { origin: 'https://evil.example' });
    assert.equal(crossSite.answer.status, 403);
    assert.equal(crossSite.answer.json.error.code, 'csrf_failed');
  });

  test('failures are limited per address: the 11th try waits, even with the right password; other addresses are not locked', async () => {
    const target = 'target@shop.example';
    await createUser(server.running.deps.store, server.clock, accountId, target, PASSWORD);
    for (let i = 0; i < 10; i++) assert.equal((await signIn(target, `guess ${i}`)).answer.status, 401);
    const locked = await signIn(target, PASSWORD);
    assert.equal(locked.answer.status, 429);
    assert.equal(locked.answer.json.error.code, 'too_many_attempts');
    assert.ok(Number(locked.answer.headers.get('retry-after')) > 0);
    assert.equal((await signIn()).answer.status, 200, 'the owner can still sign in');

    server.clock.advance(15 * 60 * 1000 + 1);
    assert.equal((await signIn(target, PASSWORD)).answer.status, 200, 'after the window, the right password works again');
  });
});

describe('writes with the cookie', () => {
  test('need the CSRF token and the dashboard\'s origin; with both they work', async () => {
    const user = await signIn();
    const before = (await asUser(user, '/api/v1/links')).json.data.length;
    const noToken = await asUser(user, '/api/v1/links', { json: newLink, csrf: null });
    const wrongToken = await asUser(user, '/api/v1/links', { json: newLink, csrf: 'x'.repeat(32) });
    const otherSite = await asUser(user, '/api/v1/links', { json: newLink, origin: 'https://evil.example' });
    for (const answer of [noToken, wrongToken, otherSite]) {
      assert.equal(answer.status, 403, answer.text);
      assert.equal(answer.json.error.code, 'csrf_failed');
    }
    assert.equal((await asUser(user, '/api/v1/links')).json.data.length, before, 'nothing was created');

    const made = await asUser(user, '/api/v1/links', { json: newLink, origin: server.url });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.mode, 'live');
  });

  test('an API key in the same request wins over the cookie, and needs no CSRF token', async () => {
    const user = await signIn();
    const answer = await call(server.url, '/api/v1/links', { key: server.apiKey, json: newLink, headers: { cookie: user.cookie } });
    assert.equal(answer.status, 201);
  });
});

describe('signing out', () => {
  test('ends this sign-in only; "everywhere" ends them all', async () => {
    const laptop = await signIn();
    const phone = await signIn();
    const tablet = await signIn();
    const out = await asUser(laptop, '/api/v1/auth/logout', { method: 'POST' });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie')!, /^vn_dashboard=; Path=\/; Max-Age=0/);
    assert.equal((await asUser(laptop, '/api/v1/account')).status, 401);
    assert.equal((await asUser(phone, '/api/v1/account')).status, 200);

    const everywhere = await asUser(phone, '/api/v1/auth/logout-everywhere', { method: 'POST' });
    assert.equal(everywhere.status, 200);
    assert.ok(everywhere.json.signedOut >= 2);
    assert.equal((await asUser(phone, '/api/v1/account')).status, 401);
    assert.equal((await asUser(tablet, '/api/v1/account')).status, 401);
  });

  test('a sign-in ends after 12 idle hours, and after a week however active', async () => {
    const idle = await signIn();
    server.clock.advance(11 * 60 * 60 * 1000);
    assert.equal((await asUser(idle, '/api/v1/account')).status, 200, 'used within 12 hours');
    server.clock.advance(11 * 60 * 60 * 1000);
    assert.equal((await asUser(idle, '/api/v1/account')).status, 200, 'each use moves the idle end on');
    server.clock.advance(12 * 60 * 60 * 1000 + 1);
    const ended = await asUser(idle, '/api/v1/account');
    assert.equal(ended.status, 401);
    assert.match(ended.json.error.message, /sign in again/);

    const busy = await signIn();
    for (let hours = 0; hours < 7 * 24; hours += 6) {
      assert.equal((await asUser(busy, '/api/v1/account')).status, 200);
      server.clock.advance(6 * 60 * 60 * 1000);
    }
    assert.equal((await asUser(busy, '/api/v1/account')).status, 401, 'a week is the most');
    await server.sweepNow();
  });

  test('a made-up or malformed cookie is just not signed in', async () => {
    for (const cookie of ['vn_dashboard=vnd_' + 'A'.repeat(43), 'vn_dashboard=../../etc', 'other=1']) {
      const answer = await call(server.url, '/api/v1/account', { headers: { cookie } });
      assert.equal(answer.status, 401);
    }
  });
});

describe('API keys in the dashboard', () => {
  test('are listed by prefix, created once in full, revoked for good; an API key cannot manage them', async () => {
    const user = await signIn();
    const made = await asUser(user, '/api/v1/api-keys', { json: { mode: 'test' } });
    assert.equal(made.status, 201, made.text);
    assert.match(made.json.key, /^vn_test_/);
    assert.ok(made.json.key.startsWith(made.json.prefix));
    const listed = await asUser(user, '/api/v1/api-keys');
    const entry = listed.json.data.find((k: { id: string }) => k.id === made.json.id);
    assert.deepEqual(Object.keys(entry).sort(), ['createdAt', 'id', 'mode', 'prefix', 'revokedAt']);
    assert.ok(!listed.text.includes(made.json.key), 'the full key is never shown again');

    const revoked = await asUser(user, `/api/v1/api-keys/${made.json.id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.json.revokedAt);
    assert.equal((await call(server.url, '/api/v1/account', { key: made.json.key })).status, 401, 'the revoked key is refused');
    assert.equal((await asUser(user, `/api/v1/api-keys/${made.json.id}`, { method: 'DELETE' })).json.revokedAt, revoked.json.revokedAt, 'revoking twice keeps the first time');

    const byKey = await call(server.url, '/api/v1/api-keys', { key: server.apiKey });
    assert.equal(byKey.status, 403);
    assert.equal(byKey.json.error.code, 'dashboard_only');
    assert.equal((await call(server.url, '/api/v1/api-keys')).status, 401);
  });

  test('another account\'s user sees none of this account\'s keys or links, and cannot revoke them', async () => {
    const store = server.running.deps.store;
    const other = await createAccount(store, server.clock, 'Other shop', 0);
    await createUser(store, server.clock, other.id, 'other@else.example', PASSWORD);
    const stranger = await signIn('other@else.example');
    assert.deepEqual((await asUser(stranger, '/api/v1/links')).json.data, []);
    assert.deepEqual((await asUser(stranger, '/api/v1/api-keys')).json.data, []);
    const mine = (await asUser(await signIn(), '/api/v1/api-keys')).json.data[0];
    const attempt = await asUser(stranger, `/api/v1/api-keys/${mine.id}`, { method: 'DELETE' });
    assert.equal(attempt.status, 404);
    assert.equal((await asUser(await signIn(), '/api/v1/api-keys')).json.data[0].revokedAt, mine.revokedAt);
  });
});
