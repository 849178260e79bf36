/**
 * The pages' headers and inline data, without a browser: the flow page's Content-Security-Policy
 * lets MediaPipe's WebAssembly compile and nothing more, the other pages run no script at all, and
 * the flow page carries what the flow needs before its first request.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LANGUAGES } from '../contract/common.js';
import { flowPageDataSchema } from '../contract/flow.js';
import { call, createLink } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';

let server: InProcessServer;
let webRoot: string;

before(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'vn-web-'));
  mkdirSync(join(webRoot, '.vite'));
  writeFileSync(
    join(webRoot, '.vite', 'manifest.json'),
    JSON.stringify({ 'flow/main.ts': { file: 'assets/flow-abc123.js', css: ['assets/flow-abc123.css'] } }),
  );
  server = await startInProcess({ webRoot });
});

after(async () => {
  await server?.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

/** A policy as directive → its sources, for comparisons that ignore order. */
function directives(csp: string | null): Map<string, string[]> {
  assert.ok(csp, 'a Content-Security-Policy header');
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

const pageData = (html: string) => {
  const match = /<script type="application\/json" id="vn-page">(.*?)<\/script>/s.exec(html);
  assert.ok(match, 'the page has its #vn-page data');
  return flowPageDataSchema.parse(JSON.parse(match[1]!));
};

test('the flow page lets its scripts, WebAssembly, workers and the camera run, and no eval', async () => {
  const link = await createLink(server.url, server.apiKey, { flow: 'document+selfie', language: 'lt' });
  const page = await call(server.url, new URL(link.url).pathname);
  assert.equal(page.status, 200);
  const csp = directives(page.headers.get('content-security-policy'));
  assert.deepEqual(csp.get('script-src'), ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(csp.get('worker-src'), ["'self'"]);
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  assert.deepEqual(csp.get('img-src'), ["'self'", 'data:', 'blob:']);
  assert.deepEqual(csp.get('media-src'), ["'self'", 'blob:']);
  assert.deepEqual(csp.get('object-src'), ["'none'"]);
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  assert.doesNotMatch(page.headers.get('content-security-policy')!, /'unsafe-eval'|'unsafe-inline'/);
  assert.match(page.headers.get('permissions-policy') ?? '', /(^|,\s*)camera=\(self\)/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.match(page.text, /<script type="module" src="\/assets\/flow-abc123\.js"><\/script>/);
  assert.match(page.text, /<html lang="lt">/);
  assert.match(page.text, /<h1>Tapatybės patvirtinimas<\/h1>/);
});

test('the flow page carries its language, flow, merchant and the languages the flow offers', async () => {
  const link = await createLink(server.url, server.apiKey, { flow: 'selfie', language: 'pt' });
  const data = pageData((await call(server.url, new URL(link.url).pathname)).text);
  assert.deepEqual(data, { language: 'pt', flow: 'selfie', merchant: 'Bootstrap account', languages: [...LANGUAGES] });
  for (const language of ['en', 'es', 'fr', 'de', 'lt', 'pt', 'nl'] as const) assert.ok(data.languages.includes(language), language);
});

test('an unknown link\'s page and the landing page run no script: their policy allows only their own style', async () => {
  const unknown = await call(server.url, `/v/${'B'.repeat(43)}`);
  assert.equal(unknown.status, 404);
  for (const page of [unknown, await call(server.url, '/')]) {
    const csp = directives(page.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.equal(csp.has('script-src'), false, 'no script source at all');
    assert.match(csp.get('style-src')?.join(' ') ?? '', /^'nonce-[A-Za-z0-9+/=]+'$/);
    assert.doesNotMatch(page.text, /<script/);
  }
});

test('a known dead link\'s page says why in its language and carries the flow (for a browser holding a session of it), under the flow\'s policy', async () => {
  const link = await createLink(server.url, server.apiKey, { language: 'lt' });
  assert.equal((await call(server.url, `/api/v1/links/${link.id}/deactivate`, { key: server.apiKey, method: 'POST' })).status, 200);
  const dead = await call(server.url, new URL(link.url).pathname);
  assert.equal(dead.status, 410);
  assert.match(dead.text, /<h1>Ši nuoroda išjungta<\/h1>/);
  const data = JSON.parse(/<script type="application\/json" id="vn-page">(.*?)<\/script>/s.exec(dead.text)![1]!);
  assert.equal(data.refusal, 'link_deactivated');
  assert.equal(data.language, 'lt');
  const csp = directives(dead.headers.get('content-security-policy'));
  assert.deepEqual(csp.get('script-src'), ["'self'", "'wasm-unsafe-eval'"]);
});

test('every language has its dead-link page, Lithuanian among them', async () => {
  for (const language of LANGUAGES) {
    const page = await call(server.url, `/v/${'A'.repeat(43)}`, { headers: { 'accept-language': `${language};q=0.9` } });
    assert.equal(page.status, 404, language);
    assert.match(page.text, new RegExp(`<html lang="${language}">`));
  }
  const lt = await call(server.url, `/v/${'A'.repeat(43)}`, { headers: { 'accept-language': 'lt-LT,lt;q=0.9,en;q=0.5' } });
  assert.match(lt.text, /<h1>Ši nuoroda neveikia<\/h1>/);
});
