import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { fixturePath, spawnServer } from './support/server-process.js';

/** A valid PNG of about `bytes` bytes: the fixture with a large ancillary chunk before IEND. */
async function bigPng(bytes: number): Promise<Buffer> {
  const png = await readFile(fixturePath('chelsea.png'));
  const iend = png.subarray(png.length - 12);
  const data = Buffer.concat([Buffer.from('comment\0'), Buffer.alloc(bytes - png.length - 12, 'x')]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return Buffer.concat([png.subarray(0, png.length - 12), chunk, iend]);
}

test('everything acknowledged survives SIGKILL and a restart', async () => {
  const first = await spawnServer({ credits: 50 });
  const l = await createLink(first.url, first.apiKey, { flow: 'selfie', usageLimit: 3, metadata: { order: '42' } });
  const started = await startSession(first.url, tokenOf(l.url));
  const auth = { authorization: `Bearer ${started.json.sessionToken}` };
  const image = await readFile(fixturePath('chelsea.png'));
  const put = await call(first.url, `/api/v1/flow/sessions/${started.json.sessionId}/captures/selfie`, { method: 'PUT', headers: { ...auth, 'content-type': 'image/png' }, body: image });
  assert.equal(put.status, 200);
  await first.kill('SIGKILL');

  const second = await spawnServer({ dataDir: first.dataDir, apiKey: first.apiKey, credits: 50 });
  try {
    const link = await call(second.url, `/api/v1/links/${l.id}`, { key: second.apiKey });
    assert.equal(link.json.uses, 1);
    assert.deepEqual(link.json.metadata, { order: '42' });
    assert.equal(link.json.url, l.url.replace(new URL(l.url).origin, second.url), 'the same secret: the same token');
    assert.deepEqual((await call(second.url, '/api/v1/account', { key: second.apiKey })).json.credits, { available: 49, held: 1 });
    const download = await fetch(`${second.url}/api/v1/sessions/${started.json.sessionId}/captures/selfie`, { headers: { authorization: `Bearer ${second.apiKey}` } });
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), image);
    // The applicant's token still works after the restart, and the session can be finished.
    const submit = await call(second.url, `/api/v1/flow/sessions/${started.json.sessionId}/submit`, { json: {}, headers: auth });
    assert.equal(submit.json.status, 'review');
  } finally {
    await second.stop();
  }
});

test('SIGKILL in the middle of a 5 MB upload leaves no partial capture, and the upload can be retried', async () => {
  const first = await spawnServer();
  const l = await createLink(first.url, first.apiKey, { flow: 'selfie', usageLimit: null });
  const started = await startSession(first.url, tokenOf(l.url));
  const { sessionId, sessionToken } = started.json;
  const image = await bigPng(5 * 1024 * 1024);

  // Send half the body, wait until the server has written some of it, then kill it.
  const { port } = new URL(first.url);
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'PUT',
    path: `/api/v1/flow/sessions/${sessionId}/captures/selfie`,
    headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'image/png', 'content-length': image.length },
  });
  req.on('error', () => {});
  req.write(image.subarray(0, image.length / 2));
  const capturesDir = join(first.dataDir, 'captures');
  for (let i = 0; i < 100 && !(await readdir(capturesDir)).some((f) => f.endsWith('.tmp')); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok((await readdir(capturesDir)).some((f) => f.endsWith('.tmp')), 'the upload was being written');
  await first.kill('SIGKILL');
  req.destroy();

  const second = await spawnServer({ dataDir: first.dataDir, apiKey: first.apiKey });
  try {
    assert.deepEqual(await readdir(capturesDir), [], 'no partial file survives the restart');
    const detail = await call(second.url, `/api/v1/sessions/${sessionId}`, { key: second.apiKey });
    assert.deepEqual(detail.json.captures, []);
    assert.equal(detail.json.status, 'created');
    const retry = await call(second.url, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'image/png' },
      body: image,
    });
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.json.capture.bytes, image.length);
    const download = await fetch(`${second.url}/api/v1/sessions/${sessionId}/captures/selfie`, { headers: { authorization: `Bearer ${second.apiKey}` } });
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(image));

    // At rest the capture is not an image to anyone without the key.
    const [file] = await readdir(capturesDir);
    const stored = await readFile(join(capturesDir, file!));
    assert.equal(await fileTypeFromBuffer(stored), undefined);
    assert.equal(stored.indexOf(image.subarray(0, 8)), -1, 'no PNG signature on disk');
    assert.equal(stored.indexOf(image.subarray(1000, 1064)), -1, 'no plaintext run on disk');
  } finally {
    await second.stop();
  }
});

test('SIGTERM stops a server whose log reader has gone (a closed pipe)', async () => {
  // The exit raced the first failed write: a few at once, so that a server that could hang would.
  const servers = await Promise.all(Array.from({ length: 4 }, () => spawnServer()));
  for (const server of servers) {
    server.process.stdout!.destroy();
    server.process.stderr!.destroy();
  }
  for (const server of servers) {
    await createLink(server.url, server.apiKey); // something to log at the stop
    server.process.kill('SIGTERM');
  }
  const codes = await Promise.all(
    servers.map((server) => Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000))])),
  );
  for (const server of servers) await server.kill();
  assert.deepEqual(codes, [0, 0, 0, 0]);
  for (const server of servers) await server.stop();
});

test('SIGTERM lets a request in flight finish, then the process exits cleanly', async () => {
  const server = await spawnServer();
  const l = await createLink(server.url, server.apiKey, { flow: 'selfie', usageLimit: null });
  const { sessionId, sessionToken } = (await startSession(server.url, tokenOf(l.url))).json;
  const image = await bigPng(2 * 1024 * 1024);
  const { port } = new URL(server.url);
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'PUT', path: `/api/v1/flow/sessions/${sessionId}/captures/selfie`, headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'image/png', 'content-length': image.length } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.write(image.subarray(0, 1024 * 1024));
    // The rest goes after the server has been told to stop.
    setTimeout(() => {
      server.process.kill('SIGTERM');
      setTimeout(() => req.end(image.subarray(1024 * 1024)), 200);
    }, 200);
  });
  const { status, body } = await answer;
  assert.equal(status, 200, body);
  assert.equal(await server.exited, 0);
  assert.ok(server.logs.some((line) => line.includes('"msg":"stopped"')));
  // And what it acknowledged is there after a restart.
  const again = await spawnServer({ dataDir: server.dataDir, apiKey: server.apiKey });
  try {
    const detail = await call(again.url, `/api/v1/sessions/${sessionId}`, { key: again.apiKey });
    assert.equal(detail.json.captures[0].bytes, image.length);
  } finally {
    await again.stop();
  }
});
