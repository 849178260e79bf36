/**
 * Brotli and gzip copies of the built assets, written beside them (`x.js.br`, `x.js.gz`) once the
 * bundle is on disk, so that the server sends compressed bytes without compressing per request.
 *
 * Levels are chosen for the build's time as much as for size (measured on MediaPipe's 13 MB
 * vision wasm, 2 cores): brotli 11 takes 45 s there for 2.68 MB, brotli 5 takes 1.2 s for 3.21 MB
 * (gzip 9: 0.5 s, 3.85 MB). So small files, which are quick at any level, get brotli's best, and
 * files from 1 MiB up get quality 5.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

/** What is worth compressing: text and binaries that compress (not PNG, WOFF2, JPEG). */
export const COMPRESSIBLE_EXTENSIONS: readonly string[] = ['.js', '.css', '.wasm', '.tflite', '.svg', '.map'];
/** Under this size, compression saves less than a packet. */
export const MIN_BYTES = 1024;
/** A copy is kept only when it is at most this share of the original: else it isn't worth a decode. */
export const MAX_RATIO = 0.95;
const LARGE_BYTES = 1024 * 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface Compressed {
  file: string;
  bytes: number;
  /** Sizes of the copies kept; an encoding left out did not help. */
  br?: number;
  gzip?: number;
}

async function compressFile(path: string): Promise<Compressed | undefined> {
  const data = await readFile(path);
  if (data.length < MIN_BYTES) return undefined;
  const isText = ['.js', '.css', '.svg', '.map'].includes(extname(path));
  const [br, gz] = await Promise.all([
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: data.length >= LARGE_BYTES ? 5 : constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: isText ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzipAsync(data, { level: 9 }),
  ]);
  const result: Compressed = { file: path, bytes: data.length };
  for (const [encoding, suffix, bytes] of [['br', '.br', br], ['gzip', '.gz', gz]] as const) {
    if (bytes.length <= data.length * MAX_RATIO) {
      await writeFile(path + suffix, bytes);
      result[encoding] = bytes.length;
    } else {
      // A copy left from an earlier build (emptyOutDir off) would no longer match.
      await rm(path + suffix, { force: true });
    }
  }
  return result;
}

/** Compresses every file worth it in `dir` (not recursive); answers what it wrote. */
export async function precompressDirectory(dir: string): Promise<Compressed[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files = entries
    .filter((e) => e.isFile() && COMPRESSIBLE_EXTENSIONS.includes(extname(e.name)))
    .map((e) => join(dir, e.name));
  // zlib's async calls run on libuv's thread pool (4 threads), which bounds the parallelism.
  const results = await Promise.all(files.map(compressFile));
  return results.filter((r): r is Compressed => r !== undefined);
}

/**
 * The Vite plugin: after every other plugin has written its files (`order: 'post'`), compresses
 * what is in the assets directory, so assets copied there by other plugins are included.
 *
 * @example
 * export default defineConfig({ plugins: [precompress()] });
 */
export function precompress(): Plugin {
  let assetsDir = '';
  return {
    name: 'verify-now:precompress',
    apply: 'build',
    configResolved(config) {
      assetsDir = resolve(config.root, config.build.outDir, config.build.assetsDir);
    },
    writeBundle: {
      order: 'post',
      async handler() {
        const startedAt = performance.now();
        const written = await precompressDirectory(assetsDir);
        const bytes = written.reduce((sum, c) => sum + c.bytes, 0);
        const brBytes = written.reduce((sum, c) => sum + (c.br ?? c.bytes), 0);
        const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
        this.info(`precompressed ${written.length} assets in ${seconds} s: ${kib(bytes)} → ${kib(brBytes)} with brotli`);
      },
    },
  };
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

