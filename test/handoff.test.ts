/**
 * "Continue on your phone": a desktop asks for a one-time URL (the link, with the handoff token in
 * its fragment) and shows it as a QR code; the phone redeems the token once, within 10 minutes, and
 * carries on with the same session. In process, with a clock the tests move.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { createPresenter } from '../server/present.js';
import { SQLITE_MIGRATIONS } from '../server/store/sqlite/migrations.js';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.js';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';
import { scanQrSvg } from './support/qr.js';
import { fixturePath } from './support/server-process.js';

const MINUTE = 60_000;
const JPEG = readFileSync(fixturePath('chelsea-120x80.jpg'));

let server: InProcessServer;
before(async () => {
  server = await startInProcess();
});
after(() => server?.stop());

async function openSession(fields: Record<string, unknown> = {}) {
  const link = await createLink(server.url, server.apiKey, { flow: 'document+selfie', language: 'lt', ...fields });
  const started = await startSession(server.url, tokenOf(link.url));
  assert.equal(started.status, 201, started.text);
  return { link, sessionId: started.json.sessionId as string, sessionToken: started.json.sessionToken as string };
}

const askHandoff = (sessionId: string, sessionToken?: string) =>
  call(server.url, `/api/v1/flow/sessions/${sessionId}/handoff`, { method: 'POST', ...(sessionToken ? { key: sessionToken } : {}) });

async function handoffOf(sessionId: string, sessionToken: string) {
  const answer = await askHandoff(sessionId, sessionToken);
  assert.equal(answer.status, 201, answer.text);
  const url = new URL(answer.json.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('handoff');
  assert.ok(token, 'the URL carries a handoff token');
  return { ...(answer.json as { url: string; expiresAt: string; qrSvg: string }), token };
}

const redeem = (handoffToken: unknown) => call(server.url, '/api/v1/flow/handoff', { json: { handoffToken } });

const errorCode = (answer: { json: any }) => answer.json?.error?.code;

test('a handoff URL is the link with a one-time token in its fragment, and its QR code scans to it', async () => {
  const { link, sessionId, sessionToken } = await openSession();
  const handoff = await handoffOf(sessionId, sessionToken);
  const url = new URL(handoff.url);
  assert.equal(url.origin + url.pathname, link.url, "the link's own URL, with its link token");
  assert.equal(url.search, '', 'nothing in the query, which servers log');
  assert.match(url.hash, /^#handoff=vnh_[A-Za-z0-9_-]{43}$/);
  assert.equal(Date.parse(handoff.expiresAt), server.clock.now() + 10 * MINUTE);
  assert.match(handoff.qrSvg, /^<svg[^>]+viewBox="0 0 (\d+) \1"/);
  assert.equal(scanQrSvg(handoff.qrSvg), handoff.url);
});

test('redeeming answers the same session with a token that uploads on the new device', async () => {
  const { link, sessionId, sessionToken } = await openSession();
  const { token } = await handoffOf(sessionId, sessionToken);
  const phone = await redeem(token);
  assert.equal(phone.status, 200, phone.text);
  assert.equal(phone.json.sessionId, sessionId);
  assert.equal(phone.json.resumed, true);
  assert.equal(phone.json.language, 'lt');
  assert.equal(phone.json.flow, 'document+selfie');
  assert.equal(phone.json.theme.displayName, 'Bootstrap account');
  assert.deepEqual(phone.json.steps.map((s: { kind: string }) => s.kind), ['document_front', 'document_back', 'selfie']);
  assert.match(phone.json.sessionToken, /^vns_/);

  const upload = await call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/document_front`, {
    method: 'PUT',
    key: phone.json.sessionToken,
    body: JPEG,
    headers: { 'content-type': 'image/jpeg', 'capture-metrics': '{"source":"camera"}' },
  });
  assert.equal(upload.status, 200, upload.text);
  // The desktop, following along with its own token, sees the phone's capture.
  const desktop = await call(server.url, `/api/v1/flow/sessions/${sessionId}`, { key: sessionToken });
  assert.equal(desktop.json.steps.find((s: { kind: string }) => s.kind === 'document_front').done, true);

  const detail = await call(server.url, `/api/v1/sessions/${sessionId}`, { key: server.apiKey });
  const types = detail.json.timeline.map((e: { type: string }) => e.type);
  assert.deepEqual(types, ['session.created', 'session.handed_off', 'session.in_progress']);
  assert.equal((await call(server.url, `/api/v1/links/${link.id}`, { key: server.apiKey })).json.uses, 1, 'no use taken');
});

test('a handoff token works once: a second redemption is 409 handoff_used', async () => {
  const { sessionId, sessionToken } = await openSession();
  const { token } = await handoffOf(sessionId, sessionToken);
  assert.equal((await redeem(token)).status, 200);
  const again = await redeem(token);
  assert.equal(again.status, 409);
  assert.equal(errorCode(again), 'handoff_used');
});

test('a handoff token expires after 10 minutes: 410 handoff_expired', async () => {
  const { sessionId, sessionToken } = await openSession();
  const early = await handoffOf(sessionId, sessionToken);
  const late = await handoffOf(sessionId, sessionToken);
  server.clock.advance(10 * MINUTE - 1);
  assert.equal((await redeem(early.token)).status, 200, 'still good a millisecond before');
  server.clock.advance(1);
  const expired = await redeem(late.token);
  assert.equal(expired.status, 410);
  assert.equal(errorCode(expired), 'handoff_expired');
});

test('a handoff may be asked for again and again while the session is open; each token is its own', async () => {
  const { sessionId, sessionToken } = await openSession();
  const handoffs = [];
  for (let i = 0; i < 5; i++) handoffs.push(await handoffOf(sessionId, sessionToken));
  assert.equal(new Set(handoffs.map((h) => h.token)).size, 5);
  for (const { token } of handoffs.reverse()) assert.equal((await redeem(token)).json.sessionId, sessionId);
});

test('unknown, forged or malformed tokens are 404 handoff_not_found', async () => {
  const { link, sessionId, sessionToken } = await openSession();
  const { token } = await handoffOf(sessionId, sessionToken);
  const altered = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
  for (const forged of ['vnh_' + randomBytes(32).toString('base64url'), altered, 'vnh_', token + 'x', sessionToken, tokenOf(link.url), '🙂']) {
    const answer = await redeem(forged);
    assert.equal(answer.status, 404, forged);
    assert.equal(errorCode(answer), 'handoff_not_found', forged);
  }
  assert.equal((await redeem(token)).status, 200, 'the real one is untouched');
});

test("only the session's own token may ask for a handoff", async () => {
  const { sessionId } = await openSession();
  const other = await openSession();
  const none = await askHandoff(sessionId);
  assert.equal(none.status, 401);
  assert.equal(errorCode(none), 'unauthorized');
  const apiKey = await askHandoff(sessionId, server.apiKey);
  assert.equal(apiKey.status, 401);
  assert.equal(errorCode(apiKey), 'invalid_session_token');
  const wrongSession = await askHandoff(sessionId, other.sessionToken);
  assert.equal(wrongSession.status, 404);
  assert.equal(errorCode(wrongSession), 'session_not_found');
});

test('of 50 concurrent redemptions of one token exactly one succeeds', async () => {
  const { sessionId, sessionToken } = await openSession();
  const { token } = await handoffOf(sessionId, sessionToken);
  const answers = await Promise.all(Array.from({ length: 50 }, () => redeem(token)));
  assert.equal(answers.filter((a) => a.status === 200).length, 1);
  assert.deepEqual(new Set(answers.filter((a) => a.status !== 200).map(errorCode)), new Set(['handoff_used']));
  const detail = await call(server.url, `/api/v1/sessions/${sessionId}`, { key: server.apiKey });
  assert.equal(detail.json.timeline.filter((e: { type: string }) => e.type === 'session.handed_off').length, 1);
});

test('after submit: no new handoff, and one made before answers session_closed', async () => {
  const { sessionId, sessionToken } = await openSession({ flow: 'selfie' });
  const { token } = await handoffOf(sessionId, sessionToken);
  const upload = await call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
    method: 'PUT', key: sessionToken, body: JPEG, headers: { 'content-type': 'image/jpeg' },
  });
  assert.equal(upload.status, 200, upload.text);
  const submitted = await call(server.url, `/api/v1/flow/sessions/${sessionId}/submit`, { key: sessionToken, json: {} });
  assert.equal(submitted.status, 200, submitted.text);
  for (const answer of [await askHandoff(sessionId, sessionToken), await redeem(token)]) {
    assert.equal(answer.status, 409, answer.text);
    assert.equal(errorCode(answer), 'session_closed');
  }
});

test("a handoff never outlives its session, and an expired session says so", async () => {
  const { sessionId, sessionToken } = await openSession();
  const ttl = Date.parse((await call(server.url, `/api/v1/flow/sessions/${sessionId}`, { key: sessionToken })).json.expiresAt);
  server.clock.set(ttl - 4 * MINUTE);
  const handoff = await handoffOf(sessionId, sessionToken);
  assert.equal(Date.parse(handoff.expiresAt), ttl, 'capped at the end of the session');
  server.clock.set(ttl);
  const answer = await redeem(handoff.token);
  assert.equal(answer.status, 410);
  assert.equal(errorCode(answer), 'session_expired');
});

test('erasing a session removes its handoffs; the sweeper removes them a day after they expire', async () => {
  const erased = await openSession();
  const erasedHandoff = await handoffOf(erased.sessionId, erased.sessionToken);
  assert.equal((await call(server.url, `/api/v1/sessions/${erased.sessionId}`, { method: 'DELETE', key: server.apiKey })).status, 200);
  assert.equal(errorCode(await redeem(erasedHandoff.token)), 'handoff_not_found');

  const swept = await openSession();
  const sweptHandoff = await handoffOf(swept.sessionId, swept.sessionToken);
  server.clock.advance(10 * MINUTE + 12 * 60 * MINUTE);
  await server.sweepNow();
  assert.equal(errorCode(await redeem(sweptHandoff.token)), 'handoff_expired', 'kept a while, to say "expired"');
  server.clock.advance(24 * 60 * MINUTE);
  await server.sweepNow();
  assert.equal(errorCode(await redeem(sweptHandoff.token)), 'handoff_not_found');
});

test('a database made before handoffs gains their table on start and keeps what it had', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vn-migrate-'));
  const file = join(dir, 'v1.db');
  try {
    const v1 = new Database(file);
    v1.exec(SQLITE_MIGRATIONS[0]!);
    v1.pragma('user_version = 1');
    v1.prepare('INSERT INTO accounts (id, name, credits_available, created_at) VALUES (?, ?, ?, ?)').run('acc_' + 'A'.repeat(22), 'Old shop', 7, 0);
    v1.close();

    const store = new SqliteStore(file, createPresenter(() => 'http://x', randomBytes(32)));
    assert.equal((await store.getAccount('acc_' + 'A'.repeat(22)))?.creditsAvailable, 7);
    assert.equal((await store.redeemHandoff(randomBytes(32), 0)).ok, false, 'the handoffs table answers');
    await store.close();
    const upgraded = new Database(file, { readonly: true });
    assert.equal(upgraded.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.length);
    const columns = (upgraded.prepare("SELECT name FROM pragma_table_info('handoffs')").all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(columns, ['id', 'session_id', 'token_hash', 'created_at', 'expires_at', 'used_at']);
    upgraded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
