/**
 * The benchmark's own pages, on the verify-now server's origin (a module worker must come from the
 * page's origin, and `/assets` sends the built worker only to its own origin's pages) but answered
 * by Playwright in the browser: the server under test never learns of them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const BENCH_PATH = '/__bench';

export type BenchFiles = Record<string, { type: string; body: string | Buffer }>;

const COMLINK = join(dirname(createRequire(import.meta.url).resolve('comlink/package.json')), 'dist/esm/comlink.mjs');

/**
 * Answers `${origin}/__bench/*` in this browser context: `blank` is an empty page (with
 * `?script=x.js`, a page running that module), `comlink.mjs` the same comlink the flow bundles,
 * and `files` the rest.
 */
export async function serveBenchPages(context: BrowserContext, origin: string, files: BenchFiles): Promise<void> {
  const all: BenchFiles = { ...files, 'comlink.mjs': { type: 'text/javascript', body: readFileSync(COMLINK, 'utf8') } };
  await context.route(`${origin}${BENCH_PATH}/**`, (route) => {
    const url = new URL(route.request().url());
    const name = url.pathname.slice(BENCH_PATH.length + 1);
    if (name === 'blank') {
      const script = url.searchParams.get('script');
      const body = `<!doctype html><meta charset="utf-8"><title>verify-now bench</title>${script ? `<script type="module" src="${BENCH_PATH}/${script}"></script>` : ''}`;
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    }
    const file = all[name];
    return file ? route.fulfill({ status: 200, contentType: file.type, body: file.body }) : route.fulfill({ status: 404, body: 'not a bench file' });
  });
}
