import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';
import { fixturePath } from './support/server-process.js';

const HOUR = 3_600_000;
let s: InProcessServer;
before(async () => {
  s = await startInProcess({ credits: 3, env: { SESSION_TTL_SECONDS: '3600' } });
});
after(() => s.stop());

const credits = async () => (await call(s.url, '/api/v1/account', { key: s.apiKey })).json.credits;
const link = async (id: string) => (await call(s.url, `/api/v1/links/${id}`, { key: s.apiKey })).json;
const session = async (id: string) => (await call(s.url, `/api/v1/sessions/${id}`, { key: s.apiKey })).json;

async function upload(sessionId: string, token: string, kind: string, file = 'chelsea.png') {
  return call(s.url, `/api/v1/flow/sessions/${sessionId}/captures/${kind}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
    body: await readFile(fixturePath(file)),
  });
}

async function startedSession(fields: Record<string, unknown> = {}) {
  const l = await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: null, ...fields });
  const started = await startSession(s.url, tokenOf(l.url));
  assert.equal(started.status, 201, started.text);
  return { link: l, id: started.json.sessionId as string, token: started.json.sessionToken as string };
}

describe('credits', () => {
  test('a credit is held when a session starts, charged at submit, released on expiry, never negative', async () => {
    assert.deepEqual(await credits(), { available: 3, held: 0 });

    const submitted = await startedSession();
    assert.deepEqual(await credits(), { available: 2, held: 1 });
    assert.equal((await upload(submitted.id, submitted.token, 'selfie')).status, 200);
    const submit = await call(s.url, `/api/v1/flow/sessions/${submitted.id}/submit`, {
      json: {},
      headers: { authorization: `Bearer ${submitted.token}` },
    });
    assert.equal(submit.status, 200, submit.text);
    assert.equal(submit.json.status, 'review');
    assert.deepEqual(await credits(), { available: 2, held: 0 });
    assert.equal((await session(submitted.id)).credit, 'charged');

    const abandoned = await startedSession();
    const alsoAbandoned = await startedSession();
    assert.deepEqual(await credits(), { available: 0, held: 2 });
    const refused = await startSession(s.url, tokenOf(abandoned.link.url));
    assert.equal(refused.json.error.code, 'no_credits');
    assert.deepEqual(await credits(), { available: 0, held: 2 });

    s.clock.advance(HOUR - 1);
    await s.sweepNow();
    assert.equal((await session(abandoned.id)).status, 'created');
    s.clock.advance(1);
    await s.sweepNow();
    assert.equal((await session(abandoned.id)).status, 'expired');
    assert.equal((await session(abandoned.id)).credit, 'released');
    assert.equal((await session(alsoAbandoned.id)).status, 'expired');
    assert.equal((await session(submitted.id)).status, 'review', 'a submitted session does not expire');
    assert.deepEqual(await credits(), { available: 2, held: 0 });

    // Sweeping again releases nothing twice.
    await s.sweepNow();
    assert.deepEqual(await credits(), { available: 2, held: 0 });
    const timeline = (await session(abandoned.id)).timeline.map((e: any) => e.type);
    assert.deepEqual(timeline, ['session.created', 'session.expired']);
  });

  test('an expired session takes no more uploads and cannot be submitted', async () => {
    const started = await startedSession();
    s.clock.advance(HOUR + 1);
    // Not yet swept: the session's own expiry time already closes it.
    const late = await upload(started.id, started.token, 'selfie');
    assert.equal(late.status, 401, 'the session token expires with the session');
    assert.equal(late.json.error.code, 'invalid_session_token');
    const submit = await call(s.url, `/api/v1/flow/sessions/${started.id}/submit`, { json: {}, headers: { authorization: `Bearer ${started.token}` } });
    assert.equal(submit.status, 401);
    await s.sweepNow();
    assert.equal((await session(started.id)).status, 'expired');
  });

  test('test-mode links run fully and bill nothing', async () => {
    const test = await startInProcess({ credits: 0, mode: 'test' });
    try {
      const l = await createLink(test.url, test.apiKey, { flow: 'selfie', usageLimit: 2 });
      assert.equal(l.mode, 'test');
      const started = await startSession(test.url, tokenOf(l.url));
      assert.equal(started.status, 201);
      assert.equal(started.json.mode, 'test');
      const account = await call(test.url, '/api/v1/account', { key: test.apiKey });
      assert.deepEqual(account.json.credits, { available: 0, held: 0 });
    } finally {
      await test.stop();
    }
  });
});

describe('link expiry and deactivation', () => {
  test('a link past expiresAt is link_expired, and no request revives it', async () => {
    const expiresAt = new Date(s.clock.now() + 60_000).toISOString();
    const l = await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: 5, expiresAt });
    assert.equal(l.status, 'active');
    s.clock.advance(60_000);
    assert.equal((await startSession(s.url, tokenOf(l.url))).json.error.code, 'link_expired');
    assert.equal((await link(l.id)).status, 'expired');

    const later = new Date(s.clock.now() + 3_600_000).toISOString();
    const attempts = [
      { method: 'PATCH', json: { expiresAt: later } },
      { method: 'PATCH', json: { expiresAt: null } },
      { method: 'PATCH', json: { usageLimit: 50 } },
      { method: 'PATCH', json: { usageLimit: null } },
    ];
    for (const attempt of attempts) {
      const answer = await call(s.url, `/api/v1/links/${l.id}`, { key: s.apiKey, ...attempt });
      assert.equal(answer.status, 409, JSON.stringify(attempt));
      assert.equal(answer.json.error.code, 'link_immutable');
    }
    assert.equal((await call(s.url, `/api/v1/links/${l.id}/activate`, { key: s.apiKey, method: 'POST' })).status, 404);
    const page = await call(s.url, new URL(l.url).pathname);
    assert.equal(page.status, 410);
    assert.match(page.text, /data-reason="link_expired"/);
    assert.equal((await startSession(s.url, tokenOf(l.url))).json.error.code, 'link_expired');
    const after = await link(l.id);
    assert.equal(after.status, 'expired');
    assert.equal(after.expiresAt, expiresAt);
    assert.equal(after.usageLimit, 5);
  });

  test('an expiry must be in the future when the link is made', async () => {
    for (const expiresAt of [new Date(s.clock.now()).toISOString(), new Date(s.clock.now() - 1000).toISOString()]) {
      const answer = await call(s.url, '/api/v1/links', { key: s.apiKey, json: { name: 'x', flow: 'selfie', usageLimit: 1, expiresAt } });
      assert.equal(answer.status, 400);
      assert.match(answer.json.error.message, /expiresAt/);
    }
  });

  test('the sweeper announces an expired link once', async () => {
    await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: 1, expiresAt: new Date(s.clock.now() + 1000).toISOString() });
    s.clock.advance(1000);
    const store = s.running.deps.store;
    assert.ok((await store.announceExpiredLinks(s.clock.now(), 100)) >= 1);
    assert.equal(await store.announceExpiredLinks(s.clock.now(), 100), 0);
  });

  test('deactivation is final: the link stays dead and sessions cannot start', async () => {
    const l = await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: null });
    const first = await call(s.url, `/api/v1/links/${l.id}/deactivate`, { key: s.apiKey, method: 'POST' });
    assert.equal(first.json.status, 'deactivated');
    const again = await call(s.url, `/api/v1/links/${l.id}/deactivate`, { key: s.apiKey, method: 'POST' });
    assert.equal(again.json.deactivatedAt, first.json.deactivatedAt);
    assert.equal((await startSession(s.url, tokenOf(l.url))).json.error.code, 'link_deactivated');
    const renamed = await call(s.url, `/api/v1/links/${l.id}`, { key: s.apiKey, method: 'PATCH', json: { name: 'Renamed' } });
    assert.equal(renamed.json.name, 'Renamed');
    assert.equal(renamed.json.status, 'deactivated');
  });

  test('the link list filters by derived status and pages with a cursor', async () => {
    const fresh = await startInProcess();
    try {
      const made = [];
      for (let i = 0; i < 7; i++) {
        made.push(await createLink(fresh.url, fresh.apiKey, { name: `L${i}`, flow: 'selfie', usageLimit: 1 }));
        fresh.clock.advance(1);
      }
      await call(fresh.url, `/api/v1/links/${made[0]!.id}/deactivate`, { key: fresh.apiKey, method: 'POST' });
      await startSession(fresh.url, tokenOf(made[1]!.url));
      const names = async (query: string) => {
        const all: string[] = [];
        let cursor: string | null = null;
        do {
          const page: any = await call(fresh.url, `/api/v1/links?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`, { key: fresh.apiKey });
          all.push(...page.json.data.map((l: any) => l.name));
          cursor = page.json.nextCursor;
        } while (cursor);
        return all;
      };
      assert.deepEqual(await names(''), ['L6', 'L5', 'L4', 'L3', 'L2', 'L1', 'L0']);
      assert.deepEqual(await names('&status=active'), ['L6', 'L5', 'L4', 'L3', 'L2']);
      assert.deepEqual(await names('&status=deactivated'), ['L0']);
      assert.deepEqual(await names('&status=exhausted'), ['L1']);
    } finally {
      await fresh.stop();
    }
  });
});

describe('sessions', () => {
  test('a browser that returns with its session token resumes the session without another use', async () => {
    const l = await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: 2 });
    s.running.deps.store.addCredits((await call(s.url, '/api/v1/account', { key: s.apiKey })).json.id, 5);
    const first = await startSession(s.url, tokenOf(l.url));
    const again = await call(s.url, '/api/v1/flow/sessions', { json: { token: tokenOf(l.url), resumeToken: first.json.sessionToken } });
    assert.equal(again.status, 200);
    assert.equal(again.json.resumed, true);
    assert.equal(again.json.sessionId, first.json.sessionId);
    assert.equal((await link(l.id)).uses, 1);
    // A token for another link resumes nothing.
    const other = await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: 2 });
    const elsewhere = await call(s.url, '/api/v1/flow/sessions', { json: { token: tokenOf(other.url), resumeToken: first.json.sessionToken } });
    assert.equal(elsewhere.status, 201);
    assert.notEqual(elsewhere.json.sessionId, first.json.sessionId);
  });

  test('submit needs the captures of the flow, a passport needs no back, and a session is submitted once', async () => {
    const started = await startedSession({ flow: 'document+selfie' });
    const auth = { authorization: `Bearer ${started.token}` };
    const submit = (json: object) => call(s.url, `/api/v1/flow/sessions/${started.id}/submit`, { json, headers: auth });
    const missing = await submit({});
    assert.equal(missing.status, 422);
    assert.equal(missing.json.error.code, 'captures_missing');
    assert.match(missing.json.error.message, /document_front, document_back, selfie/);
    await upload(started.id, started.token, 'document_front');
    await upload(started.id, started.token, 'selfie', 'chelsea-120x80.jpg');
    assert.match((await submit({})).json.error.message, /document_back/);
    const done = await submit({ documentType: 'passport' });
    assert.equal(done.status, 200);
    assert.equal(done.json.status, 'review');
    const again = await submit({ documentType: 'passport' });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'session_closed');
    assert.equal((await upload(started.id, started.token, 'selfie')).status, 409);
    const detail = await session(started.id);
    assert.deepEqual(detail.timeline.map((e: any) => e.type), ['session.created', 'session.in_progress', 'session.submitted', 'session.review']);
    assert.equal(detail.documentType, 'passport');
  });

  test('a new upload of the same kind replaces the previous one, file and all', async () => {
    const started = await startedSession();
    await upload(started.id, started.token, 'selfie', 'chelsea.png');
    const filesBefore = await readdir(join(s.dataDir, 'captures'));
    await upload(started.id, started.token, 'selfie', 'chelsea-120x80.jpg');
    const filesAfter = await readdir(join(s.dataDir, 'captures'));
    assert.equal(filesAfter.length, filesBefore.length);
    const download = await fetch(`${s.url}/api/v1/sessions/${started.id}/captures/selfie`, { headers: { authorization: `Bearer ${s.apiKey}` } });
    assert.equal(download.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), await readFile(fixturePath('chelsea-120x80.jpg')));
  });

  test('a manual decision moves a submitted session; erasure removes its captures and keeps the audit trail', async () => {
    const started = await startedSession();
    const early = await call(s.url, `/api/v1/sessions/${started.id}/decision`, { key: s.apiKey, json: { status: 'approved' } });
    assert.equal(early.status, 409);
    await upload(started.id, started.token, 'selfie');
    await call(s.url, `/api/v1/flow/sessions/${started.id}/submit`, { json: {}, headers: { authorization: `Bearer ${started.token}` } });
    const decided = await call(s.url, `/api/v1/sessions/${started.id}/decision`, { key: s.apiKey, json: { status: 'denied', note: 'Photo of a cat' } });
    assert.equal(decided.status, 200);
    assert.equal(decided.json.status, 'denied');
    assert.equal(decided.json.decision.note, 'Photo of a cat');
    const approved = await call(s.url, `/api/v1/sessions/${started.id}/decision`, { key: s.apiKey, json: { status: 'approved' } });
    assert.equal(approved.json.status, 'approved');

    const filesBefore = (await readdir(join(s.dataDir, 'captures'))).length;
    const erased = await call(s.url, `/api/v1/sessions/${started.id}`, { key: s.apiKey, method: 'DELETE' });
    assert.equal(erased.status, 200);
    assert.ok(erased.json.erasedAt);
    assert.deepEqual(erased.json.captures, []);
    assert.equal(erased.json.decision.note, null);
    assert.equal((await readdir(join(s.dataDir, 'captures'))).length, filesBefore - 1);
    const download = await call(s.url, `/api/v1/sessions/${started.id}/captures/selfie`, { key: s.apiKey });
    assert.equal(download.status, 404);
    const detail = await session(started.id);
    assert.equal(detail.status, 'approved');
    assert.equal(detail.timeline.at(-1).type, 'session.erased');
    const accountId = (await call(s.url, '/api/v1/account', { key: s.apiKey })).json.id;
    const events = await s.running.deps.store.listEvents(accountId, started.id);
    assert.equal(events.length, detail.timeline.length);
    assert.ok(events.every((e) => !JSON.stringify(e.data).includes('Photo of a cat')), 'the note is gone from event data too');
  });
});
