/**
 * Built assets under /assets/: the precompressed copy the browser accepts (brotli, else gzip, else
 * the file itself), with its own Content-Encoding and Content-Length, and nothing outside the
 * assets directory. Raw node:http requests: fetch would decompress and hide what was sent.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { acceptedEncodings } from '../server/pages/assets.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';

let server: InProcessServer;
let webRoot: string;

// Text that compresses, with a random line so no two runs share bytes.
const SCRIPT = Buffer.from(`// ${randomBytes(16).toString('hex')}\n` + 'export const answer = () => 42;\n'.repeat(200));
const ONLY_GZIP = Buffer.from('body { color: rebeccapurple; }\n'.repeat(100));
const PLAIN = Buffer.from('export {};\n');

before(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'vn-assets-'));
  const assets = join(webRoot, 'assets');
  mkdirSync(assets);
  writeFileSync(join(assets, 'app-abc123.js'), SCRIPT);
  writeFileSync(join(assets, 'app-abc123.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(assets, 'app-abc123.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(assets, 'style-abc123.css'), ONLY_GZIP);
  writeFileSync(join(assets, 'style-abc123.css.gz'), gzipSync(ONLY_GZIP));
  writeFileSync(join(assets, 'tiny-abc123.js'), PLAIN);
  // Something beside the assets directory that must never be served through it.
  mkdirSync(join(webRoot, '.vite'));
  writeFileSync(join(webRoot, '.vite', 'manifest.json'), '{}');
  writeFileSync(join(webRoot, 'secret.js'), 'export const secret = 1;');
  server = await startInProcess({ webRoot });
});

after(async () => {
  await server?.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET (or HEAD) with exactly these headers, answering the bytes as sent. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // The path as given, not through URL parsing, which would resolve `..` and `%2E%2E` first.
    const { hostname, port } = new URL(server.url);
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function assertCached(answer: Raw) {
  assert.equal(answer.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(answer.headers.vary, 'accept-encoding');
  assert.equal(Number(answer.headers['content-length']), answer.body.length, 'Content-Length is the length sent');
}

test('a browser that takes brotli gets the .br copy, which decompresses to the file', async () => {
  const answer = await get('/assets/app-abc123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['content-encoding'], 'br');
  assert.equal(answer.headers['content-type'], 'text/javascript; charset=utf-8');
  assertCached(answer);
  assert.ok(answer.body.length < SCRIPT.length);
  assert.deepEqual(brotliDecompressSync(answer.body), SCRIPT);
});

test('gzip only, or brotli refused with q=0: the .gz copy', async () => {
  for (const acceptEncoding of ['gzip', 'br;q=0, gzip;q=0.8', 'identity, gzip;q=1.0']) {
    const answer = await get('/assets/app-abc123.js', { 'accept-encoding': acceptEncoding });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], 'gzip', acceptEncoding);
    assertCached(answer);
    assert.deepEqual(gunzipSync(answer.body), SCRIPT);
  }
});

test('without Accept-Encoding, or accepting nothing we have, the file itself', async () => {
  for (const headers of [{} as Record<string, string>, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'deflate, zstd' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }]) {
    const answer = await get('/assets/app-abc123.js', headers);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], undefined, JSON.stringify(headers));
    assertCached(answer);
    assert.deepEqual(answer.body, SCRIPT);
  }
});

test('the best copy there is: gzip when a file has no brotli copy, identity when it has none', async () => {
  const css = await get('/assets/style-abc123.css', { 'accept-encoding': 'br, gzip' });
  assert.equal(css.headers['content-encoding'], 'gzip');
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  assert.deepEqual(gunzipSync(css.body), ONLY_GZIP);
  const tiny = await get('/assets/tiny-abc123.js', { 'accept-encoding': '*' });
  assert.equal(tiny.headers['content-encoding'], undefined);
  assertCached(tiny);
  assert.deepEqual(tiny.body, PLAIN);
});

test('HEAD answers the headers of the copy GET would send, without a body', async () => {
  const answer = await get('/assets/app-abc123.js', { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['content-encoding'], 'br');
  assert.equal(Number(answer.headers['content-length']), brotliCompressSync(SCRIPT).length);
  assert.equal(answer.body.length, 0);
});

test('unknown files, unknown types and path tricks are 404 JSON, never a file outside assets/', async () => {
  for (const path of [
    '/assets/nope-abc123.js',
    '/assets/app-abc123.js.br', // copies are chosen by Accept-Encoding, not asked for by name
    '/assets/app-abc123.js.gz',
    '/assets/..%2Fsecret.js',
    '/assets/..%2F.vite%2Fmanifest.json',
    '/assets/.%2E%2Fsecret.js',
    '/assets/%2E%2E',
    '/assets/.hidden.js',
    '/assets/app-abc123.js%00.png',
    '/assets/..\\secret.js',
    '/assets/',
    '/assets/../secret.js',
  ]) {
    const answer = await get(path, { 'accept-encoding': 'br, gzip' });
    assert.equal(answer.status, 404, path);
    assert.match(String(answer.headers['content-type']), /^application\/json/, path);
    assert.equal(answer.headers['content-encoding'], undefined, path);
    assert.ok(!answer.body.includes('export const secret'), path);
    assert.deepEqual(Object.keys(JSON.parse(answer.body.toString()).error).sort(), ['code', 'message'], path);
  }
});

test('Accept-Encoding is read with its q-values and wildcard', () => {
  const cases: [string | undefined, string[]][] = [
    [undefined, []],
    ['', []],
    ['gzip, deflate, br', ['br', 'gzip']],
    ['BR;Q=0.5', ['br']],
    ['*', ['br', 'gzip']],
    ['*;q=0', []],
    ['*, br;q=0', ['gzip']],
    ['gzip;q=0, *', ['br']],
    ['gzip;q=abc', []],
    ['identity', []],
  ];
  for (const [header, expected] of cases) assert.deepEqual([...acceptedEncodings(header)], expected, String(header));
});
