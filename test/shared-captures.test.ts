/**
 * Several server processes behind a load balancer share one bucket: whichever process took an
 * upload, any other serves, replaces and erases it. Until PostgreSQL arrives, the processes here
 * share one SQLite file (SQLite allows several processes on one file) and the same SECRET_KEY.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { paddedPng } from '../bench/png.js';
import { sharedLocalS3 } from './support/blob-backends.js';
import { startLocalS3, type LocalS3 } from './support/local-s3.js';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { fixturePath, openFilesOf, spawnServer } from './support/server-process.js';

const download = async (base: string, key: string, sessionId: string) => {
  const answer = await fetch(`${base}/api/v1/sessions/${sessionId}/captures/selfie`, { headers: { authorization: `Bearer ${key}` } });
  return { status: answer.status, type: answer.headers.get('content-type'), bytes: Buffer.from(await answer.arrayBuffer()) };
};

/** A server's environment for captures in `bucket` of the local S3 server. */
const s3Env = (s3: LocalS3, bucket: string, prefix = '') => ({
  BLOB_STORE_URL: `s3://${bucket}/${prefix}?endpoint=${s3.endpoint}`,
  AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  // Without credentials the SDK's chain would ask the instance metadata service: never here.
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** Text that would show the image in a log line: runs of its bytes as base64 or hex. */
const encodingsOf = (image: Buffer) =>
  [0, 1_000, Math.floor(image.length / 2)].flatMap((at) => [
    image.subarray(at, at + 24).toString('base64'),
    image.subarray(at, at + 16).toString('hex'),
  ]);

test('two processes on one bucket: a capture uploaded through one is downloaded, replaced and erased through the other', async (t) => {
  const s3 = await sharedLocalS3();
  const bucket = await s3.createBucket();
  const shared = await mkdtemp(join(tmpdir(), 'vn-shared-'));
  t.after(() => rm(shared, { recursive: true, force: true }));
  const secretKey = randomBytes(32).toString('base64url');
  const env = {
    ...s3Env(s3, bucket, 'captures/'),
    SECRET_KEY: secretKey,
    DATABASE_URL: `sqlite:${join(shared, 'verify-now.db')}`,
    DEMO_PORT: 'off',
  };
  const a = await spawnServer({ env });
  t.after(() => a.stop());
  const b = await spawnServer({ env, apiKey: a.apiKey });
  t.after(() => b.stop());

  const first = await readFile(fixturePath('chelsea.png'));
  const second = await readFile(fixturePath('chelsea-120x80.jpg'));
  const link = await createLink(a.url, a.apiKey, { flow: 'selfie' });
  const { sessionId, sessionToken } = (await startSession(a.url, tokenOf(link.url))).json;
  const upload = (base: string, image: Buffer, type: string) =>
    call(base, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
      method: 'PUT', headers: { authorization: `Bearer ${sessionToken}`, 'content-type': type }, body: image,
    });

  const uploaded = await upload(a.url, first, 'image/png');
  assert.equal(uploaded.status, 200, uploaded.text);
  const [firstKey, ...more] = await s3.listKeys(bucket);
  assert.match(firstKey ?? '', /^captures\/[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(more, []);
  assert.equal((await s3.getObject(bucket, firstKey!)).indexOf(first.subarray(0, 8)), -1, 'no PNG signature in the bucket');
  assert.ok(!existsSync(join(a.dataDir, 'captures')), 'nothing on the local disk of A');

  const fromB = await download(b.url, b.apiKey, sessionId);
  assert.equal(fromB.status, 200);
  assert.equal(fromB.type, 'image/png');
  assert.ok(fromB.bytes.equals(first), 'B serves the bytes A took');

  // B replaces the capture: the object A wrote goes, A serves the new one.
  assert.equal((await upload(b.url, second, 'image/jpeg')).status, 200);
  const [secondKey, ...others] = await s3.listKeys(bucket);
  assert.notEqual(secondKey, firstKey);
  assert.deepEqual(others, []);
  const fromA = await download(a.url, a.apiKey, sessionId);
  assert.equal(fromA.type, 'image/jpeg');
  assert.ok(fromA.bytes.equals(second), 'A serves the bytes B took');

  const erased = await call(b.url, `/api/v1/sessions/${sessionId}`, { key: b.apiKey, method: 'DELETE' });
  assert.equal(erased.status, 200, erased.text);
  assert.deepEqual(await s3.listKeys(bucket), [], 'erasure through B removed the object from the bucket');
  assert.equal((await download(a.url, a.apiKey, sessionId)).status, 404);

  await Promise.all([a.stop({ keepData: true }), b.stop({ keepData: true })]);
  const logs = [...a.logs, ...b.logs].join('\n');
  assert.match(logs, /"msg":"session erased"/, 'the logs are there to be read');
  assert.match(logs, /"captureStore":"s3:\/\/vn-test-[0-9a-f]+\/captures\/".*"msg":"captures: where they are kept"/);
  for (const secret of [s3.credentials.secretAccessKey, s3.credentials.accessKeyId, secretKey]) {
    assert.ok(!logs.includes(secret), 'a credential in the logs');
  }
  for (const image of [first, second]) {
    for (const encoded of encodingsOf(image)) assert.ok(!logs.includes(encoded), 'image bytes in the logs');
  }
});

/** The spool files a process holds open (unlinked, so only /proc still shows them). */
const openSpoolFiles = (pid: number) => openFilesOf(pid, '/capture-spool/');

test('a process killed halfway through an upload leaves nothing: no object, no spool file', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const s3 = await sharedLocalS3();
  const bucket = await s3.createBucket();
  const server = await spawnServer({ env: { ...s3Env(s3, bucket), DEMO_PORT: 'off' } });
  t.after(() => server.stop());
  const link = await createLink(server.url, server.apiKey, { flow: 'selfie' });
  const { sessionId, sessionToken } = (await startSession(server.url, tokenOf(link.url))).json;
  const image = paddedPng(5_000_000);

  const req = request(`${server.url}/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'image/png', 'content-length': image.length },
  });
  req.on('error', () => {});
  req.write(image.subarray(0, image.length / 2));
  const pid = server.process.pid!;
  // The server opens the spool file, then unlinks it: wait for the second step, not only the first.
  const isUnlinkedSpool = () => openSpoolFiles(pid).some((path) => path.endsWith(' (deleted)'));
  for (let i = 0; i < 100 && !isUnlinkedSpool(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(openSpoolFiles(pid)[0] ?? 'none', /capture-spool\/[A-Za-z0-9_-]{22}\.spool \(deleted\)$/, 'the upload was being spooled, unlinked');
  await server.kill('SIGKILL');
  req.destroy();

  assert.deepEqual(await readdir(join(server.dataDir, 'capture-spool')), []);
  assert.deepEqual(await s3.listKeys(bucket), []);
});

test('a server whose bucket is missing or whose BLOB_STORE_URL is wrong does not start, and says why', async (t) => {
  const s3 = await sharedLocalS3();
  const base = {
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    DEMO_PORT: 'off',
  };
  const dataDir = await mkdtemp(join(tmpdir(), 'vn-nobucket-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));

  await assert.rejects(
    spawnServer({ dataDir, env: { ...base, BLOB_STORE_URL: `s3://missing-bucket/?endpoint=${s3.endpoint}` } }),
    (error: Error) => {
      assert.match(error.message, /server exited with 1/);
      assert.match(error.message, /could not start: BLOB_STORE_URL: the bucket "missing-bucket" at http:\/\/127\.0\.0\.1:\d+ does not exist/);
      assert.ok(!error.message.includes(s3.credentials.secretAccessKey) && !error.message.includes(s3.credentials.accessKeyId));
      return true;
    },
  );
  await assert.rejects(
    spawnServer({ dataDir, env: { ...base, BLOB_STORE_URL: `s3://captures?endpoint=${s3.endpoint}&pathStyle=true` } }),
    /server exited with 2:\nBLOB_STORE_URL: unknown option "pathStyle"/,
  );
});

test('the bucket unreachable: an upload and a download answer 503 with Retry-After, the session keeps what it had', async (t) => {
  const s3 = await startLocalS3();
  const bucket = await s3.createBucket();
  const server = await spawnServer({ env: { ...s3Env(s3, bucket), DEMO_PORT: 'off' } });
  t.after(() => server.stop());
  const image = await readFile(fixturePath('chelsea.png'));
  const link = await createLink(server.url, server.apiKey, { flow: 'selfie' });
  const { sessionId, sessionToken } = (await startSession(server.url, tokenOf(link.url))).json;
  const upload = () =>
    call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
      method: 'PUT', headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'image/png' }, body: image,
    });
  assert.equal((await upload()).status, 200);

  await s3.close();
  for (const answer of [await upload(), await call(server.url, `/api/v1/sessions/${sessionId}/captures/selfie`, { key: server.apiKey })]) {
    assert.equal(answer.status, 503, answer.text);
    assert.equal(answer.headers.get('retry-after'), '5');
    assert.equal(answer.json.error.code, 'service_unavailable');
  }
  const session = await call(server.url, `/api/v1/sessions/${sessionId}`, { key: server.apiKey });
  assert.deepEqual(session.json.captures.map((c: { kind: string }) => c.kind), ['selfie'], 'the first upload is still recorded');
});
