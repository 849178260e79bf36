import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { fixturePath, REPO_ROOT, spawnServer, type ServerProcess } from './support/server-process.js';
import { adminEnv } from './support/test-store.js';

const run = promisify(execFile);
let server: ServerProcess;
before(async () => {
  server = await spawnServer();
});
after(() => server.stop());

/** The admin CLI, on the running server's data directory, as an operator would use it. */
async function admin(...args: string[]) {
  const { stdout } = await run(process.execPath, ['dist/server/admin.js', ...args], {
    cwd: REPO_ROOT,
    env: adminEnv(server.dataDir),
  });
  return stdout.trim();
}

test('the admin CLI creates an account, an API key and adds credits while the server runs', async () => {
  const created = await admin('create-account', '--name', 'Second shop', '--credits', '2');
  const accountId = /^(acc_\S+)/.exec(created)![1]!;
  const key = await admin('create-api-key', '--account', accountId, '--mode', 'live');
  assert.match(key, /^vn_live_[A-Za-z0-9_-]{40,}$/);
  assert.deepEqual((await call(server.url, '/api/v1/account', { key })).json, { id: accountId, name: 'Second shop', credits: { available: 2, held: 0 }, embedOrigins: [] });
  await admin('add-credits', '--account', accountId, '--credits', '5');
  assert.equal((await call(server.url, '/api/v1/account', { key })).json.credits.available, 7);
  await assert.rejects(admin('add-credits', '--account', accountId, '--credits=-5'), /whole number/);
  await assert.rejects(admin('create-api-key', '--account', 'acc_nope'), /no account/);
});

test("account B reads and changes none of account A's objects; their ids answer exactly like unknown ones", async () => {
  const accountB = /^(acc_\S+)/.exec(await admin('create-account', '--name', 'Other shop', '--credits', '5'))![1]!;
  const keyB = await admin('create-api-key', '--account', accountB);

  const linkA = await createLink(server.url, server.apiKey, { flow: 'selfie', usageLimit: null });
  const started = await startSession(server.url, tokenOf(linkA.url));
  const { sessionId, sessionToken } = started.json;
  await call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'image/png' },
    body: await readFile(fixturePath('chelsea.png')),
  });
  await call(server.url, `/api/v1/flow/sessions/${sessionId}/submit`, { json: {}, headers: { authorization: `Bearer ${sessionToken}` } });

  const unknownLink = 'lnk_' + 'A'.repeat(22);
  const unknownSession = 'ses_' + 'A'.repeat(22);
  const probes: [string, string, unknown?][] = [
    ['GET', '/api/v1/links/:link'],
    ['PATCH', '/api/v1/links/:link', { name: 'mine now' }],
    ['POST', '/api/v1/links/:link/deactivate'],
    ['GET', '/api/v1/links/:link/qr.svg'],
    ['GET', '/api/v1/links/:link/qr.png'],
    ['GET', '/api/v1/sessions/:session'],
    ['POST', '/api/v1/sessions/:session/decision', { status: 'approved' }],
    ['DELETE', '/api/v1/sessions/:session'],
    ['GET', '/api/v1/sessions/:session/captures/selfie'],
  ];
  for (const [method, template, json] of probes) {
    const path = (link: string, session: string) => template.replace(':link', link).replace(':session', session);
    const theirs = await call(server.url, path(linkA.id, sessionId), { key: keyB, method, json });
    const unknown = await call(server.url, path(unknownLink, unknownSession), { key: keyB, method, json });
    assert.equal(theirs.status, 404, `${method} ${template}`);
    assert.deepEqual(theirs.json, unknown.json, `${method} ${template} must not tell "not yours" from "no such"`);
  }
  assert.deepEqual((await call(server.url, '/api/v1/links', { key: keyB })).json.data, []);
  assert.deepEqual((await call(server.url, '/api/v1/sessions', { key: keyB })).json.data, []);
  assert.deepEqual((await call(server.url, `/api/v1/sessions?link=${linkA.id}`, { key: keyB })).json.data, []);

  // A's objects are untouched by B's attempts.
  const detail = await call(server.url, `/api/v1/sessions/${sessionId}`, { key: server.apiKey });
  assert.equal(detail.json.status, 'review');
  assert.equal(detail.json.captures.length, 1);
  assert.equal((await call(server.url, `/api/v1/links/${linkA.id}`, { key: server.apiKey })).json.status, 'active');
});

test("an applicant's session token opens its own session only", async () => {
  const l = await createLink(server.url, server.apiKey, { flow: 'selfie', usageLimit: null });
  const one = (await startSession(server.url, tokenOf(l.url))).json;
  const two = (await startSession(server.url, tokenOf(l.url))).json;
  const peek = await call(server.url, `/api/v1/flow/sessions/${two.sessionId}`, { headers: { authorization: `Bearer ${one.sessionToken}` } });
  assert.equal(peek.status, 404);
  const own = await call(server.url, `/api/v1/flow/sessions/${one.sessionId}`, { headers: { authorization: `Bearer ${one.sessionToken}` } });
  assert.equal(own.status, 200);
  // Nor is it a merchant key.
  assert.equal((await call(server.url, `/api/v1/sessions/${one.sessionId}`, { key: one.sessionToken })).status, 401);
});
