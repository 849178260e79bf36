/**
 * A link's insight for the dashboard: the funnel (page opened → session started → every photo
 * taken → submitted → approved) and sessions per day over the last 30 days.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';
import { fixturePath } from './support/server-process.js';

const DAY = 24 * 60 * 60 * 1000;
let s: InProcessServer;
before(async () => {
  s = await startInProcess({ credits: 20 });
});
after(() => s.stop());

const stats = async (id: string) => call(s.url, `/api/v1/links/${id}/stats`, { key: s.apiKey });

async function upload(sessionId: string, token: string, kind: string) {
  const answer = await call(s.url, `/api/v1/flow/sessions/${sessionId}/captures/${kind}`, {
    method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: await readFile(fixturePath('chelsea.png')),
  });
  assert.equal(answer.status, 200, answer.text);
}

test('the funnel counts each session at every step it reached, and the page views before them', async () => {
  const link = await createLink(s.url, s.apiKey, { flow: 'document+selfie', usageLimit: null });
  const empty = await stats(link.id);
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.json.funnel, { opened: 0, started: 0, captured: 0, submitted: 0, approved: 0 });

  for (let i = 0; i < 4; i++) assert.equal((await fetch(link.url)).status, 200);
  assert.equal((await fetch(link.url, { method: 'HEAD' })).status, 200, 'a HEAD is not a visit');
  const sessions = [];
  for (let i = 0; i < 3; i++) {
    const started = await startSession(s.url, tokenOf(link.url));
    sessions.push({ id: started.json.sessionId as string, token: started.json.sessionToken as string });
  }
  const [approved, complete, partial] = sessions as [typeof sessions[0], typeof sessions[0], typeof sessions[0]];
  for (const kind of ['document_front', 'document_back', 'selfie']) await upload(complete.id, complete.token, kind);
  await upload(partial.id, partial.token, 'document_front');
  for (const kind of ['document_front', 'selfie']) await upload(approved.id, approved.token, kind);
  const submitted = await call(s.url, `/api/v1/flow/sessions/${approved.id}/submit`, {
    json: { documentType: 'passport' }, headers: { authorization: `Bearer ${approved.token}` },
  });
  assert.equal(submitted.status, 200, submitted.text);
  assert.equal((await call(s.url, `/api/v1/sessions/${approved.id}/decision`, { key: s.apiKey, json: { status: 'approved' } })).status, 200);

  const figures = (await stats(link.id)).json;
  assert.deepEqual(figures.funnel, { opened: 4, started: 3, captured: 2, submitted: 1, approved: 1 });
});

test('sessions per day cover the last 30 days, oldest first, zeros included', async () => {
  const link = await createLink(s.url, s.apiKey, { flow: 'selfie', usageLimit: null });
  await startSession(s.url, tokenOf(link.url));
  s.clock.advance(2 * DAY);
  await startSession(s.url, tokenOf(link.url));
  await startSession(s.url, tokenOf(link.url));
  const { perDay } = (await stats(link.id)).json as { perDay: { day: string; sessions: number }[] };
  assert.equal(perDay.length, 30);
  const today = new Date(s.clock.now()).toISOString().slice(0, 10);
  const twoDaysAgo = new Date(s.clock.now() - 2 * DAY).toISOString().slice(0, 10);
  assert.equal(perDay.at(-1)!.day, today);
  assert.deepEqual(perDay.slice(-3).map((d) => d.sessions), [1, 0, 2]);
  assert.equal(perDay.at(-3)!.day, twoDaysAgo);
  assert.equal(perDay.reduce((sum, d) => sum + d.sessions, 0), 3);
});

test('another account\'s link, or none, is not found', async () => {
  assert.equal((await stats('lnk_AAAAAAAAAAAAAAAAAAAAAA')).status, 404);
  assert.equal((await call(s.url, '/api/v1/links/lnk_AAAAAAAAAAAAAAAAAAAAAA/stats')).status, 401);
});
