import { createReadStream, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { notFound } from '../http/errors.js';
import { route } from '../http/route.js';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.tflite': 'application/octet-stream',
};

/** The types the build compresses (build/precompress-plugin.ts): only these can have a copy. */
const PRECOMPRESSED_TYPES = new Set(['.js', '.css', '.map', '.wasm', '.svg', '.tflite']);

/** Copies the build may have written beside an asset, best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['name'];

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The built browser assets: hashed names, so cached for good, and sent compressed when the browser takes it. */
export function assetRoutes({ webRoot }: Deps) {
  return [
    route({
      method: 'GET',
      path: '/assets/:file',
      tag: 'pages',
      summary: 'Built browser assets (hashed names: cached for good)',
      auth: 'public',
      hidden: true,
      params: z.object({ file: z.string().regex(/^[A-Za-z0-9_.-]+$/).refine((f) => !f.startsWith('.')) }),
      responses: { 200: { description: 'The file.' } },
      async handle({ params, req }) {
        return preferredCopy(join(webRoot, 'assets', params.file), req.headers['accept-encoding'], { 'cache-control': IMMUTABLE });
      },
    }),
  ];
}

/**
 * A built file as the reply to a GET: the best precompressed copy the client accepts, else the
 * file; `headers` (caching, CORS) go with it. Not found when the type is unknown or nothing is there.
 */
export function preferredCopy(path: string, acceptEncoding: string | undefined, headers: Record<string, string>) {
  const type = CONTENT_TYPES[extname(path)];
  if (!type) throw notFound('file');
  const accepted = PRECOMPRESSED_TYPES.has(extname(path)) ? acceptedEncodings(acceptEncoding) : NONE;
  // One stat when the best copy exists (the usual case); a missing copy costs one more.
  for (const { name, suffix } of ENCODINGS) {
    if (!accepted.has(name)) continue;
    const stats = fileStats(path + suffix);
    if (stats) return reply(path + suffix, type, stats, name, headers);
  }
  const stats = fileStats(path);
  if (!stats) throw notFound('file');
  return reply(path, type, stats, undefined, headers);
}

function reply(path: string, type: string, stats: Stats, encoding: Encoding | undefined, extra: Record<string, string>) {
  const headers: Record<string, string> = {
    ...extra,
    'content-type': type,
    'content-length': String(stats.size),
    // Caches must keep each encoding apart, identity included.
    vary: 'accept-encoding',
  };
  if (encoding) headers['content-encoding'] = encoding;
  return { headers, body: createReadStream(path) };
}

function fileStats(path: string): Stats | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats : undefined;
}

const NONE: ReadonlySet<Encoding> = new Set();

/**
 * The encodings of ours an `Accept-Encoding` header allows: listed (or `*`) with a q-value above 0.
 * We then send our best (brotli, then gzip) rather than weigh the client's q-values against each
 * other: browsers list both without preference.
 */
export function acceptedEncodings(header: string | undefined): ReadonlySet<Encoding> {
  if (!header) return NONE;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(token.trim(), Number.isFinite(value) ? value : 0);
  }
  const wildcard = q.get('*');
  const accepted = new Set<Encoding>();
  for (const { name } of ENCODINGS) {
    const value = q.get(name) ?? wildcard ?? 0;
    if (value > 0) accepted.add(name);
  }
  return accepted;
}
