/**
 * Behind a proxy the TCP peer is the proxy: the per-client sign-in limit would count every client
 * together. TRUST_PROXY_HOPS names how many proxies append to X-Forwarded-For; only the entry the
 * outermost of them added counts, never what the client wrote itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from './support/api.js';
import { startInProcess } from './support/in-process.js';

/** Failed sign-ins with made-up addresses (the per-address limit never trips), as if from `forwardedFor`. */
const fail = (url: string, forwardedFor: string, n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      call(url, '/api/v1/auth/login', {
        json: { email: `guess-${i}-${Math.random()}@shop.example`, password: 'wrong password' },
        headers: { 'x-forwarded-for': forwardedFor },
      }),
    ),
  );

test('with TRUST_PROXY_HOPS=1, the proxy-added address is the client: one client locked out, another not, a forged prefix ignored', async () => {
  const server = await startInProcess({ env: { TRUST_PROXY_HOPS: '1', DEMO_PORT: 'off' } });
  try {
    const first = await fail(server.url, '203.0.113.7', 50);
    assert.deepEqual(new Set(first.map((a) => a.status)), new Set([401]));
    const [locked] = await fail(server.url, '203.0.113.7', 1);
    assert.equal(locked!.status, 429);
    assert.equal(locked!.json.error.code, 'too_many_attempts');
    // Another client behind the same proxy still may try.
    const [other] = await fail(server.url, '198.51.100.9', 1);
    assert.equal(other!.status, 401);
    // The locked-out client writing its own X-Forwarded-For: the proxy appends the real address last.
    const [forged] = await fail(server.url, '198.51.100.200, 203.0.113.7', 1);
    assert.equal(forged!.status, 429);
  } finally {
    await server.stop();
  }
});

test('by default X-Forwarded-For is not believed: changing it does not escape the limit', async () => {
  const server = await startInProcess({ env: { DEMO_PORT: 'off' } });
  try {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => fail(server.url, `192.0.2.${i}`, 1)));
    assert.deepEqual(new Set(answers.flat().map((a) => a.status)), new Set([401]));
    const [locked] = await fail(server.url, '192.0.2.250', 1);
    assert.equal(locked!.status, 429);
  } finally {
    await server.stop();
  }
});
