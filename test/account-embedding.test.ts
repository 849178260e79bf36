/**
 * Which sites may frame an account's verification flow (the <verify-now> widget's modal): a
 * setting per account, sent to browsers as the flow page's `frame-ancestors`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, createLink, tokenOf } from './support/api.js';
import { spawnServer, testApiKey, type ServerProcess } from './support/server-process.js';

let server: ServerProcess;

before(async () => {
  server = await spawnServer();
});

after(async () => {
  await server?.stop();
});

const frameAncestorsOf = async (linkUrl: string) => {
  const page = await call(server.url, new URL(linkUrl).pathname);
  return /frame-ancestors ([^;]*)/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
};

test('by default only our own origin may frame the flow', async () => {
  const account = await call(server.url, '/api/v1/account', { key: server.apiKey });
  assert.deepEqual(account.json.embedOrigins, []);
  const link = await createLink(server.url, server.apiKey);
  assert.equal(await frameAncestorsOf(link.url), "'self'");
});

test('the origins an account lists may frame its flow, and its dead links\' pages that carry the flow', async () => {
  const update = await call(server.url, '/api/v1/account', {
    key: server.apiKey,
    method: 'PATCH',
    json: { embedOrigins: ['https://shop.example', 'https://shop.example', 'http://localhost:5173'] },
  });
  assert.equal(update.status, 200, update.text);
  assert.deepEqual(update.json.embedOrigins, ['https://shop.example', 'http://localhost:5173'], 'each origin once');
  assert.deepEqual((await call(server.url, '/api/v1/account', { key: server.apiKey })).json.embedOrigins, update.json.embedOrigins);

  const link = await createLink(server.url, server.apiKey, { usageLimit: 1 });
  assert.equal(await frameAncestorsOf(link.url), "'self' https://shop.example http://localhost:5173");
  assert.equal((await call(server.url, '/api/v1/flow/sessions', { json: { token: tokenOf(link.url) } })).status, 201);
  assert.equal(await frameAncestorsOf(link.url), "'self' https://shop.example http://localhost:5173", 'the used-up page carries the flow too');

  const anywhere = await call(server.url, '/api/v1/account', { key: server.apiKey, method: 'PATCH', json: { embedOrigins: ['https://a.example', '*'] } });
  assert.deepEqual(anywhere.json.embedOrigins, ['*']);
  assert.equal(await frameAncestorsOf((await createLink(server.url, server.apiKey)).url), '*');

  assert.deepEqual((await call(server.url, '/api/v1/account', { key: server.apiKey, method: 'PATCH', json: { embedOrigins: [] } })).json.embedOrigins, []);
});

test('anything that is not an origin is refused with the field named, and the setting stays as it was', async () => {
  await call(server.url, '/api/v1/account', { key: server.apiKey, method: 'PATCH', json: { embedOrigins: ['https://kept.example'] } });
  for (const bad of ['https://shop.example/checkout', 'shop.example', 'ftp://shop.example', 'http://shop.example', "https://a.example 'unsafe-inline'", 'https://a.example;script-src *', 'null', '']) {
    const answer = await call(server.url, '/api/v1/account', { key: server.apiKey, method: 'PATCH', json: { embedOrigins: [bad] } });
    assert.equal(answer.status, 400, bad);
    assert.equal(answer.json.error.code, 'invalid_request');
    assert.match(answer.json.error.message, /embedOrigins/);
  }
  const unknownField = await call(server.url, '/api/v1/account', { key: server.apiKey, method: 'PATCH', json: { name: 'Other' } });
  assert.equal(unknownField.status, 400);
  assert.deepEqual((await call(server.url, '/api/v1/account', { key: server.apiKey })).json.embedOrigins, ['https://kept.example']);
  assert.equal((await call(server.url, '/api/v1/account', { key: testApiKey(), method: 'PATCH', json: { embedOrigins: [] } })).status, 401);
});
