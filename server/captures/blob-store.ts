/**
 * Where capture images (ID document photos, selfies: personal data) live on disk: one encrypted
 * file per capture, `<blobId>.vnc`, in a directory only the server's user can read. An upload is
 * streamed through the image check and the encryptor into a `.tmp` file, and only a complete,
 * valid, synced file is renamed into place, so a crash or a bad upload never leaves a half file
 * under a blob id.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError, notFound } from '../http/errors.js';
import { CaptureEncryptor, decryptChunks, STORED_CHUNK_BYTES } from './encryption.js';
import { ImageCheck, type AcceptedImageType } from './image-check.js';

export interface StoredBlob {
  blobId: string;
  bytes: number;
  contentType: AcceptedImageType;
  width: number | null;
  height: number | null;
  /** Hex SHA-256 of the plaintext image. */
  sha256: string;
}

export interface WriteOptions {
  maxBytes: number;
  /** Bound into every chunk's tag; the server passes `${sessionId}/${kind}`. */
  aad: string;
}

const BLOB_ID = /^[A-Za-z0-9_-]{22}$/;
const BLOB_SUFFIX = '.vnc';
const TEMP_SUFFIX = '.tmp';

// One writev per 128 KiB rather than a write per 64 KiB chunk: every call is a thread-pool round
// trip. Larger batches measured no faster, and cost memory under 50 parallel uploads.
const WRITE_BATCH_BYTES = 128 * 1024;

const newBlobId = () => randomBytes(16).toString('base64url');

async function writevFully(fh: FileHandle, buffers: Buffer[]): Promise<void> {
  let left = buffers.reduce((bytes, buffer) => bytes + buffer.length, 0);
  while (left > 0) {
    let { bytesWritten } = await fh.writev(buffers);
    left -= bytesWritten;
    // After a short write (rare for a file), go again with what is left.
    while (bytesWritten > 0 && bytesWritten >= buffers[0]!.length) bytesWritten -= buffers.shift()!.length;
    if (bytesWritten > 0) buffers[0] = buffers[0]!.subarray(bytesWritten);
  }
}

// Flushing the file to disk every MiB while the upload still streams in leaves the final fsync
// little to do. Only while few uploads run: with many, their own fsyncs keep the disk busy, and
// extra syncs would hold thread-pool threads that the writes need.
const SYNC_BEHIND_BYTES = 1024 * 1024;
const SYNC_BEHIND_MAX_UPLOADS = 4;

/** Gathers the encryptor's output and appends it to the file in batches, in order. */
class BatchedFileWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private unsyncedBytes = 0;
  /** The sync behind in flight; it never rejects: a failure is kept in `syncError`. */
  private syncing: Promise<void> | null = null;
  private syncError: unknown = null;

  constructor(
    private readonly fh: FileHandle,
    private readonly isSyncBehindWanted: () => boolean,
  ) {}

  /**
   * Returns a promise only when a full batch is being written: await it before appending more,
   * which keeps the writes in order and the memory bounded.
   */
  append(buffers: Buffer[]): Promise<void> | undefined {
    for (const buffer of buffers) {
      this.batch.push(buffer);
      this.batchBytes += buffer.length;
    }
    return this.batchBytes >= WRITE_BATCH_BYTES ? this.writeBatch() : undefined;
  }

  /** Writes what is gathered, then `last`, and waits for the sync behind: the final fsync is next. */
  async end(last: Buffer[]): Promise<void> {
    this.batch.push(...last);
    await writevFully(this.fh, this.takeBatch());
    await this.syncing;
    // Linux reports a writeback error once per open file: after a sync behind has seen it, the
    // final fsync would succeed.
    if (this.syncError) throw this.syncError;
  }

  private async writeBatch(): Promise<void> {
    this.unsyncedBytes += this.batchBytes;
    await writevFully(this.fh, this.takeBatch());
    if (this.unsyncedBytes < SYNC_BEHIND_BYTES || this.syncing || !this.isSyncBehindWanted()) return;
    this.unsyncedBytes = 0;
    this.syncing = this.fh.datasync().then(
      () => {
        this.syncing = null;
      },
      (error: unknown) => {
        this.syncing = null;
        this.syncError ??= error;
      },
    );
  }

  private takeBatch(): Buffer[] {
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    return batch;
  }
}

/** Makes a rename durable: without it a power cut can forget the new directory entry. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class CaptureBlobStore {
  private uploadsInProgress = 0;

  constructor(
    private readonly dir: string,
    private readonly masterKey: Buffer,
  ) {
    if (masterKey.length !== 32) throw new RangeError('The capture master key must be 32 bytes.');
  }

  /** Creates the directory and removes the temp files of uploads cut short by a crash. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const leftovers = (await readdir(this.dir)).filter((name) => name.endsWith(TEMP_SUFFIX));
    await Promise.all(leftovers.map((name) => rm(join(this.dir, name), { force: true })));
  }

  /**
   * Streams an upload to disk, encrypted. Throws an HttpError (400, 413, 415, 422) for a bad
   * upload, as early as it can tell, and leaves no file behind on any failure.
   */
  async write(source: AsyncIterable<Uint8Array>, opts: WriteOptions): Promise<StoredBlob> {
    const blobId = newBlobId();
    let path = join(this.dir, blobId + TEMP_SUFFIX);
    const fh = await open(path, 'wx', 0o600);
    this.uploadsInProgress++;
    const out = new BatchedFileWriter(fh, () => this.uploadsInProgress <= SYNC_BEHIND_MAX_UPLOADS);
    let isOpen = true;
    try {
      const image = new ImageCheck();
      const encryptor = new CaptureEncryptor(this.masterKey, opts.aad);
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const piece of source) {
        bytes += piece.length;
        if (bytes > opts.maxBytes) {
          throw new HttpError(413, 'payload_too_large', `The image is larger than ${opts.maxBytes} bytes.`);
        }
        hash.update(piece);
        // Each returns a promise only when there is something to wait for (the sniff, a full
        // batch being written), so most pieces cost no promise.
        const sniffing = image.push(piece);
        if (sniffing) await sniffing;
        const writing = out.append(encryptor.push(piece));
        if (writing) await writing;
      }
      const facts = await image.finish();
      await out.end([encryptor.finish()]);
      await fh.sync();
      isOpen = false;
      await fh.close();
      const finalPath = join(this.dir, blobId + BLOB_SUFFIX);
      await rename(path, finalPath);
      path = finalPath;
      await syncDirectory(this.dir);
      return { blobId, bytes, ...facts, sha256: hash.digest('hex') };
    } catch (error) {
      if (isOpen) await fh.close().catch(() => {});
      await rm(path, { force: true });
      throw error;
    } finally {
      this.uploadsInProgress--;
    }
  }

  /**
   * The decrypted image, chunk by chunk, each verified before it is yielded. Throws `notFound`
   * for an unknown blob (before the first chunk) and `CorruptCaptureError` for a tampered file.
   */
  read(blobId: string, aad: string): AsyncIterable<Buffer> {
    const path = this.pathOf(blobId);
    return (async function* (masterKey: Buffer) {
      const file = createReadStream(path, { highWaterMark: STORED_CHUNK_BYTES });
      try {
        yield* decryptChunks(file, masterKey, aad);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('capture');
        throw error;
      } finally {
        file.destroy();
      }
    })(this.masterKey);
  }

  /** Removes a blob; a blob that is already gone is fine. */
  async delete(blobId: string): Promise<void> {
    await rm(this.pathOf(blobId), { force: true });
  }

  /** Every stored blob id, for the sweep that removes blobs no capture row points at. */
  async listBlobIds(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names
      .filter((name) => name.endsWith(BLOB_SUFFIX))
      .map((name) => name.slice(0, -BLOB_SUFFIX.length))
      .filter((id) => BLOB_ID.test(id));
  }

  private pathOf(blobId: string): string {
    // Ids come from our own rows, but checking keeps a bad one from ever naming another path.
    if (!BLOB_ID.test(blobId)) throw notFound('capture');
    return join(this.dir, blobId + BLOB_SUFFIX);
  }
}
