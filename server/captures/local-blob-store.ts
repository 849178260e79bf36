/**
 * Captures on this machine's disk: one encrypted file per capture, `<blobId>.vnc`, in a directory
 * only the server's user can read. An upload is streamed through the image check and the
 * encryptor into a `.tmp` file, and only a complete, valid, synced file is renamed into place, so
 * a crash or a bad upload never leaves a half file under a blob id. For one process: processes
 * that share captures use the S3 store.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { notFound } from '../http/errors.js';
import { isBlobId, newBlobId, type BlobStore, type StoredBlob, type WriteOptions } from './blob-store.js';
import { BatchedFileWriter, encryptUpload } from './encrypted-upload.js';
import { decryptChunks, STORED_CHUNK_BYTES } from './encryption.js';

const BLOB_SUFFIX = '.vnc';
const TEMP_SUFFIX = '.tmp';

// See BatchedFileWriter: syncing behind the writes helps only while few uploads run.
const SYNC_BEHIND_MAX_UPLOADS = 4;

/** Makes a rename durable: without it a power cut can forget the new directory entry. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class LocalBlobStore implements BlobStore {
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

  async write(source: AsyncIterable<Uint8Array>, opts: WriteOptions): Promise<StoredBlob> {
    const blobId = newBlobId();
    let path = join(this.dir, blobId + TEMP_SUFFIX);
    const fh = await open(path, 'wx', 0o600);
    this.uploadsInProgress++;
    const out = new BatchedFileWriter(fh, () => this.uploadsInProgress <= SYNC_BEHIND_MAX_UPLOADS);
    let isOpen = true;
    try {
      const stored = await encryptUpload(source, opts, this.masterKey, out);
      await fh.sync();
      isOpen = false;
      await fh.close();
      const finalPath = join(this.dir, blobId + BLOB_SUFFIX);
      await rename(path, finalPath);
      path = finalPath;
      await syncDirectory(this.dir);
      return { blobId, ...stored };
    } catch (error) {
      if (isOpen) await fh.close().catch(() => {});
      await rm(path, { force: true });
      throw error;
    } finally {
      this.uploadsInProgress--;
    }
  }

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

  async delete(blobId: string): Promise<void> {
    await rm(this.pathOf(blobId), { force: true });
  }

  async *listBlobIdsWrittenBefore(cutoffMs: number): AsyncIterable<string> {
    for (const name of await readdir(this.dir)) {
      const blobId = name.slice(0, -BLOB_SUFFIX.length);
      if (!name.endsWith(BLOB_SUFFIX) || !isBlobId(blobId)) continue;
      const written = await stat(join(this.dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null; // deleted since the listing
        throw error;
      });
      if (written && written.mtimeMs < cutoffMs) yield blobId;
    }
  }

  private pathOf(blobId: string): string {
    if (!isBlobId(blobId)) throw notFound('capture');
    return join(this.dir, blobId + BLOB_SUFFIX);
  }
}
