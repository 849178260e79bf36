/**
 * The one path every upload takes into a blob store: counted against its size limit, checked as
 * an image while it streams past, hashed, and encrypted, with the ciphertext handed to a sink (a
 * file, in both stores). Only the sink differs between stores, so neither can store plaintext
 * or skip a check.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { HttpError } from '../http/errors.js';
import type { StoredBlob, WriteOptions } from './blob-store.js';
import { CaptureEncryptor } from './encryption.js';
import { ImageCheck } from './image-check.js';

/** Where the encryptor's output goes, in order. */
export interface CiphertextSink {
  /** Returns a promise only when the caller must wait (a full batch being written) before more. */
  append(buffers: Buffer[]): Promise<void> | undefined;
  /** Takes the last buffers; resolves once everything is written. */
  end(last: Buffer[]): Promise<void>;
}

/**
 * Streams `source` through the size limit, the image check and the encryptor into `out`. Throws
 * an HttpError (400, 413, 415, 422) for a bad upload as early as it can tell; the caller removes
 * what `out` received.
 */
export async function encryptUpload(
  source: AsyncIterable<Uint8Array>,
  opts: WriteOptions,
  masterKey: Buffer,
  out: CiphertextSink,
): Promise<Omit<StoredBlob, 'blobId'>> {
  const image = new ImageCheck();
  const encryptor = new CaptureEncryptor(masterKey, opts.aad);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of source) {
    bytes += piece.length;
    if (bytes > opts.maxBytes) {
      throw new HttpError(413, 'payload_too_large', `The image is larger than ${opts.maxBytes} bytes.`);
    }
    hash.update(piece);
    // Each returns a promise only when there is something to wait for (the sniff, a full batch
    // being written), so most pieces cost no promise.
    const sniffing = image.push(piece);
    if (sniffing) await sniffing;
    const writing = out.append(encryptor.push(piece));
    if (writing) await writing;
  }
  const facts = await image.finish();
  await out.end([encryptor.finish()]);
  return { bytes, ...facts, sha256: hash.digest('hex') };
}

// One writev per 128 KiB rather than a write per 64 KiB chunk: every call is a thread-pool round
// trip. Larger batches measured no faster, and cost memory under 50 parallel uploads.
const WRITE_BATCH_BYTES = 128 * 1024;

// Flushing the file to disk every MiB while the upload still streams in leaves the final fsync
// little to do. Only while few uploads run: with many, their own fsyncs keep the disk busy, and
// extra syncs would hold thread-pool threads that the writes need.
const SYNC_BEHIND_BYTES = 1024 * 1024;

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

/** Gathers the encryptor's output and appends it to the file in batches, in order. */
export class BatchedFileWriter implements CiphertextSink {
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
