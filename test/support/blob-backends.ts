import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import type { BlobStore } from '../../server/captures/blob-store.js';
import { LocalBlobStore } from '../../server/captures/local-blob-store.js';
import { S3BlobStore } from '../../server/captures/s3-blob-store.js';
import { startLocalS3, type LocalS3 } from './local-s3.js';

/** What a test sees of a store's storage, beneath the BlobStore interface. */
export interface Storage {
  /** The stored (encrypted) bytes of a blob. */
  get(blobId: string): Promise<Buffer>;
  /** Replaces them, as an attacker with access to the storage could. */
  put(blobId: string, bytes: Buffer): Promise<void>;
  /** Every name in the storage, blobs and whatever an upload left (temp or spool files), sorted. */
  everything(): Promise<string[]>;
  /** The name `everything()` shows for a stored blob. */
  nameOf(blobId: string): string;
  /** Leaves what an upload cut short by a crash would. */
  leaveInterruptedUpload(): Promise<void>;
  /** Another store on the same storage, with another key. */
  withKey(masterKey: Buffer): BlobStore;
}

export interface Backend {
  name: 'local' | 's3';
  /** A new, initialised store on empty storage. */
  newStore(t: TestContext, masterKey?: Buffer): Promise<{ blobs: BlobStore; storage: Storage }>;
}

async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export const localBackend: Backend = {
  name: 'local',
  async newStore(t, masterKey = randomBytes(32)) {
    const dir = join(await tempDir(t, 'captures-'), 'captures');
    const blobs = new LocalBlobStore(dir, masterKey);
    await blobs.init();
    const pathOf = (blobId: string) => join(dir, `${blobId}.vnc`);
    const storage: Storage = {
      get: (blobId) => readFile(pathOf(blobId)),
      put: (blobId, bytes) => writeFile(pathOf(blobId), bytes),
      everything: async () => (await readdir(dir)).sort(),
      nameOf: (blobId) => `${blobId}.vnc`,
      leaveInterruptedUpload: () => writeFile(join(dir, 'interrupted.tmp'), 'half an upload'),
      withKey: (otherKey) => new LocalBlobStore(dir, otherKey),
    };
    return { blobs, storage };
  },
};

let localS3: Promise<LocalS3> | undefined;

/** One S3 server for the test file, started by the first test that needs it; a bucket per store. */
export const sharedLocalS3 = (): Promise<LocalS3> => (localS3 ??= startLocalS3());

// Registered while the test file loads this module, so on the file and not on the test that
// happens to start the server.
after(async () => {
  if (localS3) await (await localS3).close();
});

const PREFIX = 'captures/';

export const s3Backend: Backend = {
  name: 's3',
  async newStore(t, masterKey = randomBytes(32)) {
    const s3 = await sharedLocalS3();
    const bucket = await s3.createBucket();
    const spoolDir = join(await tempDir(t, 'spool-'), 'spool');
    const storeWith = (key: Buffer) =>
      new S3BlobStore({
        bucket,
        prefix: PREFIX,
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        spoolDir,
        masterKey: key,
        credentials: s3.credentials,
      });
    const blobs = storeWith(masterKey);
    await blobs.init();
    const storage: Storage = {
      get: (blobId) => s3.getObject(bucket, PREFIX + blobId),
      put: (blobId, bytes) => s3.putObject(bucket, PREFIX + blobId, bytes),
      // A spool file is unlinked as soon as it is open, so one seen here is one a failure left.
      everything: async () => [...(await s3.listKeys(bucket)), ...(await readdir(spoolDir)).map((name) => `spool/${name}`)].sort(),
      nameOf: (blobId) => PREFIX + blobId,
      leaveInterruptedUpload: () => writeFile(join(spoolDir, `${'x'.repeat(22)}.spool`), 'half an upload'),
      withKey: storeWith,
    };
    return { blobs, storage };
  },
};

export const backends = [localBackend, s3Backend];

/** An async iterable's items, in order (Array.fromAsync arrives with Node 22). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
