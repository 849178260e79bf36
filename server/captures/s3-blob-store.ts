/**
 * Captures in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph…), one object per capture at
 * `<prefix><blobId>`, so that any of several server processes can serve any capture. Objects hold
 * the same ciphertext as the local store's files; the key stays in the server.
 *
 * An upload is encrypted into a spool file of its own (unlinked at once: readable only through
 * this process's handle, and gone with it after a crash) and PUT with a known length only once
 * the image check has passed. So a bad or aborted upload never reaches the bucket, an object
 * appears whole or not at all, memory per upload stays at a batch or two (not the upload's
 * size, as a multipart upload's part buffers would be), and a failed PUT can be sent again.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { notFound } from '../http/errors.js';
import { isBlobId, newBlobId, type BlobStore, type StoredBlob, type WriteOptions } from './blob-store.js';
import { BatchedFileWriter, encryptUpload, type CiphertextSink } from './encrypted-upload.js';
import { decryptChunks } from './encryption.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Empty, or ending in `/`. */
  prefix: string;
  region: string;
  /** For S3-compatible servers; unset: AWS S3 in `region`. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  /** A directory of this process for upload spool files. */
  spoolDir: string;
  masterKey: Buffer;
  /** Tests pass their own; the server uses the SDK's default chain (AWS_ACCESS_KEY_ID, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const SPOOL_SUFFIX = '.spool';
const SPOOL_READ_BYTES = 64 * 1024;
const PUT_ATTEMPTS = 3;
const PUT_RETRY_BASE_MS = 200;

// The SDK's own log lines carry whole command inputs; failures reach our log as errors instead.
const quiet = () => {};
const SILENT_LOGGER = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

type SdkError = Error & {
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
};

/**
 * A failed S3 request, told without what error bodies echo of the request: AWS puts the access
 * key id, the string to sign and the canonical request in some, and the SDK copies them onto
 * its error, where a log would pick them up.
 */
export class S3RequestError extends Error {
  override readonly name = 'S3RequestError';

  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly s3Code: string,
    message: string,
  ) {
    super(message);
  }

  static of(operation: string, error: unknown): S3RequestError {
    const sdk = error as SdkError;
    const s3Code = sdk.code ?? sdk.name ?? 'Error';
    const status = sdk.$metadata?.httpStatusCode;
    const requestId = sdk.$metadata?.requestId ? `, request ${sdk.$metadata.requestId}` : '';
    const answer = status ? `HTTP ${status}${requestId}` : 'no answer';
    return new S3RequestError(operation, status, s3Code, `S3 ${operation} failed: ${s3Code}: ${sdk.message} (${answer})`);
  }
}

/** Worth sending again: the server's fault, throttling, or the connection. */
function isTransient(error: unknown): boolean {
  const sdk = error as SdkError;
  if (sdk.name === 'CredentialsProviderError') return false;
  return sdk.$fault === 'server' || Boolean(sdk.$retryable) || sdk.$metadata?.httpStatusCode === undefined;
}

/**
 * The spool file's bytes, read afresh for each attempt. Not `FileHandle.createReadStream`: when a
 * failed request destroys that stream, it closes the file, and the next attempt has nothing to read.
 */
async function* spoolContents(spool: FileHandle, bytes: number): AsyncGenerator<Buffer> {
  for (let position = 0; position < bytes; ) {
    const buffer = Buffer.allocUnsafe(Math.min(SPOOL_READ_BYTES, bytes - position));
    const { bytesRead } = await spool.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) throw new Error('The spool file is shorter than what was written to it.');
    position += bytesRead;
    yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
  }
}

/** Passes the ciphertext on while taking its length and MD5, which S3 checks the upload against. */
class Md5Sink implements CiphertextSink {
  readonly md5 = createHash('md5');
  bytes = 0;

  constructor(private readonly inner: CiphertextSink) {}

  append(buffers: Buffer[]): Promise<void> | undefined {
    this.take(buffers);
    return this.inner.append(buffers);
  }

  end(last: Buffer[]): Promise<void> {
    this.take(last);
    return this.inner.end(last);
  }

  private take(buffers: Buffer[]): void {
    for (const buffer of buffers) {
      this.md5.update(buffer);
      this.bytes += buffer.length;
    }
  }
}

export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly masterKey: Buffer;

  constructor(private readonly options: S3BlobStoreOptions) {
    if (options.masterKey.length !== 32) throw new RangeError('The capture master key must be 32 bytes.');
    this.bucket = options.bucket;
    this.prefix = options.prefix;
    this.masterKey = options.masterKey;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // By default the SDK sends a body as aws-chunked with a checksum trailer, which S3-compatible
      // servers that predate it (s3rver, older MinIO and Ceph) store as the object's bytes.
      // Content-MD5 checks the upload everywhere; GCM checks every chunk on reading.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: 5_000,
        // A stalled connection is given up; a merchant's slow download pauses reading for less.
        socketTimeout: 60_000,
        // A download holds its socket while the merchant reads: more than the default 50, so
        // that slow downloads cannot queue the uploads behind them.
        httpAgent: { keepAlive: true, maxSockets: 256 },
        httpsAgent: { keepAlive: true, maxSockets: 256 },
      },
      logger: SILENT_LOGGER,
    });
  }

  /** Removes spool files a crash left (none, unless it fell between open and unlink); checks the bucket. */
  async init(): Promise<void> {
    await mkdir(this.options.spoolDir, { recursive: true, mode: 0o700 });
    const leftovers = (await readdir(this.options.spoolDir)).filter((name) => name.endsWith(SPOOL_SUFFIX));
    await Promise.all(leftovers.map((name) => rm(join(this.options.spoolDir, name), { force: true })));
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      throw new Error(this.unreachableBucket(error as SdkError));
    }
  }

  async write(source: AsyncIterable<Uint8Array>, opts: WriteOptions): Promise<StoredBlob> {
    const blobId = newBlobId();
    const spool = await this.openSpoolFile(blobId);
    try {
      const out = new Md5Sink(new BatchedFileWriter(spool, () => false));
      const stored = await encryptUpload(source, opts, this.masterKey, out);
      await this.putFromSpool(blobId, spool, out.bytes, out.md5.digest('base64'));
      return { blobId, ...stored };
    } finally {
      await spool.close();
    }
  }

  read(blobId: string, aad: string): AsyncIterable<Buffer> {
    const key = this.keyOf(blobId);
    return (async function* (store: S3BlobStore) {
      let body: Readable;
      try {
        const answer = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
        body = answer.Body as Readable;
      } catch (error) {
        if (isNoSuchKey(error)) throw notFound('capture');
        throw S3RequestError.of('GetObject', error);
      }
      try {
        yield* decryptChunks(body, store.masterKey, aad);
      } finally {
        // Also when the download stops early: an unread body would hold its pooled socket.
        body.destroy();
      }
    })(this);
  }

  async delete(blobId: string): Promise<void> {
    const key = this.keyOf(blobId);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      // S3 answers 204 for a missing key; some compatible servers say 404.
      if (!isNoSuchKey(error)) throw S3RequestError.of('DeleteObject', error);
    }
  }

  async *listBlobIdsWrittenBefore(cutoffMs: number): AsyncIterable<string> {
    let continuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: continuationToken }),
        );
      } catch (error) {
        throw S3RequestError.of('ListObjectsV2', error);
      }
      for (const object of page.Contents ?? []) {
        const blobId = object.Key?.slice(this.prefix.length) ?? '';
        if (isBlobId(blobId) && object.LastModified && object.LastModified.getTime() < cutoffMs) yield blobId;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  private keyOf(blobId: string): string {
    if (!isBlobId(blobId)) throw notFound('capture');
    return this.prefix + blobId;
  }

  private async openSpoolFile(blobId: string): Promise<FileHandle> {
    const path = join(this.options.spoolDir, blobId + SPOOL_SUFFIX);
    const spool = await open(path, 'wx+', 0o600);
    try {
      await rm(path);
    } catch (error) {
      await spool.close();
      await rm(path, { force: true });
      throw error;
    }
    return spool;
  }

  /**
   * The SDK does not send a stream body twice, so this does, from the spool file. A PUT that
   * failed after S3 stored the object leaves an unreferenced object: the orphan sweep's to remove.
   */
  private async putFromSpool(blobId: string, spool: FileHandle, bytes: number, md5: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const body = Readable.from(spoolContents(spool, bytes), { objectMode: false });
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.prefix + blobId,
            Body: body,
            ContentLength: bytes,
            ContentMD5: md5,
            ContentType: 'application/octet-stream',
          }),
        );
        return;
      } catch (error) {
        if (attempt === PUT_ATTEMPTS || !isTransient(error)) throw S3RequestError.of('PutObject', error);
      } finally {
        body.destroy();
      }
      await sleep(PUT_RETRY_BASE_MS * 4 ** (attempt - 1));
    }
  }

  private unreachableBucket(error: SdkError): string {
    const where = this.options.endpoint ?? `AWS S3 (${this.options.region})`;
    const bucket = `the bucket "${this.bucket}" at ${where}`;
    const status = error.$metadata?.httpStatusCode;
    if (error.name === 'CredentialsProviderError') {
      return 'BLOB_STORE_URL: no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or another source of the AWS SDK\'s default chain).';
    }
    if (status === 404) return `BLOB_STORE_URL: ${bucket} does not exist: create it, or correct the URL.`;
    if (status === 403) {
      return `BLOB_STORE_URL: ${bucket} refused access (HTTP 403): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they may read and write the bucket.`;
    }
    if (status === 301 || status === 400) {
      return `BLOB_STORE_URL: ${bucket} answered HTTP ${status}: is region=${this.options.region} the bucket's region?`;
    }
    const reason = status ? `HTTP ${status}` : (error.code ?? error.name);
    return `BLOB_STORE_URL: ${bucket} is not reachable (${reason}).`;
  }
}

function isNoSuchKey(error: unknown): boolean {
  const sdk = error as SdkError;
  return sdk.name === 'NoSuchKey' || (sdk.$metadata?.httpStatusCode === 404 && sdk.name !== 'NoSuchBucket');
}
