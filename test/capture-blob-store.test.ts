import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import { CaptureBlobStore } from '../server/captures/blob-store.js';
import {
  CaptureEncryptor,
  CorruptCaptureError,
  decryptChunks,
  PLAIN_CHUNK_BYTES,
  STORED_CHUNK_BYTES,
} from '../server/captures/encryption.js';
import { HttpError } from '../server/http/errors.js';

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

async function newStore(t: TestContext, masterKey = randomBytes(32)) {
  const dir = join(await mkdtemp(join(tmpdir(), 'captures-')), 'captures');
  t.after(() => rm(dirname(dir), { recursive: true, force: true }));
  const store = new CaptureBlobStore(dir, masterKey);
  await store.init();
  return { store, dir, masterKey };
}

const store = (image: Buffer, into: CaptureBlobStore, maxBytes = MAX_BYTES) =>
  into.write(piecesOf(image), { maxBytes, aad: AAD });

const isHttpError = (status: number, code: string) => (error: unknown) => {
  assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
  assert.equal(error.status, status);
  assert.equal(error.code, code);
  return true;
};

async function assertNothingLeft(dir: string) {
  assert.deepEqual(await readdir(dir), []);
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

for (const [name, contentType, width, height] of [
  ['chelsea.png', 'image/png', 451, 300],
  ['chelsea-120x80.jpg', 'image/jpeg', 120, 80],
  ['chelsea-120x80.webp', 'image/webp', 120, 80],
] as const) {
  test(`${name} round-trips byte for byte, with its type, size and sha256`, async (t) => {
    const { store: blobs } = await newStore(t);
    const image = await fixture(name);
    const stored = await store(image, blobs);
    assert.match(stored.blobId, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(
      { ...stored, blobId: undefined },
      { blobId: undefined, bytes: image.length, contentType, width, height, sha256: sha256(image) },
    );
    assert.deepEqual(await readAll(blobs.read(stored.blobId, AAD)), image);
    assert.deepEqual(await blobs.listBlobIds(), [stored.blobId]);
  });
}

test('a 5 MB PNG spanning many chunks round-trips', async (t) => {
  const { store: blobs } = await newStore(t);
  const image = pngWithBigTextChunk(await fixture('chelsea.png'), 5 * 1024 * 1024);
  const stored = await blobs.write(piecesOf(image, 16_384), { maxBytes: MAX_BYTES, aad: AAD });
  assert.equal(stored.contentType, 'image/png');
  assert.equal(stored.width, 451);
  const read = await readAll(blobs.read(stored.blobId, AAD));
  assert.equal(read.length, image.length);
  assert.ok(read.equals(image));
});

test('a JPEG whose size sits behind 180 KB of metadata still reports it; behind 300 KB, null', async (t) => {
  const { store: blobs } = await newStore(t);
  const jpeg = await fixture('chelsea-120x80.jpg');
  const near = await store(jpegWithMetadataFirst(jpeg, 3), blobs);
  assert.deepEqual([near.contentType, near.width, near.height], ['image/jpeg', 120, 80]);
  const far = await store(jpegWithMetadataFirst(jpeg, 5), blobs);
  assert.deepEqual([far.contentType, far.width, far.height], ['image/jpeg', null, null]);
});

test('the file on disk is not an image without the key', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  const image = await fixture('chelsea.png');
  const { blobId } = await store(image, blobs);
  const onDisk = await readFile(join(dir, `${blobId}.vnc`));

  assert.equal(onDisk.indexOf(image.subarray(0, 8)), -1, 'PNG signature found');
  const storedRuns = new Set<string>();
  for (let i = 0; i + 32 <= onDisk.length; i++) storedRuns.add(onDisk.toString('latin1', i, i + 32));
  for (let i = 0; i + 32 <= image.length; i++) {
    assert.ok(!storedRuns.has(image.toString('latin1', i, i + 32)), `plaintext bytes ${i}… found on disk`);
  }
  assert.equal(await fileTypeFromBuffer(onDisk), undefined);
});

test('reading with the wrong aad or the wrong key fails', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  const { blobId } = await store(await fixture('chelsea.png'), blobs);
  await assert.rejects(readAll(blobs.read(blobId, 'session-2/selfie')), CorruptCaptureError);
  const otherKey = new CaptureBlobStore(dir, randomBytes(32));
  await assert.rejects(readAll(otherKey.read(blobId, AAD)), CorruptCaptureError);
});

test('a tampered file fails: last chunk dropped, a byte flipped, bytes appended, chunks swapped', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  const image = await fixture('chelsea.png'); // 240 KB: three full chunks and a short last one
  const { blobId } = await store(image, blobs);
  const path = join(dir, `${blobId}.vnc`);
  const original = await readFile(path);
  const lastChunkBytes = (image.length % PLAIN_CHUNK_BYTES || PLAIN_CHUNK_BYTES) + 16;

  const tamperings: Record<string, () => Promise<void>> = {
    'last chunk dropped': () => truncate(path, original.length - lastChunkBytes),
    'last byte dropped': () => truncate(path, original.length - 1),
    'a byte flipped': async () => {
      const flipped = Buffer.from(original);
      flipped[HEADER_BYTES + STORED_CHUNK_BYTES + 100]! ^= 0x01;
      await writeFile(path, flipped);
    },
    'bytes appended': () => writeFile(path, Buffer.concat([original, Buffer.from([0, 0])])),
    'chunks swapped': () => {
      const first = original.subarray(HEADER_BYTES, HEADER_BYTES + STORED_CHUNK_BYTES);
      const second = original.subarray(HEADER_BYTES + STORED_CHUNK_BYTES, HEADER_BYTES + 2 * STORED_CHUNK_BYTES);
      const rest = original.subarray(HEADER_BYTES + 2 * STORED_CHUNK_BYTES);
      return writeFile(path, Buffer.concat([original.subarray(0, HEADER_BYTES), second, first, rest]));
    },
    'header only': () => truncate(path, HEADER_BYTES),
  };
  for (const [what, tamper] of Object.entries(tamperings)) {
    await tamper();
    await assert.rejects(readAll(blobs.read(blobId, AAD)), CorruptCaptureError, what);
    await writeFile(path, original);
  }
  assert.deepEqual(await readAll(blobs.read(blobId, AAD)), image);
});

test('no plaintext of a chunk is released before its tag is checked', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  const image = await fixture('chelsea.png');
  const { blobId } = await store(image, blobs);
  const path = join(dir, `${blobId}.vnc`);
  const flipped = await readFile(path);
  flipped[HEADER_BYTES + STORED_CHUNK_BYTES + 5]! ^= 0x80; // inside chunk 1
  await writeFile(path, flipped);
  const released: Buffer[] = [];
  await assert.rejects(async () => {
    for await (const chunk of blobs.read(blobId, AAD)) released.push(chunk);
  }, CorruptCaptureError);
  assert.deepEqual(Buffer.concat(released), image.subarray(0, PLAIN_CHUNK_BYTES));
});

test('an upload over maxBytes is refused with 413 without reading the rest, and leaves nothing', async (t) => {
  const { store: blobs, dir } = await newStore(t);
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
  await assertNothingLeft(dir);
});

test('an upload of exactly maxBytes is accepted', async (t) => {
  const { store: blobs } = await newStore(t);
  const image = await fixture('chelsea-120x80.webp');
  assert.equal((await store(image, blobs, image.length)).bytes, image.length);
});

test('a file that is not a JPEG, PNG or WebP is refused with 415 from its first bytes', async (t) => {
  const { store: blobs, dir } = await newStore(t);
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
    await assertNothingLeft(dir);
  }
});

test('a truncated PNG, JPEG or WebP is refused with 422 and leaves nothing', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  for (const name of ['chelsea.png', 'chelsea-120x80.jpg', 'chelsea-120x80.webp']) {
    const image = await fixture(name);
    for (const keptBytes of [Math.floor(image.length / 2), image.length - 1]) {
      await assert.rejects(store(image.subarray(0, keptBytes), blobs), isHttpError(422, 'invalid_image'), name);
      await assertNothingLeft(dir);
    }
  }
  const jpegWithoutFrame = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200), Buffer.from([0xff, 0xd9])]);
  await assert.rejects(store(jpegWithoutFrame, blobs), isHttpError(422, 'invalid_image'), 'JPEG without a frame');
  await assertNothingLeft(dir);
});

test('an empty upload is refused with 400', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  await assert.rejects(store(Buffer.alloc(0), blobs), isHttpError(400, 'empty_body'));
  await assertNothingLeft(dir);
});

test('an upload whose stream fails halfway rejects with that error and leaves nothing', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  const image = await fixture('chelsea.png');
  async function* failingHalfway() {
    yield image.subarray(0, 150_000);
    throw new Error('connection reset');
  }
  await assert.rejects(blobs.write(failingHalfway(), { maxBytes: MAX_BYTES, aad: AAD }), /connection reset/);
  await assertNothingLeft(dir);

  const aborted = new Readable({ read() {} });
  aborted.push(image.subarray(0, 100_000));
  setTimeout(() => aborted.destroy(new Error('aborted')), 20);
  await assert.rejects(blobs.write(aborted, { maxBytes: MAX_BYTES, aad: AAD }), /aborted/);
  await assertNothingLeft(dir);
});

test('init() removes the temp files of interrupted uploads and keeps stored blobs', async (t) => {
  const { store: blobs, dir } = await newStore(t);
  const { blobId } = await store(await fixture('chelsea-120x80.jpg'), blobs);
  await writeFile(join(dir, 'interrupted.tmp'), 'half an upload');
  await blobs.init();
  assert.deepEqual(await readdir(dir), [`${blobId}.vnc`]);
});

test('delete removes a blob, twice is fine; unknown or malformed ids are not found', async (t) => {
  const { store: blobs } = await newStore(t);
  const { blobId } = await store(await fixture('chelsea-120x80.webp'), blobs);
  await blobs.delete(blobId);
  await blobs.delete(blobId);
  assert.deepEqual(await blobs.listBlobIds(), []);
  await assert.rejects(readAll(blobs.read(blobId, AAD)), isHttpError(404, 'not_found'));
  assert.throws(() => blobs.read('../../etc/passwd', AAD), isHttpError(404, 'not_found'));
  await assert.rejects(blobs.delete('../outside'), isHttpError(404, 'not_found'));
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
