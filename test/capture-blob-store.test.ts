import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import type { BlobStore } from '../server/captures/blob-store.js';
import {
  CaptureEncryptor,
  CorruptCaptureError,
  decryptChunks,
  PLAIN_CHUNK_BYTES,
  STORED_CHUNK_BYTES,
} from '../server/captures/encryption.js';
import { ManualClock } from '../server/clock.js';
import { HttpError } from '../server/http/errors.js';
import { createLogger } from '../server/log.js';
import type { Store } from '../server/store/store.js';
import { ORPHAN_MIN_AGE_MS, removeOrphanBlobs, startOrphanSweeper } from '../server/sweeper.js';
import { backends, collect, type Storage } from './support/blob-backends.js';

const here = dirname(fileURLToPath(import.meta.url));
// Run from test/ (tsx) or from dist/test/ (compiled): the fixtures stay in the source tree.
const fixturesDir = existsSync(join(here, 'fixtures'))
  ? join(here, 'fixtures')
  : join(here, '../../test/fixtures');
const fixture = (name: string) => readFile(join(fixturesDir, name));

const AAD = 'session-1/selfie';
const MAX_BYTES = 10 * 1024 * 1024;
const HEADER_BYTES = 20;

async function* piecesOf(data: Buffer, pieceBytes = 10_000): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.length; offset += pieceBytes) {
    yield data.subarray(offset, offset + pieceBytes);
  }
}

async function readAll(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of source) pieces.push(piece);
  return Buffer.concat(pieces);
}

const store = (image: Buffer, into: BlobStore, maxBytes = MAX_BYTES) =>
  into.write(piecesOf(image), { maxBytes, aad: AAD });

const everyBlobId = async (blobs: BlobStore) => (await collect(blobs.listBlobIdsWrittenBefore(Infinity))).sort();

const isHttpError = (status: number, code: string) => (error: unknown) => {
  assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
  assert.equal(error.status, status);
  assert.equal(error.code, code);
  return true;
};

async function assertNothingLeft(storage: Storage) {
  assert.deepEqual(await storage.everything(), []);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A valid PNG made big by a tEXt chunk placed before the image data, as some cameras do. */
function pngWithBigTextChunk(png: Buffer, textBytes: number): Buffer {
  const afterIhdr = 8 + 25;
  const text = Buffer.from(randomBytes(textBytes / 2).toString('hex'), 'latin1');
  const chunk = pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), text]));
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** A valid JPEG whose size (SOF) comes after `segments` 60 KB APP2 segments, like a big ICC profile. */
function jpegWithMetadataFirst(jpeg: Buffer, segments: number): Buffer {
  const segment = Buffer.alloc(4 + 60_000, 0x20);
  segment.writeUInt16BE(0xffe2, 0);
  segment.writeUInt16BE(2 + 60_000, 2);
  return Buffer.concat([jpeg.subarray(0, 2), ...Array(segments).fill(segment), jpeg.subarray(2)]);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const silentLog = createLogger('silent');

// The same contract, word for word, for the store on local disk and the one in an S3 bucket.
for (const { name: backend, newStore } of backends) {
  for (const [name, contentType, width, height] of [
    ['chelsea.png', 'image/png', 451, 300],
    ['chelsea-120x80.jpg', 'image/jpeg', 120, 80],
    ['chelsea-120x80.webp', 'image/webp', 120, 80],
  ] as const) {
    test(`${backend}: ${name} round-trips byte for byte, with its type, size and sha256`, async (t) => {
      const { blobs } = await newStore(t);
      const image = await fixture(name);
      const stored = await store(image, blobs);
      assert.match(stored.blobId, /^[A-Za-z0-9_-]{22}$/);
      assert.deepEqual(
        { ...stored, blobId: undefined },
        { blobId: undefined, bytes: image.length, contentType, width, height, sha256: sha256(image) },
      );
      assert.deepEqual(await readAll(blobs.read(stored.blobId, AAD)), image);
      assert.deepEqual(await everyBlobId(blobs), [stored.blobId]);
    });
  }

  test(`${backend}: a 5 MB PNG spanning many chunks round-trips`, async (t) => {
    const { blobs } = await newStore(t);
    const image = pngWithBigTextChunk(await fixture('chelsea.png'), 5 * 1024 * 1024);
    const stored = await blobs.write(piecesOf(image, 16_384), { maxBytes: MAX_BYTES, aad: AAD });
    assert.equal(stored.contentType, 'image/png');
    assert.equal(stored.width, 451);
    const read = await readAll(blobs.read(stored.blobId, AAD));
    assert.equal(read.length, image.length);
    assert.ok(read.equals(image));
  });

  test(`${backend}: a JPEG whose size sits behind 180 KB of metadata still reports it; behind 300 KB, null`, async (t) => {
    const { blobs } = await newStore(t);
    const jpeg = await fixture('chelsea-120x80.jpg');
    const near = await store(jpegWithMetadataFirst(jpeg, 3), blobs);
    assert.deepEqual([near.contentType, near.width, near.height], ['image/jpeg', 120, 80]);
    const far = await store(jpegWithMetadataFirst(jpeg, 5), blobs);
    assert.deepEqual([far.contentType, far.width, far.height], ['image/jpeg', null, null]);
  });

  test(`${backend}: what is stored is not an image without the key`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const image = await fixture('chelsea.png');
    const { blobId } = await store(image, blobs);
    const stored = await storage.get(blobId);

    assert.equal(stored.length, HEADER_BYTES + image.length + 16 * Math.ceil(image.length / PLAIN_CHUNK_BYTES));
    assert.equal(stored.indexOf(image.subarray(0, 8)), -1, 'PNG signature found');
    const storedRuns = new Set<string>();
    for (let i = 0; i + 32 <= stored.length; i++) storedRuns.add(stored.toString('latin1', i, i + 32));
    for (let i = 0; i + 32 <= image.length; i++) {
      assert.ok(!storedRuns.has(image.toString('latin1', i, i + 32)), `plaintext bytes ${i}… found in storage`);
    }
    assert.equal(await fileTypeFromBuffer(stored), undefined);
  });

  test(`${backend}: reading with the wrong aad or the wrong key fails`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const { blobId } = await store(await fixture('chelsea.png'), blobs);
    await assert.rejects(readAll(blobs.read(blobId, 'session-2/selfie')), CorruptCaptureError);
    await assert.rejects(readAll(storage.withKey(randomBytes(32)).read(blobId, AAD)), CorruptCaptureError);
  });

  test(`${backend}: a tampered blob fails: last chunk dropped, a byte flipped, bytes appended, chunks swapped`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const image = await fixture('chelsea.png'); // 240 KB: three full chunks and a short last one
    const { blobId } = await store(image, blobs);
    const original = await storage.get(blobId);
    const lastChunkBytes = (image.length % PLAIN_CHUNK_BYTES || PLAIN_CHUNK_BYTES) + 16;
    const chunk = (i: number) => original.subarray(HEADER_BYTES + i * STORED_CHUNK_BYTES, HEADER_BYTES + (i + 1) * STORED_CHUNK_BYTES);

    const tamperings: Record<string, () => Buffer> = {
      'last chunk dropped': () => original.subarray(0, original.length - lastChunkBytes),
      'last byte dropped': () => original.subarray(0, original.length - 1),
      'a byte flipped': () => {
        const flipped = Buffer.from(original);
        flipped[HEADER_BYTES + STORED_CHUNK_BYTES + 100]! ^= 0x01;
        return flipped;
      },
      'bytes appended': () => Buffer.concat([original, Buffer.from([0, 0])]),
      'chunks swapped': () =>
        Buffer.concat([original.subarray(0, HEADER_BYTES), chunk(1), chunk(0), original.subarray(HEADER_BYTES + 2 * STORED_CHUNK_BYTES)]),
      'header only': () => original.subarray(0, HEADER_BYTES),
    };
    for (const [what, tamper] of Object.entries(tamperings)) {
      await storage.put(blobId, tamper());
      await assert.rejects(readAll(blobs.read(blobId, AAD)), CorruptCaptureError, what);
      await storage.put(blobId, original);
    }
    assert.deepEqual(await readAll(blobs.read(blobId, AAD)), image);
  });

  test(`${backend}: no plaintext of a chunk is released before its tag is checked`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const image = await fixture('chelsea.png');
    const { blobId } = await store(image, blobs);
    const flipped = await storage.get(blobId);
    flipped[HEADER_BYTES + STORED_CHUNK_BYTES + 5]! ^= 0x80; // inside chunk 1
    await storage.put(blobId, flipped);
    const released: Buffer[] = [];
    await assert.rejects(async () => {
      for await (const chunk of blobs.read(blobId, AAD)) released.push(chunk);
    }, CorruptCaptureError);
    assert.deepEqual(Buffer.concat(released), image.subarray(0, PLAIN_CHUNK_BYTES));
  });

  test(`${backend}: an upload over maxBytes is refused with 413 without reading the rest, and leaves nothing`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const image = pngWithBigTextChunk(await fixture('chelsea.png'), 2 * 1024 * 1024);
    let piecesRead = 0;
    async function* counted() {
      for await (const piece of piecesOf(image)) {
        piecesRead++;
        yield piece;
      }
    }
    await assert.rejects(blobs.write(counted(), { maxBytes: 300_000, aad: AAD }), isHttpError(413, 'payload_too_large'));
    assert.equal(piecesRead, 31);
    await assertNothingLeft(storage);
  });

  test(`${backend}: an upload of exactly maxBytes is accepted`, async (t) => {
    const { blobs } = await newStore(t);
    const image = await fixture('chelsea-120x80.webp');
    assert.equal((await store(image, blobs, image.length)).bytes, image.length);
  });

  test(`${backend}: a file that is not a JPEG, PNG or WebP is refused with 415 from its first bytes`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.alloc(1_000_000, 0x20)]);
    const text = Buffer.alloc(1_000_000, 'Dear applicant, ');
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(100)]);
    for (const notAnAcceptedImage of [pdf, text, gif]) {
      let piecesRead = 0;
      async function* counted() {
        for await (const piece of piecesOf(notAnAcceptedImage, 1000)) {
          piecesRead++;
          yield piece;
        }
      }
      await assert.rejects(blobs.write(counted(), { maxBytes: MAX_BYTES, aad: AAD }), (error: unknown) => {
        isHttpError(415, 'unsupported_image_type')(error);
        assert.match((error as Error).message, /image\/jpeg.*image\/png.*image\/webp/);
        return true;
      });
      assert.ok(piecesRead <= 5, `read ${piecesRead} pieces before refusing`);
      await assertNothingLeft(storage);
    }
  });

  test(`${backend}: a truncated PNG, JPEG or WebP is refused with 422 and leaves nothing`, async (t) => {
    const { blobs, storage } = await newStore(t);
    for (const name of ['chelsea.png', 'chelsea-120x80.jpg', 'chelsea-120x80.webp']) {
      const image = await fixture(name);
      for (const keptBytes of [Math.floor(image.length / 2), image.length - 1]) {
        await assert.rejects(store(image.subarray(0, keptBytes), blobs), isHttpError(422, 'invalid_image'), name);
        await assertNothingLeft(storage);
      }
    }
    const jpegWithoutFrame = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200), Buffer.from([0xff, 0xd9])]);
    await assert.rejects(store(jpegWithoutFrame, blobs), isHttpError(422, 'invalid_image'), 'JPEG without a frame');
    await assertNothingLeft(storage);
  });

  test(`${backend}: an empty upload is refused with 400`, async (t) => {
    const { blobs, storage } = await newStore(t);
    await assert.rejects(store(Buffer.alloc(0), blobs), isHttpError(400, 'empty_body'));
    await assertNothingLeft(storage);
  });

  test(`${backend}: an upload whose stream fails halfway rejects with that error and leaves nothing`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const image = await fixture('chelsea.png');
    async function* failingHalfway() {
      yield image.subarray(0, 150_000);
      throw new Error('connection reset');
    }
    await assert.rejects(blobs.write(failingHalfway(), { maxBytes: MAX_BYTES, aad: AAD }), /connection reset/);
    await assertNothingLeft(storage);

    const aborted = new Readable({ read() {} });
    aborted.push(image.subarray(0, 100_000));
    setTimeout(() => aborted.destroy(new Error('aborted')), 20);
    await assert.rejects(blobs.write(aborted, { maxBytes: MAX_BYTES, aad: AAD }), /aborted/);
    await assertNothingLeft(storage);
  });

  test(`${backend}: init() removes what interrupted uploads left and keeps stored blobs`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const { blobId } = await store(await fixture('chelsea-120x80.jpg'), blobs);
    await storage.leaveInterruptedUpload();
    assert.equal((await storage.everything()).length, 2);
    await blobs.init();
    assert.deepEqual(await storage.everything(), [storage.nameOf(blobId)]);
  });

  test(`${backend}: delete removes a blob, twice is fine; unknown or malformed ids are not found`, async (t) => {
    const { blobs, storage } = await newStore(t);
    const { blobId } = await store(await fixture('chelsea-120x80.webp'), blobs);
    await blobs.delete(blobId);
    await blobs.delete(blobId);
    assert.deepEqual(await everyBlobId(blobs), []);
    await assertNothingLeft(storage);
    await assert.rejects(readAll(blobs.read(blobId, AAD)), isHttpError(404, 'not_found'));
    assert.throws(() => blobs.read('../../etc/passwd', AAD), isHttpError(404, 'not_found'));
    await assert.rejects(blobs.delete('../outside'), isHttpError(404, 'not_found'));
  });

  test(`${backend}: the orphan sweep removes an unreferenced blob only once it is an hour old`, async (t) => {
    const { blobs } = await newStore(t);
    const image = await fixture('chelsea-120x80.jpg');
    const recorded = await store(image, blobs);
    const orphan = await store(image, blobs);
    // The capture rows: only the first upload got one (the second's process is, say, still busy).
    const rows = { isBlobReferenced: async (blobId: string) => blobId === recorded.blobId };
    const clock = new ManualClock(Date.now());
    const both = [recorded.blobId, orphan.blobId].sort();

    await removeOrphanBlobs(rows, blobs, clock, silentLog);
    assert.deepEqual(await everyBlobId(blobs), both, 'a fresh blob is kept');
    clock.advance(ORPHAN_MIN_AGE_MS - 60_000);
    await removeOrphanBlobs(rows, blobs, clock, silentLog);
    assert.deepEqual(await everyBlobId(blobs), both, 'still kept a minute short of the age');
    clock.advance(2 * 60_000);
    await removeOrphanBlobs(rows, blobs, clock, silentLog);
    assert.deepEqual(await everyBlobId(blobs), [recorded.blobId], 'the old orphan is gone, the recorded blob stays');
    await assert.rejects(readAll(blobs.read(orphan.blobId, AAD)), isHttpError(404, 'not_found'));
    assert.deepEqual(await readAll(blobs.read(recorded.blobId, AAD)), image);
  });

  test(`${backend}: a running server keeps sweeping: a blob orphaned just before a restart goes once it is an hour old`, async (t) => {
    const { blobs } = await newStore(t);
    const orphan = await store(await fixture('chelsea-120x80.jpg'), blobs);
    const clock = new ManualClock(Date.now());
    const stop = startOrphanSweeper({ isBlobReferenced: async () => false } as unknown as Store, blobs, clock, silentLog, 20);
    t.after(stop);
    await sleep(100);
    assert.deepEqual(await everyBlobId(blobs), [orphan.blobId], 'kept at start-up: too young');
    clock.advance(ORPHAN_MIN_AGE_MS + 60_000);
    for (let waited = 0; (await everyBlobId(blobs)).length > 0 && waited < 5000; waited += 20) await sleep(20);
    assert.deepEqual(await everyBlobId(blobs), [], 'removed by a later run, no restart needed');
  });
}

test('stopping the orphan sweep does not wait for the rest of a long bucket listing', async () => {
  let listed = 0;
  const endless: BlobStore = {
    async *listBlobIdsWrittenBefore() {
      for (;;) {
        await sleep(5);
        yield `blob${listed++}`;
      }
    },
  } as unknown as BlobStore;
  const stop = startOrphanSweeper({ isBlobReferenced: async () => true } as unknown as Store, endless, new ManualClock(Date.now()), silentLog);
  await sleep(50);
  await stop();
  const atStop = listed;
  await sleep(50);
  assert.ok(atStop > 0 && listed <= atStop + 1, `the listing ended with the stop (${atStop} listed, then ${listed})`);
});

test('the encryption round-trips any length, chunk boundaries included, read in any piece size', async () => {
  const masterKey = randomBytes(32);
  const lengths = [0, 1, PLAIN_CHUNK_BYTES - 1, PLAIN_CHUNK_BYTES, PLAIN_CHUNK_BYTES + 1, 2 * PLAIN_CHUNK_BYTES];
  for (const length of lengths) {
    const plain = randomBytes(length);
    const encryptor = new CaptureEncryptor(masterKey, AAD);
    const file = Buffer.concat([
      ...encryptor.push(plain.subarray(0, 1000)),
      ...encryptor.push(plain.subarray(1000)),
      encryptor.finish(),
    ]);
    const chunkCount = Math.max(1, Math.ceil(length / PLAIN_CHUNK_BYTES));
    assert.equal(file.length, HEADER_BYTES + length + 16 * chunkCount, `length ${length}`);
    for (const pieceBytes of [1 + (length % 7), 4096, STORED_CHUNK_BYTES + 3]) {
      if (pieceBytes < 100 && length > 100_000) continue;
      assert.deepEqual(await readAll(decryptChunks(piecesOf(file, pieceBytes), masterKey, AAD)), plain);
    }
  }
});
