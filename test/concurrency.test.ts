import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

let server: ServerProcess;
before(async () => {
  server = await spawnServer({ credits: 100_000 });
});
after(() => server.stop());

const tally = (answers: { status: number; json: any }[]) => {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status === 201 ? 'created' : `${a.status} ${a.json?.error?.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

const startMany = (token: string, n: number) => Promise.all(Array.from({ length: n }, () => startSession(server.url, token)));

test('a single-use link makes exactly one session under 1,000 concurrent starts', async () => {
  const link = await createLink(server.url, server.apiKey, { usageLimit: 1 });
  const answers = await startMany(tokenOf(link.url), 1000);
  assert.deepEqual(tally(answers), { created: 1, '410 link_exhausted': 999 });

  const after = await call(server.url, `/api/v1/links/${link.id}`, { key: server.apiKey });
  assert.equal(after.json.uses, 1);
  assert.equal(after.json.remainingUses, 0);
  assert.equal(after.json.status, 'exhausted');
  const sessions = await call(server.url, `/api/v1/sessions?link=${link.id}&limit=100`, { key: server.apiKey });
  assert.equal(sessions.json.data.length, 1);
});

test('a 100-use link makes exactly 100 sessions under 1,000 concurrent starts', async () => {
  const link = await createLink(server.url, server.apiKey, { usageLimit: 100 });
  const answers = await startMany(tokenOf(link.url), 1000);
  assert.deepEqual(tally(answers), { created: 100, '410 link_exhausted': 900 });

  let count = 0;
  let cursor: string | null = null;
  do {
    const page: any = await call(server.url, `/api/v1/sessions?link=${link.id}&limit=30${cursor ? `&cursor=${cursor}` : ''}`, { key: server.apiKey });
    count += page.json.data.length;
    cursor = page.json.nextCursor;
  } while (cursor);
  assert.equal(count, 100);
  assert.equal((await call(server.url, `/api/v1/links/${link.id}`, { key: server.apiKey })).json.uses, 100);
});

test('an account with 5 credits makes exactly 5 sessions from an unlimited link under 50 concurrent starts', async () => {
  const poor = await spawnServer({ credits: 5 });
  try {
    const link = await createLink(poor.url, poor.apiKey, { usageLimit: null });
    const answers = await Promise.all(Array.from({ length: 50 }, () => startSession(poor.url, tokenOf(link.url))));
    assert.deepEqual(tally(answers), { created: 5, '410 no_credits': 45 });
    const account = await call(poor.url, '/api/v1/account', { key: poor.apiKey });
    assert.deepEqual(account.json.credits, { available: 0, held: 5 });
    // The refused starts took no use of the link either.
    assert.equal((await call(poor.url, `/api/v1/links/${link.id}`, { key: poor.apiKey })).json.uses, 5);
  } finally {
    await poor.stop();
  }
});

test('GET and HEAD of a link page, 50 times each, use nothing', async () => {
  const link = await createLink(server.url, server.apiKey, { usageLimit: 1 });
  const path = new URL(link.url).pathname;
  for (let i = 0; i < 50; i++) {
    const get = await call(server.url, path);
    assert.equal(get.status, 200);
    assert.match(get.headers.get('content-type')!, /text\/html/);
    const head = await call(server.url, path, { method: 'HEAD' });
    assert.equal(head.status, 200);
  }
  const after = await call(server.url, `/api/v1/links/${link.id}`, { key: server.apiKey });
  assert.equal(after.json.uses, 0);
  assert.equal(after.json.status, 'active');
  const sessions = await call(server.url, `/api/v1/sessions?link=${link.id}`, { key: server.apiKey });
  assert.equal(sessions.json.data.length, 0);
  // …and the one real start still works.
  assert.equal((await startSession(server.url, tokenOf(link.url))).status, 201);
});

test('a forged or altered link token is link_not_found, on the page and in the API', async () => {
  const link = await createLink(server.url, server.apiKey, { usageLimit: null });
  const token = tokenOf(link.url);
  const flip = (c: string) => (c === 'A' ? 'B' : 'A');
  const altered = [
    token.slice(0, 10) + flip(token[10]!) + token.slice(11), // in the id part
    token.slice(0, 40) + flip(token[40]!) + token.slice(41), // in the MAC part
    'A'.repeat(43),
    token.slice(0, 42),
    token + 'A',
  ];
  for (const bad of altered) {
    const start = await startSession(server.url, bad);
    assert.equal(start.status, 410, bad);
    assert.equal(start.json.error.code, 'link_not_found');
    const page = await call(server.url, `/v/${bad}`);
    assert.equal(page.status, 404);
    assert.match(page.text, /data-reason="link_not_found"/);
  }
  assert.equal((await call(server.url, `/api/v1/links/${link.id}`, { key: server.apiKey })).json.uses, 0);
});

test('logs carry no tokens, keys or personal data, even at debug level', async () => {
  const verbose = await spawnServer({ env: { LOG_LEVEL: 'debug' } });
  const link = await createLink(verbose.url, verbose.apiKey, { usageLimit: null, name: 'Jane Applicant onboarding' });
  const started = await startSession(verbose.url, tokenOf(link.url));
  await call(verbose.url, new URL(link.url).pathname);
  await verbose.stop();
  const logs = verbose.logs.join('\n');
  assert.ok(!logs.includes(tokenOf(link.url)), 'link token in logs');
  assert.ok(!logs.includes(started.json.sessionToken), 'session token in logs');
  assert.ok(!logs.includes(verbose.apiKey), 'API key in logs');
  assert.ok(!logs.includes('Jane Applicant'), 'link name in logs');
  assert.match(logs, /"route":"\/v\/:token"/, 'a line per request at debug, by route pattern');
  const summary = verbose.logs.map((line) => (line.startsWith('{') ? JSON.parse(line) : {})).find((entry) => entry.msg === 'requests');
  assert.deepEqual(summary?.routes['POST /api/v1/flow/sessions'].statuses, { 201: 1 });
  assert.deepEqual(summary?.routes['GET /v/:token'].statuses, { 200: 1 });
});
