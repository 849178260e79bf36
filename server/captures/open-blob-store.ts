import type { BlobStore } from './blob-store.js';
import type { BlobStoreConfig } from './blob-store-url.js';
import { LocalBlobStore } from './local-blob-store.js';

/** The store `BLOB_STORE_URL` names, not yet initialised. */
export async function openBlobStore(config: BlobStoreConfig, masterKey: Buffer): Promise<BlobStore> {
  if (config.kind === 'local') return new LocalBlobStore(config.dir, masterKey);
  // Loaded only when used: a single process on local disk has no need of the AWS SDK.
  const { S3BlobStore } = await import('./s3-blob-store.js');
  return new S3BlobStore({ ...config, masterKey });
}
