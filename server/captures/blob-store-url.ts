/**
 * `BLOB_STORE_URL`: where captures are kept. Unset, a directory under DATA_DIR; `s3://bucket/prefix`
 * with options as query parameters, a bucket of an S3-compatible service that several processes
 * share. Credentials never go in the URL (it is easily logged or shown): they come from
 * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the rest of the AWS SDK's default chain.
 */
import { resolve } from 'node:path';

export type BlobStoreConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      /** Empty, or ending in `/`. */
      prefix: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      /** Upload spool files, in this process's own DATA_DIR. */
      spoolDir: string;
    };

const FORM = 'BLOB_STORE_URL must be s3://<bucket>/<optional prefix>, options as a query (endpoint, region, forcePathStyle), or unset for DATA_DIR/captures';
// Today's bucket naming rules (3–63 characters); they keep names usable in a host name too.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]{1,40}$/;
// Printable characters, as S3 keys are best kept; the key adds 22 more characters.
const PREFIX = /^[\x20-\x7e]{0,900}$/;
const OPTIONS = ['endpoint', 'region', 'forcePathStyle'];

const invalid = (why: string) => new Error(`BLOB_STORE_URL: ${why}`);

export function parseBlobStoreUrl(value: string | undefined, dataDir: string): BlobStoreConfig {
  if (!value) return { kind: 'local', dir: resolve(dataDir, 'captures') };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(FORM);
  }
  if (url.protocol !== 's3:') throw new Error(FORM);
  if (url.username || url.password) {
    throw invalid('put no credentials in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
  }
  if (!url.hostname) throw invalid('name the bucket, as in s3://my-captures/verify-now/.');
  if (url.port) throw invalid('the host part is the bucket name: give the server as endpoint=http://host:port.');
  if (!BUCKET_NAME.test(url.hostname)) {
    throw invalid(`"${url.hostname}" is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit).`);
  }
  if (url.hash) throw invalid('remove the #fragment.');
  let prefix: string;
  try {
    prefix = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    throw invalid('the prefix has a % that starts no valid escape.');
  }
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  if (!PREFIX.test(prefix)) throw invalid('the prefix may hold printable ASCII characters only (at most 900).');

  const query = url.searchParams;
  for (const name of query.keys()) {
    if (!OPTIONS.includes(name)) throw invalid(`unknown option "${name}" (known: ${OPTIONS.join(', ')}).`);
  }
  const endpoint = query.get('endpoint') ? parseEndpoint(query.get('endpoint')!) : undefined;
  const region = query.get('region') ?? 'us-east-1';
  if (!REGION.test(region)) throw invalid(`region must look like eu-central-1, not "${region}".`);
  const pathStyle = query.get('forcePathStyle');
  if (pathStyle !== null && pathStyle !== 'true' && pathStyle !== 'false') {
    throw invalid('forcePathStyle must be true or false.');
  }
  return {
    kind: 's3',
    bucket: url.hostname,
    prefix,
    endpoint,
    region,
    // Servers reached by an endpoint (MinIO, Ceph, a local one) rarely have a host name per bucket.
    forcePathStyle: pathStyle === null ? endpoint !== undefined : pathStyle === 'true',
    spoolDir: resolve(dataDir, 'capture-spool'),
  };
}

function parseEndpoint(value: string): string {
  const why = 'endpoint must be an http(s) URL such as http://127.0.0.1:9000 or https://s3.eu-central-1.amazonaws.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${why}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${why}.`);
  if (url.username || url.password) {
    throw invalid('put no credentials in endpoint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
  }
  if (url.search || url.hash) throw invalid(`${why}, without a query or fragment.`);
  return url.href.replace(/\/+$/, '');
}

/** For the start-up log: where captures go, with nothing secret (the URL never holds credentials). */
export function describeBlobStore(config: BlobStoreConfig): Record<string, string> {
  if (config.kind === 'local') return { captureStore: config.dir };
  return { captureStore: `s3://${config.bucket}/${config.prefix}`, endpoint: config.endpoint ?? `AWS S3 (${config.region})` };
}
