import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { eventSchema } from '../contract/events.js';
import { sendWebhook } from '../server/webhooks/send.js';
import { isBlockedAddress, resolveAllowed } from '../server/webhooks/ssrf-guard.js';
import { generateTestHeader, verifyWebhook, WebhookVerificationError } from '../webhooks/index.js';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';
import { fixturePath, REPO_ROOT, spawnServer, type ServerProcess } from './support/server-process.js';
import { adminEnv } from './support/test-store.js';
import { startReceiver, type Receiver } from './support/webhook-receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3_600_000;
/** Short retries and a quick poll, so that a test waits fractions of a second, not minutes. */
const FAST = { ALLOW_PRIVATE_WEBHOOKS: '1', WEBHOOK_RETRY_BASE_SECONDS: '0.2', WEBHOOK_POLL_SECONDS: '0.1', WEBHOOK_TIMEOUT_SECONDS: '1', DEMO_PORT: 'off' };

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}
after(() => Promise.all(receivers.map((r) => r.close())));

async function addEndpoint(base: string, key: string, fields: Record<string, unknown>) {
  const answer = await call(base, '/api/v1/webhook-endpoints', { key, json: fields });
  assert.equal(answer.status, 201, answer.text);
  return answer.json as { id: string; secret: string; [k: string]: any };
}

async function secondAccountKey(dataDir: string): Promise<string> {
  const admin = async (...args: string[]) =>
    (await promisify(execFile)(process.execPath, ['dist/server/admin.js', ...args], { cwd: REPO_ROOT, env: adminEnv(dataDir) })).stdout.trim();
  const accountId = /^(acc_\S+)/.exec(await admin('create-account', '--name', 'Other shop', '--credits', '5'))![1]!;
  return admin('create-api-key', '--account', accountId);
}

const deliveries = async (base: string, key: string, endpointId: string) =>
  (await call(base, `/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=100`, { key })).json.data as any[];

describe('the merchant-side verifier', () => {
  const secret = 'whsec_test_secret';
  const body = JSON.stringify({ id: 'evt_x', type: 'session.approved', createdAt: '2030-01-01T00:00:00.000Z', data: { id: 'ses_x' } });

  test('accepts the header it makes, as a string or bytes, and answers the event', () => {
    const header = generateTestHeader(body, secret);
    assert.equal(verifyWebhook(body, header, secret).id, 'evt_x');
    assert.equal(verifyWebhook(Buffer.from(body), header, secret).type, 'session.approved');
  });

  test('refuses a wrong secret, an altered body and an old timestamp, each with a reason', () => {
    const header = generateTestHeader(body, secret);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof WebhookVerificationError);
        return error.reason;
      }
      assert.fail('accepted');
    };
    assert.equal(reason(() => verifyWebhook(body, header, 'whsec_other')), 'no_signature_matched');
    assert.equal(reason(() => verifyWebhook(body.replace('approved', 'denied'), header, secret)), 'no_signature_matched');
    const old = generateTestHeader(body, secret, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    assert.equal(reason(() => verifyWebhook(body, old, secret)), 'timestamp_out_of_tolerance');
    assert.equal(verifyWebhook(body, old, secret, { toleranceSeconds: 600 }).id, 'evt_x');
    assert.equal(reason(() => verifyWebhook(body, undefined, secret)), 'no_header');
    assert.equal(reason(() => verifyWebhook(body, 't=1,v1=zz', secret)), 'malformed_header');
  });

  test('a parsed body is refused with a message naming the mistake', () => {
    assert.throws(
      () => verifyWebhook(JSON.parse(body), generateTestHeader(body, secret), secret),
      (error: Error) => error instanceof WebhookVerificationError && error.reason === 'parsed_body' && /raw/.test(error.message),
    );
  });

  test('any of several v1= signatures may match (secret rotation)', () => {
    const t = Math.floor(Date.now() / 1000);
    const both = `${generateTestHeader(body, 'whsec_new', { timestamp: t })},${generateTestHeader(body, secret, { timestamp: t }).split(',')[1]}`;
    assert.equal(verifyWebhook(body, both, secret).id, 'evt_x');
    assert.equal(verifyWebhook(body, both, 'whsec_new').id, 'evt_x');
  });
});

describe('the SSRF guard', () => {
  let s: InProcessServer;
  before(async () => {
    s = await startInProcess({ env: { DEMO_PORT: 'off' } });
  });
  after(() => s.stop());

  test('refuses 127.0.0.1, 10.0.0.1, 169.254.169.254, [::1] and a name resolving to them, without connecting', async () => {
    const target = await receiver();
    const port = new URL(target.url).port;
    for (const host of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '[::1]', 'localhost', '[::ffff:127.0.0.1]', '0.0.0.0']) {
      const answer = await call(s.url, '/api/v1/webhook-endpoints', { key: s.apiKey, json: { url: `http://${host}:${port}/hooks` } });
      assert.equal(answer.status, 400, host);
      assert.equal(answer.json.error.code, 'webhook_url_forbidden', host);
    }
    for (const address of ['172.16.0.1', '192.168.1.1', '100.64.0.1', 'fe80::1', 'fd00:ec2::254', '::ffff:a00:1', '224.0.0.1']) {
      assert.ok(isBlockedAddress(address), address);
    }
    for (const address of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) assert.ok(!isBlockedAddress(address), address);

    // A name that resolves to a private address (DNS rebinding: it may have looked public when the
    // endpoint was added) is refused at sending time, before any connection.
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 }];
    await assert.rejects(resolveAllowed('hooks.shop.example', false, rebinding), /127\.0\.0\.1/);
    const outcome = await sendWebhook({
      url: `http://hooks.shop.example:${port}/hooks`, body: '{}', headers: {}, timeoutMs: 2000, allowPrivate: false, resolve: rebinding,
    });
    assert.equal(outcome.error, 'blocked_address');
    assert.equal(target.connections, 0, 'nothing connected to the receiver');
    // And the connection goes to the checked address, whatever the name: here a made-up name, allowed.
    const allowed = await sendWebhook({
      url: `http://hooks.shop.example:${port}/hooks`, body: '{}', headers: {}, timeoutMs: 2000, allowPrivate: true, resolve: rebinding,
    });
    assert.equal(allowed.statusCode, 200);
    assert.equal(target.received[0]!.headers.host, `hooks.shop.example:${port}`);
  });

  test('a redirect is not followed: it is a failed attempt', async () => {
    const target = await receiver(() => 302);
    const outcome = await sendWebhook({ url: target.url, body: '{}', headers: {}, timeoutMs: 2000, allowPrivate: true });
    assert.equal(outcome.statusCode, 302);
    assert.equal(target.received.length, 1);
  });
});

describe('delivery', { concurrency: false }, () => {
  let server: ServerProcess;
  before(async () => {
    server = await spawnServer({ env: FAST });
  });
  after(() => server.stop());

  test('a completed verification reaches the receiver, signed; the signature verifies with the exported verifier', async () => {
    const target = await receiver();
    const endpoint = await addEndpoint(server.url, server.apiKey, { url: target.url, eventTypes: ['session.review'] });
    assert.match(endpoint.secret, /^whsec_/);
    const listed = await call(server.url, '/api/v1/webhook-endpoints', { key: server.apiKey });
    assert.ok(!listed.text.includes(endpoint.secret), 'the secret is shown once only');

    const link = await createLink(server.url, server.apiKey, { flow: 'selfie' });
    const { sessionId, sessionToken } = (await startSession(server.url, tokenOf(link.url))).json;
    const applicant = { authorization: `Bearer ${sessionToken}` };
    await call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
      method: 'PUT', headers: { ...applicant, 'content-type': 'image/png' }, body: await readFile(fixturePath('chelsea.png')),
    });
    assert.equal((await call(server.url, `/api/v1/flow/sessions/${sessionId}/submit`, { json: {}, headers: applicant })).status, 200);

    const [got] = await target.waitFor(1);
    assert.equal(target.received.length, 1, 'only the type subscribed to');
    const event = verifyWebhook<any>(got!.body, got!.headers['verify-signature'], endpoint.secret);
    assert.equal(event.type, 'session.review');
    assert.equal(event.data.id, sessionId);
    assert.equal(event.data.captures.length, 1);
    assert.equal(eventSchema.safeParse(event).success, true);
    assert.ok(got!.body.length < 20_000, 'never an image');
    assert.equal(got!.headers['content-type'], 'application/json');
    assert.match(got!.headers['user-agent']!, /^verify-now-webhooks\//);
    assert.equal(got!.headers['verify-event-id'], event.id);
    assert.equal(got!.headers['verify-attempt'], '1');

    assert.throws(() => verifyWebhook(got!.body, got!.headers['verify-signature'], 'whsec_wrong'), WebhookVerificationError);
    assert.throws(() => verifyWebhook(got!.body.replace('review', 'approved'), got!.headers['verify-signature'], endpoint.secret), WebhookVerificationError);
    assert.throws(
      () => verifyWebhook(got!.body, got!.headers['verify-signature'], endpoint.secret, { nowSeconds: Math.floor(Date.now() / 1000) + 3600 }),
      /timestamp/,
    );
    const delivered = () => server.logs.filter((line) => line.includes('webhook delivered'));
    for (let i = 0; i < 100 && delivered().length === 0; i++) await sleep(20);
    const logged = delivered();
    assert.ok(logged.length > 0);
    assert.ok(!logged.some((line) => line.includes(endpoint.secret) || line.includes(sessionId)), 'the log holds ids of deliveries, not payloads or secrets');
    await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE', key: server.apiKey });
  });

  test('a receiver answering 500 twice, then 200: three attempts, logged, one success', async () => {
    const target = await receiver((_, n) => (n < 2 ? 500 : 200));
    const endpoint = await addEndpoint(server.url, server.apiKey, { url: target.url, eventTypes: ['link.created'] });
    const link = await createLink(server.url, server.apiKey);
    const got = await target.waitFor(3);
    assert.deepEqual(got.map((r) => r.headers['verify-attempt']), ['1', '2', '3']);
    assert.equal(new Set(got.map((r) => r.headers['verify-event-id'])).size, 1, 'the same event each time');
    assert.ok(got[2]!.at - got[1]!.at >= 200 * 2 * 0.75 - 20, 'backoff doubles');
    let [delivery] = await deliveries(server.url, server.apiKey, endpoint.id);
    for (let waited = 0; delivery.status === 'pending' && waited < 5000; waited += 50) {
      await sleep(50); // the 200 is recorded just after the receiver has it
      [delivery] = await deliveries(server.url, server.apiKey, endpoint.id);
    }
    assert.equal(delivery.status, 'succeeded');
    assert.equal(delivery.nextAttemptAt, null);
    assert.deepEqual(delivery.attempts.map((a: any) => a.statusCode), [500, 500, 200]);
    assert.equal(delivery.attempts[0].responseBody, 'no thanks (500)');
    assert.ok(delivery.attempts.every((a: any) => Number.isInteger(a.latencyMs) && a.at));
    assert.equal(JSON.parse(got[2]!.body).data.id, link.id);
    await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE', key: server.apiKey });
  });

  test('during a rotation the header carries two v1= signatures, one per secret; test events and resends arrive', async () => {
    const target = await receiver();
    const endpoint = await addEndpoint(server.url, server.apiKey, { url: target.url, eventTypes: ['link.updated'] });
    const rotated = await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { key: server.apiKey, json: { graceHours: 1 } });
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.json.secret, endpoint.secret);
    assert.ok(rotated.json.previousSecretExpiresAt);

    const test = await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', key: server.apiKey });
    assert.equal(test.status, 202, test.text);
    const [ping] = await target.waitFor(1);
    const header = ping!.headers['verify-signature'] as string;
    assert.equal(header.match(/v1=/g)!.length, 2);
    assert.equal(verifyWebhook<any>(ping!.body, header, rotated.json.secret).type, 'webhook.test');
    assert.equal(verifyWebhook<any>(ping!.body, header, endpoint.secret).type, 'webhook.test');

    const resent = await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${test.json.id}/resend`, { method: 'POST', key: server.apiKey });
    assert.equal(resent.status, 202, resent.text);
    const [, again] = await target.waitFor(2);
    assert.equal(JSON.parse(again!.body).id, JSON.parse(ping!.body).id, 'the same event id: merchants deduplicate by it');

    const ended = await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { key: server.apiKey, json: { graceHours: 0 } });
    await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', key: server.apiKey });
    const [, , single] = await target.waitFor(3);
    assert.equal((single!.headers['verify-signature'] as string).match(/v1=/g)!.length, 1);
    verifyWebhook(single!.body, single!.headers['verify-signature'], ended.json.secret);
    await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE', key: server.apiKey });
  });

  test('1,000 events in a burst all arrive, each id at least once, none lost', { timeout: 60_000 }, async (t) => {
    const target = await receiver();
    const endpoint = await addEndpoint(server.url, server.apiKey, { url: target.url, eventTypes: ['link.updated'] });
    const link = await createLink(server.url, server.apiKey);
    const total = 1000;
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < total) {
        const i = next++;
        const answer = await call(server.url, `/api/v1/links/${link.id}`, { method: 'PATCH', key: server.apiKey, json: { name: `burst ${i}` } });
        assert.equal(answer.status, 200);
      }
    }));
    const committed = performance.now() - started;
    const names = () => new Set(target.received.map((r) => JSON.parse(r.body).data.name));
    for (let waited = 0; names().size < total && waited < 30_000; waited += 100) await sleep(100);
    const took = performance.now() - started;
    assert.equal(names().size, total, 'every change arrived');
    assert.equal(new Set(target.received.map((r) => r.headers['verify-event-id'])).size, total);
    const again = target.received.filter((r) => r.headers['verify-attempt'] !== '1').length;
    t.diagnostic(`1,000 changes committed in ${Math.round(committed)} ms, all delivered after ${Math.round(took)} ms; ${target.received.length - total} twice (${again} retries)`);
    // The receiver holds each request before the dispatcher has recorded its 2xx: give the last records a moment.
    const pending = async () => (await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/deliveries?status=pending`, { key: server.apiKey })).json.data.length;
    let left = await pending();
    for (let waited = 0; left > 0 && waited < 5000; waited += 100) { await sleep(100); left = await pending(); }
    assert.equal(left, 0, 'no delivery left pending');
    await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE', key: server.apiKey });
  });

  test("another account sees none of an account's endpoints or deliveries (404), and gets none of its events", async () => {
    const target = await receiver();
    const theirs = await receiver();
    const endpoint = await addEndpoint(server.url, server.apiKey, { url: target.url, eventTypes: ['link.created'] });
    const keyB = await secondAccountKey(server.dataDir);
    await addEndpoint(server.url, keyB, { url: theirs.url });
    await createLink(server.url, server.apiKey);
    await target.waitFor(1);
    const test = await call(server.url, `/api/v1/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', key: server.apiKey });
    await target.waitFor(2);
    const base = `/api/v1/webhook-endpoints/${endpoint.id}`;
    for (const [method, path, json] of [
      ['GET', base], ['PATCH', base, { enabled: false }], ['DELETE', base], ['POST', `${base}/test`], ['POST', `${base}/rotate-secret`, {}],
      ['GET', `${base}/deliveries`], ['GET', `${base}/deliveries/${test.json.id}`], ['POST', `${base}/deliveries/${test.json.id}/resend`],
    ] as const) {
      const answer = await call(server.url, path, { method, key: keyB, ...(json ? { json } : {}) });
      assert.equal(answer.status, 404, `${method} ${path}`);
    }
    const listed = (await call(server.url, '/api/v1/webhook-endpoints', { key: keyB })).json.data;
    assert.equal(listed.length, 1);
    assert.notEqual(listed[0].id, endpoint.id);
    await sleep(300);
    assert.equal(theirs.received.length, 0, "no event of account A reaches account B's endpoint");
    assert.equal((await call(server.url, base, { key: server.apiKey })).json.enabled, true, 'untouched');

    const bad = await call(server.url, '/api/v1/webhook-endpoints', { key: server.apiKey, json: { url: 'ftp://x.example/', eventTypes: ['session.teleported'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'invalid_request');
    await call(server.url, base, { method: 'DELETE', key: server.apiKey });
    assert.equal((await call(server.url, base, { key: server.apiKey })).status, 404);
  });
});

describe('durability', () => {
  test('a receiver that never answers (30 s timeout) delays no other endpoint', { timeout: 60_000 }, async () => {
    const silent = await receiver(() => 'hang');
    const quick = await receiver();
    const s = await startInProcess({ env: { ALLOW_PRIVATE_WEBHOOKS: '1', WEBHOOK_TIMEOUT_SECONDS: '30', WEBHOOK_POLL_SECONDS: '0.1', DEMO_PORT: 'off' } });
    try {
      await addEndpoint(s.url, s.apiKey, { url: silent.url, eventTypes: ['link.created'] });
      await addEndpoint(s.url, s.apiKey, { url: quick.url, eventTypes: ['link.created'] });
      const started = performance.now();
      const links = await Promise.all(Array.from({ length: 20 }, () => createLink(s.url, s.apiKey)));
      // Were the quick endpoint's deliveries queued behind the silent one's, they would wait 30 s a pair.
      const got = await quick.waitFor(20, () => true, 15_000);
      const took = performance.now() - started;
      assert.deepEqual(new Set(got.map((r) => JSON.parse(r.body).data.id)), new Set(links.map((l) => l.id)));
      assert.ok(took < 15_000, `the other endpoint had all 20 in ${Math.round(took)} ms`);
      assert.ok(silent.received.length <= 2, 'the silent one holds at most its own two requests');
      const stopping = performance.now();
      await s.stop();
      assert.ok(performance.now() - stopping < 5000, 'and the stop does not wait for it');
    } finally {
      await s.stop();
    }
  });

  test('SIGKILL after the event is committed and before it is delivered: after a restart the event arrives', { timeout: 60_000 }, async () => {
    let isServerUp = true;
    // The first request hangs (the server dies while sending); later ones succeed.
    const target = await receiver((_, n) => (n === 0 ? 'hang' : 200));
    const first = await spawnServer({ env: FAST });
    const endpoint = await addEndpoint(first.url, first.apiKey, { url: target.url, eventTypes: ['link.created'] });
    const link = await createLink(first.url, first.apiKey);
    await target.waitFor(1);
    await first.kill('SIGKILL');
    isServerUp = false;
    const second = await spawnServer({ dataDir: first.dataDir, apiKey: first.apiKey, env: FAST });
    isServerUp = true;
    try {
      const got = await target.waitFor(2, () => true, 15_000);
      const event = verifyWebhook<any>(got[1]!.body, got[1]!.headers['verify-signature'], endpoint.secret);
      assert.equal(event.data.id, link.id);
      assert.equal(event.id, JSON.parse(got[0]!.body).id, 'the same event, again');
      // The receiver has the request before the server has its answer and records it: wait for that.
      let [delivery] = await deliveries(second.url, second.apiKey, endpoint.id);
      for (let waited = 0; delivery.status === 'pending' && waited < 5000; waited += 50) {
        await sleep(50);
        [delivery] = await deliveries(second.url, second.apiKey, endpoint.id);
      }
      assert.equal(delivery.status, 'succeeded');
    } finally {
      if (isServerUp) await second.stop();
    }
  });

  test('two server processes on one database send each event once (leases)', { timeout: 60_000 }, async () => {
    const target = await receiver();
    const one = await spawnServer({ env: FAST });
    const two = await spawnServer({ dataDir: one.dataDir, apiKey: one.apiKey, env: FAST });
    try {
      await addEndpoint(one.url, one.apiKey, { url: target.url, eventTypes: ['link.updated'] });
      const link = await createLink(one.url, one.apiKey);
      const total = 200;
      await Promise.all(Array.from({ length: total }, (_, i) =>
        call(i % 2 ? one.url : two.url, `/api/v1/links/${link.id}`, { method: 'PATCH', key: one.apiKey, json: { name: `both ${i}` } })));
      await target.waitFor(total, () => true, 20_000);
      await sleep(500);
      const retried = target.received.filter((r) => r.headers['verify-attempt'] !== '1').length;
      assert.equal(retried, 0, 'no attempt failed, so nothing may come twice');
      assert.equal(target.received.length, total, 'each event once');
      assert.equal(new Set(target.received.map((r) => r.headers['verify-event-id'])).size, total);
      const sentBy = (p: ServerProcess) => p.logs.filter((line) => line.includes('webhook delivered')).length;
      assert.equal(sentBy(one) + sentBy(two), total);
    } finally {
      await two.stop({ keepData: true });
      await one.stop();
    }
  });

  test('a graceful stop does not wait for a receiver that never answers, and hands the delivery back', { timeout: 30_000 }, async () => {
    const target = await receiver((_, n) => (n === 0 ? 'hang' : 200));
    const first = await spawnServer({ env: { ...FAST, WEBHOOK_TIMEOUT_SECONDS: '30' } });
    await addEndpoint(first.url, first.apiKey, { url: target.url, eventTypes: ['link.created'] });
    await createLink(first.url, first.apiKey);
    await target.waitFor(1);
    const started = performance.now();
    await first.stop({ keepData: true });
    assert.ok(performance.now() - started < 3000, 'stopped at once');
    const second = await spawnServer({ dataDir: first.dataDir, apiKey: first.apiKey, env: FAST });
    try {
      await target.waitFor(2, () => true, 5000);
    } finally {
      await second.stop();
    }
  });

  test('after failing for the whole retry window the delivery fails and the endpoint is disabled, saying why', async () => {
    const target = await receiver(() => 503);
    const s = await startInProcess({ env: { ALLOW_PRIVATE_WEBHOOKS: '1', WEBHOOK_RETRY_HOURS: '1', WEBHOOK_POLL_SECONDS: '0.05', DEMO_PORT: 'off' } });
    try {
      const endpoint = await addEndpoint(s.url, s.apiKey, { url: target.url, eventTypes: ['link.created'] });
      await createLink(s.url, s.apiKey);
      await target.waitFor(1);
      for (let i = 0; i < 100 && (await deliveries(s.url, s.apiKey, endpoint.id))[0]?.attempts.length !== 1; i++) await sleep(20);
      s.clock.advance(2 * HOUR); // past the retry window: the next attempt is the last
      await target.waitFor(2);
      let shown: any;
      for (let i = 0; i < 40 && shown?.enabled !== false; i++) {
        await sleep(50);
        shown = (await call(s.url, `/api/v1/webhook-endpoints/${endpoint.id}`, { key: s.apiKey })).json;
      }
      assert.equal(shown.enabled, false);
      assert.match(shown.disabledReason, /HTTP 503/);
      const [delivery] = await deliveries(s.url, s.apiKey, endpoint.id);
      assert.equal(delivery.status, 'failed');
      assert.equal(delivery.attempts.length, 2);

      await createLink(s.url, s.apiKey);
      await sleep(300);
      assert.equal(target.received.length, 2, 'a disabled endpoint gets nothing');
      const enabled = await call(s.url, `/api/v1/webhook-endpoints/${endpoint.id}`, { method: 'PATCH', key: s.apiKey, json: { enabled: true } });
      assert.equal(enabled.json.disabledReason, null);
      assert.equal(enabled.json.consecutiveFailures, 0);
    } finally {
      await s.stop();
    }
  });
});
