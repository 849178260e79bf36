/**
 * A merchant's download of a capture that stops halfway (a closed tab, a dropped connection) must
 * not leave the server waiting on the socket with the encrypted file open.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { paddedPng } from '../bench/png.js';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { openFilesOf, spawnServer } from './support/server-process.js';

/** The capture files the server process holds open right now. */
const openCaptureFiles = (pid: number) => openFilesOf(pid, '/captures/');

test('a capture download cut off halfway closes the file on the server', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const server = await spawnServer();
  try {
    const link = await createLink(server.url, server.apiKey, { flow: 'selfie' });
    const started = (await startSession(server.url, tokenOf(link.url))).json;
    const uploaded = await call(server.url, `/api/v1/flow/sessions/${started.sessionId}/captures/selfie`, {
      method: 'PUT', headers: { authorization: `Bearer ${started.sessionToken}`, 'content-type': 'image/png' }, body: paddedPng(8_000_000),
    });
    assert.equal(uploaded.status, 200, uploaded.text);

    // Read a little, then stop reading so the server's writes back up, then hang up.
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/api/v1/sessions/${started.sessionId}/captures/selfie`, { headers: { authorization: `Bearer ${server.apiKey}` } }, (res) => {
        assert.equal(res.statusCode, 200);
        res.once('data', () => {
          res.pause();
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 300);
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
      req.end();
    });

    const pid = server.process.pid!;
    const deadline = Date.now() + 5_000;
    while (openCaptureFiles(pid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(openCaptureFiles(pid), [], 'no capture file left open');
    assert.equal((await call(server.url, '/api/v1/account', { key: server.apiKey })).status, 200, 'and the server answers as before');
  } finally {
    await server.stop();
  }
});
