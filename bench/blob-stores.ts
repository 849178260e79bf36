/**
 * `node dist/bench/blob-stores.js`: a capture's upload → stored latency in the local store and in
 * the S3 store against s3rver (an S3-compatible server from npm, in a process of its own on
 * 127.0.0.1), and this process's memory while 50 uploads go to S3 at once. The stores are called
 * directly, without HTTP in front: what differs is the store. Bounded: a fixed number of uploads.
 *
 *   BENCH_UPLOADS   sequential uploads per store (default 20)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from '../server/captures/blob-store.js';
import { LocalBlobStore } from '../server/captures/local-blob-store.js';
import { S3BlobStore } from '../server/captures/s3-blob-store.js';
import { REPO_ROOT } from '../test/support/server-process.js';
import { rssOf, sampleRss } from './machine.js';
import { paddedPng } from './png.js';

const UPLOADS = Number(process.env.BENCH_UPLOADS) || 20;
const UPLOAD_BYTES = 5_000_000;
const PARALLEL = 50;
const PIECE_BYTES = 64 * 1024;
const MB = 1e6;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** The upload as an HTTP request body arrives: 64 KiB pieces. */
async function* piecesOf(data: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += PIECE_BYTES) yield data.subarray(at, at + PIECE_BYTES);
}

async function startS3rver(directory: string) {
  const script = `
    import S3rver from 's3rver';
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(directory)} });
    const { port } = await server.run();
    console.log('port ' + port);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('s3rver did not start')), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(Number(line.split(' ')[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function latencies(blobs: BlobStore, image: Buffer): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < UPLOADS + 2; i++) {
    const started = performance.now();
    const { blobId } = await blobs.write(piecesOf(image), { maxBytes: UPLOAD_BYTES, aad: 'bench/selfie' });
    if (i >= 2) ms.push(performance.now() - started); // the first two warm the path up
    await blobs.delete(blobId);
  }
  return ms.sort((a, b) => a - b);
}

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
const line = (name: string, ms: number[]) =>
  console.log(`${name.padEnd(34)} p50 ${at(ms, 0.5).toFixed(1)} ms   p90 ${at(ms, 0.9).toFixed(1)} ms   max ${ms.at(-1)!.toFixed(1)} ms`);

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vn-bench-blobs-'));
  const s3rver = await startS3rver(join(root, 's3'));
  try {
    const image = paddedPng(UPLOAD_BYTES);
    const masterKey = randomBytes(32);
    const local = new LocalBlobStore(join(root, 'captures'), masterKey);
    await local.init();
    const admin = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true, credentials });
    await admin.send(new CreateBucketCommand({ Bucket: 'bench' }));
    admin.destroy();
    const s3 = new S3BlobStore({
      bucket: 'bench', prefix: 'captures/', region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true,
      spoolDir: join(root, 'spool'), masterKey, credentials,
    });
    await s3.init();

    console.log(`upload → stored, ${UPLOADS} sequential ${(UPLOAD_BYTES / MB).toFixed(0)} MB PNGs, 64 KiB pieces:`);
    line('local disk (fsync + rename)', await latencies(local, image));
    line('S3 (spool, then PUT to s3rver)', await latencies(s3, image));

    for (const [name, blobs] of [['local', local], ['S3', s3]] as const) {
      const before = rssOf(process.pid);
      const sampler = sampleRss(process.pid, 20);
      const started = performance.now();
      const stored = await Promise.all(Array.from({ length: PARALLEL }, () => blobs.write(piecesOf(image), { maxBytes: UPLOAD_BYTES, aad: 'bench/selfie' })));
      const elapsed = performance.now() - started;
      const { peak } = sampler.stop();
      console.log(
        `${PARALLEL} parallel to ${name}: ${elapsed.toFixed(0)} ms, RSS growth ${((peak - before) / MB).toFixed(1)} MB ` +
          `(before ${(before / MB).toFixed(1)} MB; the uploads' ${((PARALLEL * UPLOAD_BYTES) / MB).toFixed(0)} MB come from one shared buffer)`,
      );
      await Promise.all(stored.map(({ blobId }) => blobs.delete(blobId)));
    }
  } finally {
    s3rver.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
