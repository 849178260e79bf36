import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account.js';

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for `?endpoint=`. */
  endpoint: string;
  /** A key pair made for this server, so that a test can look for it in logs. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A new empty bucket. */
  createBucket(): Promise<string>;
  /** Every key in the bucket, sorted. */
  listKeys(bucket: string): Promise<string[]>;
  getObject(bucket: string, key: string): Promise<Buffer>;
  putObject(bucket: string, key: string, body: Buffer): Promise<void>;
  /** Content type and length, as stored. */
  headObject(bucket: string, key: string): Promise<{ contentType: string | undefined; bytes: number | undefined }>;
  close(): Promise<void>;
}

/**
 * s3rver (an S3-compatible server from npm) on 127.0.0.1 and a port it picks, keeping objects in
 * a temporary directory. It checks that a request's access key id exists but not its SigV4
 * signature, and it stores what it receives: enough to test a client's requests and data, not
 * its signing.
 */
export async function startLocalS3(): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'vn-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = {
    accessKeyId: `VNTEST${randomBytes(7).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials,
    // See S3BlobStore: s3rver predates the SDK's default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    credentials,
    async createBucket() {
      const bucket = `vn-test-${randomBytes(6).toString('hex')}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async listKeys(bucket) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async getObject(bucket, key) {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await answer.Body!.transformToByteArray());
    },
    async putObject(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async headObject(bucket, key) {
      const answer = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { contentType: answer.ContentType, bytes: answer.ContentLength };
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
