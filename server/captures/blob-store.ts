/**
 * Where capture images (ID document photos, selfies: personal data) are kept: encrypted blobs
 * behind one interface, in a directory of this process (`LocalBlobStore`) or in an S3-compatible
 * bucket that several server processes share (`S3BlobStore`). Both stream an upload through the
 * same image check and the same encryptor (`encryptUpload`), so a store only ever holds
 * ciphertext and the key never leaves the server.
 */
import { randomBytes } from 'node:crypto';
import type { AcceptedImageType } from './image-check.js';

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

export interface BlobStore {
  /** Makes the store ready (a directory, a reachable bucket) and clears what a crash left behind. */
  init(): Promise<void>;

  /**
   * Stores an upload, checked and encrypted. Throws an HttpError (400, 413, 415, 422) for a bad
   * upload, as early as it can tell, and leaves no blob behind on any failure.
   */
  write(source: AsyncIterable<Uint8Array>, opts: WriteOptions): Promise<StoredBlob>;

  /**
   * The decrypted image, chunk by chunk, each verified before it is yielded. Throws `notFound`
   * for an unknown blob (before the first chunk) and `CorruptCaptureError` for a tampered one.
   */
  read(blobId: string, aad: string): AsyncIterable<Buffer>;

  /** Removes a blob; a blob that is already gone is fine. */
  delete(blobId: string): Promise<void>;

  /**
   * The ids of the blobs last written before `cutoffMs` (ms since the epoch), for the sweep that
   * removes blobs no capture row points at (`removeOrphanBlobs`, which picks the cutoff).
   */
  listBlobIdsWrittenBefore(cutoffMs: number): AsyncIterable<string>;
}

// 16 random bytes, base64url: the only names a store ever gives or accepts.
const BLOB_ID = /^[A-Za-z0-9_-]{22}$/;

export const newBlobId = () => randomBytes(16).toString('base64url');

/** Ids come from our own rows, but checking keeps a bad one from ever naming another file or key. */
export const isBlobId = (id: string) => BLOB_ID.test(id);
