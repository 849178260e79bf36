import type { BlobStore } from './blob-store.js';
import { describeBlobStore, type BlobStoreConfig } from './blob-store-url.js';
import type { Logger } from '../log.js';
import { LocalBlobStore } from './local-blob-store.js';

/** The store `BLOB_STORE_URL` names, initialised: its directory made, its bucket found. */
export async function openBlobStore(config: BlobStoreConfig, masterKey: Buffer, log: Logger): Promise<BlobStore> {
  const blobs = await createBlobStore(config, masterKey);
  await blobs.init();
  log.info(describeBlobStore(config), 'captures: where they are kept');
  return blobs;
}

async function createBlobStore(config: BlobStoreConfig, masterKey: Buffer): Promise<BlobStore> {
  if (config.kind === 'local') return new LocalBlobStore(config.dir, masterKey);
  // Loaded only when used: a single process on local disk has no need of the AWS SDK.
  const { S3BlobStore } = await import('./s3-blob-store.js');
  return new S3BlobStore({ ...config, masterKey });
}
