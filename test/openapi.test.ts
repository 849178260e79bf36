import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from './support/api.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

let server: ServerProcess;
let doc: any;
before(async () => {
  server = await spawnServer();
  doc = (await call(server.url, '/api/v1/openapi.json')).json;
});
after(() => server.stop());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );

test('the OpenAPI document describes the v1 API with the contract schemas', () => {
  assert.equal(doc.openapi, '3.1.0');
  const listed = operations().map((o) => `${o.method} ${o.path}`);
  for (const expected of [
    'POST /api/v1/links', 'GET /api/v1/links', 'GET /api/v1/links/{id}', 'PATCH /api/v1/links/{id}',
    'POST /api/v1/links/{id}/deactivate', 'GET /api/v1/links/{id}/qr.svg', 'GET /api/v1/links/{id}/qr.png',
    'GET /api/v1/sessions', 'GET /api/v1/sessions/{id}', 'POST /api/v1/sessions/{id}/decision',
    'DELETE /api/v1/sessions/{id}', 'GET /api/v1/sessions/{id}/captures/{kind}', 'GET /api/v1/account',
    'POST /api/v1/flow/sessions', 'GET /api/v1/flow/sessions/{id}', 'PUT /api/v1/flow/sessions/{id}/captures/{kind}',
    'POST /api/v1/flow/sessions/{id}/submit', 'POST /api/v1/flow/sessions/{id}/handoff', 'POST /api/v1/flow/handoff',
    'GET /api/v1/events',
    'GET /api/v1/openapi.json',
  ]) {
    assert.ok(listed.includes(expected), `${expected} is documented`);
  }
  const create = doc.paths['/api/v1/links'].post.requestBody.content['application/json'].schema;
  assert.deepEqual([...create.required].sort(), ['flow', 'name', 'usageLimit']);
  assert.deepEqual(create.properties.flow.enum, ['document', 'selfie', 'document+selfie']);
  assert.equal(create.additionalProperties, false);
});

test('every documented operation exists on the server, and guards what it says it guards', async () => {
  for (const { path, method, op } of operations()) {
    const concrete = path.replace('{id}', path.includes('sessions') ? 'ses_' + 'A'.repeat(22) : 'lnk_' + 'A'.repeat(22)).replace('{kind}', 'selfie');
    const answer = await call(server.url, concrete, { method, ...(op.requestBody?.content?.['application/json'] ? { json: {} } : {}) });
    assert.notEqual(answer.json?.error?.code, 'route_not_found', `${method} ${path}`);
    assert.notEqual(answer.status, 405, `${method} ${path}`);
    if (op.security.length > 0) assert.equal(answer.status, 401, `${method} ${path} needs credentials`);
  }
});

test('what the document requires is what the server requires', async () => {
  const schema = doc.paths['/api/v1/links'].post.requestBody.content['application/json'].schema;
  const valid = { name: 'Doc check', flow: 'selfie', usageLimit: 1 };
  assert.equal((await call(server.url, '/api/v1/links', { key: server.apiKey, json: valid })).status, 201);
  for (const field of schema.required as string[]) {
    const { [field]: _, ...missing } = valid as Record<string, unknown>;
    const answer = await call(server.url, '/api/v1/links', { key: server.apiKey, json: missing });
    assert.equal(answer.status, 400, `without ${field}`);
    assert.match(answer.json.error.message, new RegExp(field));
  }
  for (const field of Object.keys(schema.properties)) {
    assert.ok(field in valid || !(schema.required as string[]).includes(field));
  }
  const unknown = await call(server.url, '/api/v1/links', { key: server.apiKey, json: { ...valid, colour: 'red' } });
  assert.equal(unknown.status, 400, 'additionalProperties: false is enforced');
  const limit = doc.paths['/api/v1/links'].get.parameters.find((p: any) => p.name === 'limit').schema;
  for (const [value, status] of [[limit.maximum, 200], [limit.maximum + 1, 400], [limit.minimum, 200], [limit.minimum - 1, 400]]) {
    assert.equal((await call(server.url, `/api/v1/links?limit=${value}`, { key: server.apiKey })).status, status, `limit=${value}`);
  }
});
