/**
 * What only the S3 store has: its configuration, its start-up check of the bucket, how it
 * stores objects, what it tells (and keeps out of) an error, its retry from the spool file, and
 * an orphan sweep that touches nothing but its own blobs. The contract both stores keep is in
 * capture-blob-store.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { S3BlobStore, S3RequestError, type S3BlobStoreOptions } from '../server/captures/s3-blob-store.js';
import { ManualClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { ORPHAN_MIN_AGE_MS, removeOrphanBlobs } from '../server/sweeper.js';
import { collect, sharedLocalS3 } from './support/blob-backends.js';

const here = dirname(fileURLToPath(import.meta.url));
// Run from test/ (tsx) or from dist/test/ (compiled): the fixtures stay in the source tree.
const fixturesDir = existsSync(join(here, 'fixtures')) ? join(here, 'fixtures') : join(here, '../../test/fixtures');
const fixture = (name: string) => readFile(join(fixturesDir, name));

const AAD = 'session-1/selfie';
const write = (blobs: S3BlobStore, image: Buffer) => blobs.write(Readable.from([image]), { maxBytes: 10_000_000, aad: AAD });
const readAll = async (source: AsyncIterable<Buffer>) => Buffer.concat(await collect(source));

/** A store on a new bucket of the shared local S3 server; `overrides` can point it elsewhere. */
async function newS3Store(t: TestContext, overrides: Partial<S3BlobStoreOptions> = {}) {
  const s3 = await sharedLocalS3();
  const bucket = await s3.createBucket();
  const spoolRoot = await mkdtemp(join(tmpdir(), 'spool-'));
  t.after(() => rm(spoolRoot, { recursive: true, force: true }));
  const spoolDir = join(spoolRoot, 'spool');
  const blobs = new S3BlobStore({
    bucket,
    prefix: 'captures/',
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    spoolDir,
    masterKey: randomBytes(32),
    credentials: s3.credentials,
    ...overrides,
  });
  return { s3, bucket, blobs, spoolDir };
}

const blobStoreOf = (url: string) => loadConfig({ DATA_DIR: '/srv/vn', BLOB_STORE_URL: url }).blobStore;

test('BLOB_STORE_URL: unset is DATA_DIR/captures; s3://bucket/prefix takes endpoint, region and forcePathStyle', () => {
  assert.deepEqual(loadConfig({ DATA_DIR: '/srv/vn' }).blobStore, { kind: 'local', dir: '/srv/vn/captures' });
  assert.deepEqual(loadConfig({ DATA_DIR: '/srv/vn', BLOB_STORE_URL: '' }).blobStore, { kind: 'local', dir: '/srv/vn/captures' });
  assert.deepEqual(blobStoreOf('s3://vn-captures'), {
    kind: 's3', bucket: 'vn-captures', prefix: '', endpoint: undefined, region: 'us-east-1', forcePathStyle: false, spoolDir: '/srv/vn/capture-spool',
  });
  assert.deepEqual(blobStoreOf('s3://vn-captures/prod/eu?endpoint=http://127.0.0.1:9000/&region=eu-central-1'), {
    kind: 's3', bucket: 'vn-captures', prefix: 'prod/eu/', endpoint: 'http://127.0.0.1:9000', region: 'eu-central-1', forcePathStyle: true, spoolDir: '/srv/vn/capture-spool',
  });
  assert.equal((blobStoreOf('s3://b.example/?endpoint=https://r2.example.com&forcePathStyle=false') as { forcePathStyle: boolean }).forcePathStyle, false);
  assert.equal((blobStoreOf('s3://vn-captures/x/?forcePathStyle=true') as { prefix: string }).prefix, 'x/');
});

test('BLOB_STORE_URL: a bad value stops the start with a message that names the mistake', () => {
  const refusals: [string, RegExp][] = [
    ['/srv/captures', /BLOB_STORE_URL must be s3:\/\/<bucket>/],
    ['gs://bucket/x', /BLOB_STORE_URL must be s3:\/\/<bucket>/],
    ['s3:///captures', /BLOB_STORE_URL: name the bucket/],
    ['s3://Big_Bucket/x', /"Big_Bucket" is not a bucket name/],
    ['s3://vn-captures:9000/x', /give the server as endpoint=/],
    ['s3://vn-captures/x?endpont=http://127.0.0.1:9000', /unknown option "endpont" \(known: endpoint, region, forcePathStyle\)/],
    ['s3://vn-captures/x?endpoint=127.0.0.1:9000', /endpoint must be an http\(s\) URL/],
    ['s3://vn-captures/x?endpoint=ftp://127.0.0.1', /endpoint must be an http\(s\) URL/],
    ['s3://vn-captures/x?forcePathStyle=yes', /forcePathStyle must be true or false/],
    ['s3://vn-captures/x?region=Europe', /region must look like eu-central-1/],
    ['s3://vn-captures/%zz', /% that starts no valid escape/],
  ];
  for (const [url, message] of refusals) assert.throws(() => blobStoreOf(url), message, url);
});

test('BLOB_STORE_URL: credentials in the URL are refused without being repeated', () => {
  for (const url of ['s3://AKIAEXAMPLE:wJalrSECRETKEY@vn-captures/x', 's3://vn-captures/x?endpoint=http://AKIAEXAMPLE:wJalrSECRETKEY@127.0.0.1:9000']) {
    assert.throws(() => blobStoreOf(url), (error: Error) => {
      assert.match(error.message, /put no credentials in .*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      assert.ok(!error.message.includes('wJalrSECRETKEY') && !error.message.includes('AKIAEXAMPLE'), error.message);
      return true;
    });
  }
});

test('init() fails with a sentence naming the problem: no such bucket, access refused, nothing listening', async (t) => {
  const missing = await newS3Store(t, { bucket: 'no-such-bucket' });
  await assert.rejects(missing.blobs.init(), /^Error: BLOB_STORE_URL: the bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ does not exist/);

  const strangerKeyId = 'VNTESTSTRANGER0000';
  const stranger = await newS3Store(t, { credentials: { accessKeyId: strangerKeyId, secretAccessKey: 'x'.repeat(40) } });
  await assert.rejects(stranger.blobs.init(), (error: Error) => {
    assert.match(error.message, /refused access \(HTTP 403\): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    assert.ok(!error.message.includes(strangerKeyId));
    return true;
  });

  const closed = await listenThenClose();
  const nobody = await newS3Store(t, { endpoint: closed });
  await assert.rejects(nobody.blobs.init(), new RegExp(`at ${closed} is not reachable \\(ECONNREFUSED\\)`));
});

test('an object is the ciphertext, sent as application/octet-stream under <prefix><blobId>', async (t) => {
  const { s3, bucket, blobs, spoolDir } = await newS3Store(t);
  await blobs.init();
  const image = await fixture('chelsea.png');
  const { blobId } = await write(blobs, image);
  assert.deepEqual(await s3.listKeys(bucket), [`captures/${blobId}`]);
  const head = await s3.headObject(bucket, `captures/${blobId}`);
  assert.equal(head.contentType, 'application/octet-stream');
  assert.equal(head.bytes, 20 + image.length + 16 * Math.ceil(image.length / 65_536));
  assert.deepEqual(await readdir(spoolDir), [], 'the spool file went with its upload');
});

test('a failed S3 request names the operation and the status, not what the error body echoes of the request', async (t) => {
  const accessKeyId = `VNTESTUNKNOWN${randomBytes(4).toString('hex').toUpperCase()}`;
  const { s3, bucket, blobs, spoolDir } = await newS3Store(t, { credentials: { accessKeyId, secretAccessKey: 'y'.repeat(40) } });
  await mkdir(spoolDir, { recursive: true }); // what init() does before it finds the key refused
  await assert.rejects(write(blobs, await fixture('chelsea-120x80.jpg')), (error: unknown) => {
    assert.ok(error instanceof S3RequestError, String(error));
    assert.equal(error.operation, 'PutObject');
    assert.equal(error.status, 403);
    assert.equal(error.s3Code, 'InvalidAccessKeyId');
    // As the server's log would write it: s3rver, like AWS, puts the key id in its error body.
    const logged: string[] = [];
    const log = createLogger('error', new Writable({
      write(line, _, done) {
        logged.push(String(line));
        done();
      },
    }));
    log.error({ err: error }, 'unexpected error');
    assert.match(logged.join(''), /S3 PutObject failed: InvalidAccessKeyId/);
    assert.ok(!logged.join('').includes(accessKeyId), logged.join(''));
    return true;
  });
  assert.deepEqual(await s3.listKeys(bucket), []);
  assert.deepEqual(await readdir(spoolDir), []);
});

test('a PUT the server failed (503 SlowDown) is sent again from the spool file, whole', async (t) => {
  const { s3, bucket } = await newS3Store(t);
  const flaky = await flakyProxy(t, s3.endpoint);
  const { blobs } = await newS3Store(t, { endpoint: flaky.endpoint, bucket });
  await blobs.init();
  const image = await fixture('chelsea.png');
  const { blobId } = await write(blobs, image);
  assert.equal(flaky.putsRefused, 1);
  assert.equal(flaky.putsPassed, 1);
  assert.deepEqual(await readAll(blobs.read(blobId, AAD)), image);
});

test('the orphan sweep removes only its own old blobs: not other keys, nor keys outside its prefix', async (t) => {
  const { s3, bucket, blobs } = await newS3Store(t);
  await blobs.init();
  const { blobId } = await write(blobs, await fixture('chelsea-120x80.jpg'));
  const someoneElses = ['captures/readme.txt', `captures/${'A'.repeat(22)}/nested`, `other/${'B'.repeat(22)}`, 'B'.repeat(22)];
  for (const key of someoneElses) await s3.putObject(bucket, key, Buffer.from('not ours'));

  const clock = new ManualClock(Date.now() + ORPHAN_MIN_AGE_MS + 60_000);
  await removeOrphanBlobs({ isBlobReferenced: async () => false }, blobs, clock, createLogger('silent'));
  assert.deepEqual(await s3.listKeys(bucket), someoneElses.sort());
  assert.deepEqual(await collect(blobs.listBlobIdsWrittenBefore(Infinity)), []);
  await assert.rejects(readAll(blobs.read(blobId, AAD)), /No such capture/);
});

/** An address where nothing listens any more. */
async function listenThenClose(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A proxy in front of the S3 server that answers the first PutObject with 503 SlowDown. */
async function flakyProxy(t: TestContext, target: string) {
  const counts = { putsRefused: 0, putsPassed: 0 };
  const server: Server = createServer((req, res) => {
    if (req.method === 'PUT' && counts.putsRefused === 0) {
      counts.putsRefused++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>');
      });
      return;
    }
    if (req.method === 'PUT') counts.putsPassed++;
    const forwarded = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  server.unref();
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get putsRefused() {
      return counts.putsRefused;
    },
    get putsPassed() {
      return counts.putsPassed;
    },
  };
}
