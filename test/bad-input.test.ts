/**
 * Bad input, row by row: every row is a request the API must refuse with a 4xx JSON error
 * `{error: {code, message}}` carrying a stable code, never a 5xx, an HTML page or a stack trace;
 * and after all of them nothing stored (links, sessions, captures, credits, capture files) has
 * changed, the server is still up, and it logged no error.
 *
 * Paths, bodies and header values may hold placeholders filled in from the set-up below:
 * {link}, {docLink}, {session}, {docSession}, {sessionToken}, {docSessionToken}, {apiKey},
 * {linkTokenAltered} and {sessionTokenAltered} (a real token with one character changed),
 * {usedHandoffToken} (redeemed once already) and {handoffTokenAltered}.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { call, createLink, startSession, tokenOf, type RequestOptions } from './support/api.js';
import { fixturePath, spawnServer, type ServerProcess } from './support/server-process.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Body = NonNullable<RequestOptions['body']>;

interface Row {
  name: string;
  method: Method;
  path: string;
  /** merchant: the API key; session / docSession: that session's token; none; or any other
   *  string: the Authorization header exactly as given (placeholders filled in). */
  key?: 'merchant' | 'session' | 'docSession' | 'none' | (string & {});
  headers?: Record<string, string>;
  /** Sent as JSON (Content-Type application/json unless `headers` says otherwise). */
  json?: unknown;
  /** Sent as is; a function for bodies that can be read only once (streams). */
  body?: string | Uint8Array | (() => Body);
  status: number;
  code: string;
  /** A word the error message must contain: the field at fault. */
  mentions?: string;
  /** Response headers that must be present, matching these patterns. */
  responseHeaders?: Record<string, RegExp>;
}

const MAX_UPLOAD_BYTES = 1_000_000;
const PNG = readFileSync(fixturePath('chelsea.png'));
const JPEG = readFileSync(fixturePath('chelsea-120x80.jpg'));
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const unknownId = (prefix: string) => prefix + randomBytes(16).toString('base64url');
const forgedLinkToken = randomBytes(32).toString('base64url'); // 43 characters, like a real one
const forgedSessionToken = 'vns_' + randomBytes(40).toString('base64url'); // 58 characters, like a real one
const forgedHandoffToken = 'vnh_' + randomBytes(32).toString('base64url'); // 47 characters, like a real one
const bigPng = Buffer.concat([PNG, Buffer.alloc(1_500_000 - PNG.length)]); // a PNG head, then past the limit
const bigJson = JSON.stringify({ name: 'x', flow: 'document', usageLimit: 1, metadata: { pad: 'x'.repeat(70 * 1024) } });
const streamOf = (data: Uint8Array, pieceBytes = 64 * 1024) => () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < data.length; at += pieceBytes) controller.enqueue(data.subarray(at, at + pieceBytes));
      controller.close();
    },
  });

const valid = { name: 'Bad input test', flow: 'document', usageLimit: 5 };
const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field));
const manyKeys = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));

const CREATE = { method: 'POST', path: '/api/v1/links', key: 'merchant' } as const;
const PATCH = { method: 'PATCH', path: '/api/v1/links/{link}', key: 'merchant' } as const;
const START = { method: 'POST', path: '/api/v1/flow/sessions', key: 'none' } as const;
const UPLOAD = { method: 'PUT', path: '/api/v1/flow/sessions/{session}/captures/document_front', key: 'session' } as const;
const SUBMIT = { method: 'POST', path: '/api/v1/flow/sessions/{session}/submit', key: 'session' } as const;
const DECIDE = { method: 'POST', path: '/api/v1/sessions/{session}/decision', key: 'merchant' } as const;
const HANDOFF = { method: 'POST', path: '/api/v1/flow/sessions/{session}/handoff', key: 'session' } as const;
const REDEEM = { method: 'POST', path: '/api/v1/flow/handoff', key: 'none' } as const;
const png = { 'content-type': 'image/png' };
const asJson = { 'content-type': 'application/json' };

const rows: Row[] = [
  // link create: the schema
  { ...CREATE, name: 'link create: name missing', json: without('name'), status: 400, code: 'invalid_request', mentions: 'name' },
  { ...CREATE, name: 'link create: name ""', json: { ...valid, name: '' }, status: 400, code: 'invalid_request', mentions: 'name' },
  { ...CREATE, name: 'link create: name only spaces', json: { ...valid, name: '   ' }, status: 400, code: 'invalid_request', mentions: 'name' },
  { ...CREATE, name: 'link create: name 500 characters', json: { ...valid, name: 'n'.repeat(500) }, status: 400, code: 'invalid_request', mentions: 'name' },
  { ...CREATE, name: 'link create: name a number', json: { ...valid, name: 42 }, status: 400, code: 'invalid_request', mentions: 'name' },
  { ...CREATE, name: 'link create: flow "passport"', json: { ...valid, flow: 'passport' }, status: 400, code: 'invalid_request', mentions: 'flow' },
  { ...CREATE, name: 'link create: flow missing', json: without('flow'), status: 400, code: 'invalid_request', mentions: 'flow' },
  { ...CREATE, name: 'link create: usageLimit 0', json: { ...valid, usageLimit: 0 }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: usageLimit -1', json: { ...valid, usageLimit: -1 }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: usageLimit 1.5', json: { ...valid, usageLimit: 1.5 }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: usageLimit "3"', json: { ...valid, usageLimit: '3' }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: usageLimit 1e12', json: { ...valid, usageLimit: 1e12 }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: usageLimit "Infinity"', json: { ...valid, usageLimit: 'Infinity' }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: usageLimit missing', json: without('usageLimit'), status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...CREATE, name: 'link create: expiresAt in the past', json: { ...valid, expiresAt: '2020-01-01T00:00:00Z' }, status: 400, code: 'invalid_request', mentions: 'expiresAt' },
  { ...CREATE, name: 'link create: expiresAt "tomorrow"', json: { ...valid, expiresAt: 'tomorrow' }, status: 400, code: 'invalid_request', mentions: 'expiresAt' },
  { ...CREATE, name: 'link create: expiresAt a number', json: { ...valid, expiresAt: 4102444800000 }, status: 400, code: 'invalid_request', mentions: 'expiresAt' },
  { ...CREATE, name: 'link create: expiresAt without a time zone', json: { ...valid, expiresAt: '2099-01-01T00:00:00' }, status: 400, code: 'invalid_request', mentions: 'expiresAt' },
  { ...CREATE, name: 'link create: language "xx"', json: { ...valid, language: 'xx' }, status: 400, code: 'invalid_request', mentions: 'language' },
  { ...CREATE, name: 'link create: redirectUrl javascript:', json: { ...valid, redirectUrl: 'javascript:alert(1)' }, status: 400, code: 'invalid_request', mentions: 'redirectUrl' },
  { ...CREATE, name: 'link create: redirectUrl ftp://', json: { ...valid, redirectUrl: 'ftp://example.com/done' }, status: 400, code: 'invalid_request', mentions: 'redirectUrl' },
  { ...CREATE, name: 'link create: metadata with 21 keys', json: { ...valid, metadata: manyKeys }, status: 400, code: 'invalid_request', mentions: 'metadata' },
  { ...CREATE, name: 'link create: metadata value an object', json: { ...valid, metadata: { a: { b: 'c' } } }, status: 400, code: 'invalid_request', mentions: 'metadata' },
  { ...CREATE, name: 'link create: metadata key ""', json: { ...valid, metadata: { '': 'v' } }, status: 400, code: 'invalid_request', mentions: 'metadata' },
  { ...CREATE, name: 'link create: an unknown field', json: { ...valid, isAdmin: true }, status: 400, code: 'invalid_request', mentions: 'isAdmin' },
  { ...CREATE, name: 'link create: a __proto__ field', body: `{"name":"p","flow":"document","usageLimit":1,"__proto__":{"admin":true}}`, headers: asJson, status: 400, code: 'invalid_request', mentions: '__proto__' },
  // link create: the body itself
  { ...CREATE, name: 'link create: body an array', json: [valid], status: 400, code: 'invalid_request' },
  { ...CREATE, name: 'link create: body null', json: null, status: 400, code: 'invalid_request' },
  { ...CREATE, name: 'link create: body a string', json: 'name=x', status: 400, code: 'invalid_request' },
  { ...CREATE, name: 'link create: body a number', json: 42, status: 400, code: 'invalid_request' },
  { ...CREATE, name: 'link create: malformed JSON', body: '{"name":', headers: asJson, status: 400, code: 'invalid_json' },
  { ...CREATE, name: 'link create: JSON with a byte order mark', body: '\uFEFF' + JSON.stringify(valid), headers: asJson, status: 400, code: 'invalid_json' },
  { ...CREATE, name: 'link create: JSON with trailing garbage', body: JSON.stringify(valid) + ' }x', headers: asJson, status: 400, code: 'invalid_json' },
  { ...CREATE, name: 'link create: content-type text/plain', body: JSON.stringify(valid), headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
  { ...CREATE, name: 'link create: form-urlencoded', body: 'name=x&flow=document&usageLimit=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { ...CREATE, name: 'link create: no content type', body: new TextEncoder().encode(JSON.stringify(valid)), status: 415, code: 'unsupported_media_type' },
  { ...CREATE, name: 'link create: a 70 KB body', body: bigJson, headers: asJson, status: 413, code: 'payload_too_large' },
  { ...CREATE, name: 'link create: a 70 KB body, chunked', body: streamOf(new TextEncoder().encode(bigJson), 8 * 1024), headers: asJson, status: 413, code: 'payload_too_large' },
  { ...CREATE, name: 'link create: no body at all', status: 400, code: 'invalid_request' },
  { ...CREATE, name: 'link create: JSON nested 30,000 deep', body: '['.repeat(30_000) + ']'.repeat(30_000), headers: asJson, status: 400, code: 'invalid_request' },

  // link update: never what extends a link's life
  { ...PATCH, name: 'link update: usageLimit', json: { usageLimit: 100 }, status: 409, code: 'link_immutable', mentions: 'usageLimit' },
  { ...PATCH, name: 'link update: expiresAt', json: { expiresAt: '2099-01-01T00:00:00Z' }, status: 409, code: 'link_immutable', mentions: 'expiresAt' },
  { ...PATCH, name: 'link update: flow', json: { flow: 'selfie' }, status: 409, code: 'link_immutable', mentions: 'flow' },
  { ...PATCH, name: 'link update: language', json: { language: 'de' }, status: 409, code: 'link_immutable', mentions: 'language' },
  { ...PATCH, name: 'link update: name ""', json: { name: '' }, status: 400, code: 'invalid_request', mentions: 'name' },
  { ...PATCH, name: 'link update: redirectUrl javascript:', json: { redirectUrl: 'javascript:alert(1)' }, status: 400, code: 'invalid_request', mentions: 'redirectUrl' },
  { ...PATCH, name: 'link update: an unknown link', path: `/api/v1/links/${unknownId('lnk_')}`, json: { name: 'renamed' }, status: 404, code: 'not_found' },

  // link ids
  { method: 'GET', name: 'link id: lnk_short', path: '/api/v1/links/lnk_short', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link id: path traversal', path: '/api/v1/links/..%2F..%2Fetc%2Fpasswd', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link id: %00', path: '/api/v1/links/%00', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link id: well formed, unknown', path: `/api/v1/links/${unknownId('lnk_')}`, key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link id: a session id', path: '/api/v1/links/{session}', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link id: a broken percent escape', path: '/api/v1/links/lnk_%E0%A4%A', key: 'merchant', status: 404, code: 'route_not_found' },
  { method: 'POST', name: 'link deactivate: path traversal', path: '/api/v1/links/..%2F{link}/deactivate', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'POST', name: 'link deactivate: unknown link', path: `/api/v1/links/${unknownId('lnk_')}/deactivate`, key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link QR: unknown link', path: `/api/v1/links/${unknownId('lnk_')}/qr.svg`, key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'link QR: size 10', path: '/api/v1/links/{link}/qr.png?size=10', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'size' },

  // list queries
  { method: 'GET', name: 'link list: limit 0', path: '/api/v1/links?limit=0', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'limit' },
  { method: 'GET', name: 'link list: limit 101', path: '/api/v1/links?limit=101', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'limit' },
  { method: 'GET', name: 'link list: limit "abc"', path: '/api/v1/links?limit=abc', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'limit' },
  { method: 'GET', name: 'link list: limit 2.5', path: '/api/v1/links?limit=2.5', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'limit' },
  { method: 'GET', name: 'link list: status "bogus"', path: '/api/v1/links?status=bogus', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'status' },
  { method: 'GET', name: 'link list: an unknown query parameter', path: '/api/v1/links?sort=name', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'sort' },
  { method: 'GET', name: 'link list: cursor "garbage"', path: '/api/v1/links?cursor=garbage', key: 'merchant', status: 400, code: 'invalid_cursor', mentions: 'cursor' },
  { method: 'GET', name: 'link list: status not UTF-8', path: '/api/v1/links?status=%FF%FE', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'status' },
  { method: 'GET', name: 'session list: limit -1', path: '/api/v1/sessions?limit=-1', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'limit' },
  { method: 'GET', name: 'session list: status "bogus"', path: '/api/v1/sessions?status=bogus', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'status' },
  { method: 'GET', name: 'session list: link "lnk_short"', path: '/api/v1/sessions?link=lnk_short', key: 'merchant', status: 400, code: 'invalid_request', mentions: 'link' },

  // merchant auth
  { method: 'GET', name: 'auth: no key', path: '/api/v1/links', key: 'none', status: 401, code: 'unauthorized', responseHeaders: { 'www-authenticate': /^Bearer/ } },
  { method: 'GET', name: 'auth: a wrong live key', path: '/api/v1/links', key: `Bearer vn_live_wrong${'x'.repeat(30)}`, status: 401, code: 'invalid_api_key' },
  { method: 'GET', name: 'auth: a wrong test key', path: '/api/v1/account', key: `Bearer vn_test_${randomBytes(32).toString('base64url')}`, status: 401, code: 'invalid_api_key' },
  { method: 'GET', name: 'auth: Basic credentials', path: '/api/v1/links', key: 'Basic dm5fbGl2ZTp4eHg=', status: 401, code: 'unauthorized' },
  { method: 'GET', name: 'auth: "Bearer" and nothing', path: '/api/v1/account', key: 'Bearer', status: 401, code: 'unauthorized' },
  { method: 'GET', name: 'auth: a session token as API key', path: '/api/v1/sessions/{session}', key: 'Bearer {sessionToken}', status: 401, code: 'invalid_api_key' },
  { ...CREATE, name: 'auth: a valid link body and no key', key: 'none', json: valid, status: 401, code: 'unauthorized' },

  // flow start: forged and broken link tokens
  { ...START, name: 'flow start: token missing', json: {}, status: 400, code: 'invalid_request', mentions: 'token' },
  { ...START, name: 'flow start: token ""', json: { token: '' }, status: 400, code: 'invalid_request', mentions: 'token' },
  { ...START, name: 'flow start: token a number', json: { token: 12345 }, status: 400, code: 'invalid_request', mentions: 'token' },
  { ...START, name: 'flow start: a forged token of the right length', json: { token: forgedLinkToken }, status: 410, code: 'link_not_found' },
  { ...START, name: 'flow start: a real token with one character changed', json: { token: '{linkTokenAltered}' }, status: 410, code: 'link_not_found' },
  { ...START, name: 'flow start: token a path', json: { token: '../../etc/passwd' }, status: 410, code: 'link_not_found' },
  { ...START, name: 'flow start: token 10 KB long', json: { token: 'A'.repeat(10 * 1024) }, status: 400, code: 'invalid_request', mentions: 'token' },
  { ...START, name: 'flow start: an extra field', json: { token: forgedLinkToken, usageLimit: 99 }, status: 400, code: 'invalid_request', mentions: 'usageLimit' },
  { ...START, name: 'flow start: malformed JSON', body: '{"token":"', headers: asJson, status: 400, code: 'invalid_json' },

  // capture upload: who
  { ...UPLOAD, name: 'upload: no session token', key: 'none', body: PNG, headers: png, status: 401, code: 'unauthorized' },
  { ...UPLOAD, name: 'upload: a forged session token', key: `Bearer ${forgedSessionToken}`, body: PNG, headers: png, status: 401, code: 'invalid_session_token' },
  { ...UPLOAD, name: 'upload: the session token with one character changed', key: 'Bearer {sessionTokenAltered}', body: PNG, headers: png, status: 401, code: 'invalid_session_token' },
  { ...UPLOAD, name: 'upload: the API key as session token', key: 'Bearer {apiKey}', body: PNG, headers: png, status: 401, code: 'invalid_session_token' },
  { ...UPLOAD, name: "upload: another session's token", key: 'docSession', body: PNG, headers: png, status: 404, code: 'session_not_found' },
  { ...UPLOAD, name: 'upload: a malformed session id', path: '/api/v1/flow/sessions/ses_..%2F..%2F/captures/document_front', body: PNG, headers: png, status: 404, code: 'session_not_found' },
  // capture upload: what kind
  { ...UPLOAD, name: 'upload: kind "passport"', path: '/api/v1/flow/sessions/{session}/captures/passport', body: PNG, headers: png, status: 404, code: 'not_found' },
  { ...UPLOAD, name: 'upload: kind "../selfie"', path: '/api/v1/flow/sessions/{session}/captures/..%2Fselfie', body: PNG, headers: png, status: 404, code: 'not_found' },
  { ...UPLOAD, name: 'upload: a selfie on a document-only session', path: '/api/v1/flow/sessions/{docSession}/captures/selfie', key: 'docSession', body: JPEG, headers: { 'content-type': 'image/jpeg' }, status: 422, code: 'capture_not_in_flow' },
  // capture upload: what bytes
  { ...UPLOAD, name: 'upload: a text file as text/plain', body: 'just some text, not an image\n', headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_image_type' },
  { ...UPLOAD, name: 'upload: a text file declared image/png', body: 'just some text, not an image\n', headers: png, status: 415, code: 'unsupported_image_type' },
  { ...UPLOAD, name: 'upload: a PDF header', body: '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n', headers: { 'content-type': 'application/octet-stream' }, status: 415, code: 'unsupported_image_type' },
  { ...UPLOAD, name: 'upload: a GIF', body: Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'), headers: { 'content-type': 'image/gif' }, status: 415, code: 'unsupported_image_type' },
  { ...UPLOAD, name: 'upload: content-type application/pdf', body: PNG, headers: { 'content-type': 'application/pdf' }, status: 415, code: 'unsupported_image_type' },
  { ...UPLOAD, name: 'upload: content-type image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg"/>', headers: { 'content-type': 'image/svg+xml' }, status: 415, code: 'unsupported_image_type' },
  { ...UPLOAD, name: 'upload: a truncated PNG', body: PNG.subarray(0, Math.floor(PNG.length / 2)), headers: png, status: 422, code: 'invalid_image' },
  { ...UPLOAD, name: 'upload: a truncated JPEG', body: JPEG.subarray(0, JPEG.length - 100), headers: { 'content-type': 'image/jpeg' }, status: 422, code: 'invalid_image' },
  { ...UPLOAD, name: 'upload: an empty body', body: new Uint8Array(0), headers: png, status: 400, code: 'empty_body' },
  { ...UPLOAD, name: 'upload: over MAX_UPLOAD_BYTES, with Content-Length', body: bigPng, headers: png, status: 413, code: 'payload_too_large' },
  { ...UPLOAD, name: 'upload: over MAX_UPLOAD_BYTES, chunked', body: streamOf(bigPng), headers: png, status: 413, code: 'payload_too_large' },
  // capture upload: metrics
  { ...UPLOAD, name: 'upload: Capture-Metrics not JSON', body: PNG, headers: { ...png, 'capture-metrics': '{glare: 0.1' }, status: 400, code: 'invalid_metrics' },
  { ...UPLOAD, name: 'upload: Capture-Metrics glare 5', body: PNG, headers: { ...png, 'capture-metrics': '{"glare":5}' }, status: 400, code: 'invalid_metrics', mentions: 'glare' },
  { ...UPLOAD, name: 'upload: Capture-Metrics an unknown key', body: PNG, headers: { ...png, 'capture-metrics': '{"evil":true}' }, status: 400, code: 'invalid_metrics', mentions: 'evil' },
  { ...UPLOAD, name: 'upload: Capture-Metrics a quad of 3 points', body: PNG, headers: { ...png, 'capture-metrics': '{"quad":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}' }, status: 400, code: 'invalid_metrics', mentions: 'quad' },
  { ...UPLOAD, name: 'upload: Capture-Metrics 9 KB long', body: PNG, headers: { ...png, 'capture-metrics': JSON.stringify({ source: 'x'.repeat(9 * 1024) }) }, status: 400, code: 'invalid_metrics' },

  // submit
  { ...SUBMIT, name: 'submit: captures missing', json: {}, status: 422, code: 'captures_missing', mentions: 'selfie' },
  { ...SUBMIT, name: 'submit: captures missing, as a passport', json: { documentType: 'passport' }, status: 422, code: 'captures_missing', mentions: 'selfie' },
  { ...SUBMIT, name: 'submit: a document-only session with no capture', path: '/api/v1/flow/sessions/{docSession}/submit', key: 'docSession', json: {}, status: 422, code: 'captures_missing', mentions: 'document_front' },
  { ...SUBMIT, name: 'submit: documentType "visa"', json: { documentType: 'visa' }, status: 400, code: 'invalid_request', mentions: 'documentType' },
  { ...SUBMIT, name: 'submit: an extra field', json: { status: 'approved' }, status: 400, code: 'invalid_request', mentions: 'status' },
  { ...SUBMIT, name: 'submit: with the API key', key: 'Bearer {apiKey}', json: {}, status: 401, code: 'invalid_session_token' },

  // handoff to another device: asking for one
  { ...HANDOFF, name: 'handoff: no session token', key: 'none', status: 401, code: 'unauthorized' },
  { ...HANDOFF, name: 'handoff: a forged session token', key: `Bearer ${forgedSessionToken}`, status: 401, code: 'invalid_session_token' },
  { ...HANDOFF, name: 'handoff: the API key as session token', key: 'Bearer {apiKey}', status: 401, code: 'invalid_session_token' },
  { ...HANDOFF, name: "handoff: another session's token", key: 'docSession', status: 404, code: 'session_not_found' },
  { ...HANDOFF, name: 'handoff: a malformed session id', path: '/api/v1/flow/sessions/ses_short/handoff', status: 404, code: 'session_not_found' },
  { ...HANDOFF, name: 'handoff: GET instead of POST', method: 'GET', status: 405, code: 'method_not_allowed', responseHeaders: { allow: /^POST$/ } },
  // handoff to another device: redeeming one
  { ...REDEEM, name: 'handoff redeem: handoffToken missing', json: {}, status: 400, code: 'invalid_request', mentions: 'handoffToken' },
  { ...REDEEM, name: 'handoff redeem: handoffToken ""', json: { handoffToken: '' }, status: 400, code: 'invalid_request', mentions: 'handoffToken' },
  { ...REDEEM, name: 'handoff redeem: handoffToken a number', json: { handoffToken: 42 }, status: 400, code: 'invalid_request', mentions: 'handoffToken' },
  { ...REDEEM, name: 'handoff redeem: handoffToken 10 KB long', json: { handoffToken: 'vnh_' + 'A'.repeat(10 * 1024) }, status: 400, code: 'invalid_request', mentions: 'handoffToken' },
  { ...REDEEM, name: 'handoff redeem: an extra field', json: { handoffToken: forgedHandoffToken, sessionId: '{session}' }, status: 400, code: 'invalid_request', mentions: 'sessionId' },
  { ...REDEEM, name: 'handoff redeem: body an array', json: [forgedHandoffToken], status: 400, code: 'invalid_request' },
  { ...REDEEM, name: 'handoff redeem: malformed JSON', body: '{"handoffToken":', headers: asJson, status: 400, code: 'invalid_json' },
  { ...REDEEM, name: 'handoff redeem: content-type text/plain', body: forgedHandoffToken, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
  { ...REDEEM, name: 'handoff redeem: a forged token of the right shape', json: { handoffToken: forgedHandoffToken }, status: 404, code: 'handoff_not_found' },
  { ...REDEEM, name: 'handoff redeem: a real token with one character changed', json: { handoffToken: '{handoffTokenAltered}' }, status: 404, code: 'handoff_not_found' },
  { ...REDEEM, name: 'handoff redeem: a session token', json: { handoffToken: '{sessionToken}' }, status: 404, code: 'handoff_not_found' },
  { ...REDEEM, name: 'handoff redeem: a link token', json: { handoffToken: forgedLinkToken }, status: 404, code: 'handoff_not_found' },
  { ...REDEEM, name: 'handoff redeem: a token used already', json: { handoffToken: '{usedHandoffToken}' }, status: 409, code: 'handoff_used' },

  // decision
  { ...DECIDE, name: 'decision: status "maybe"', json: { status: 'maybe' }, status: 400, code: 'invalid_request', mentions: 'status' },
  { ...DECIDE, name: 'decision: status missing', json: { note: 'ok' }, status: 400, code: 'invalid_request', mentions: 'status' },
  { ...DECIDE, name: 'decision: a note of 2,001 characters', json: { status: 'approved', note: 'n'.repeat(2001) }, status: 400, code: 'invalid_request', mentions: 'note' },
  { ...DECIDE, name: 'decision: a session not yet submitted', json: { status: 'approved' }, status: 409, code: 'session_not_decidable' },
  { ...DECIDE, name: 'decision: an unknown session', path: `/api/v1/sessions/${unknownId('ses_')}/decision`, json: { status: 'denied' }, status: 404, code: 'not_found' },
  { ...DECIDE, name: 'decision: a link id for a session id', path: '/api/v1/sessions/{link}/decision', json: { status: 'denied' }, status: 404, code: 'not_found' },

  // sessions and their captures, merchant side
  { method: 'GET', name: 'session: ses_short', path: '/api/v1/sessions/ses_short', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'DELETE', name: 'session erase: an unknown session', path: `/api/v1/sessions/${unknownId('ses_')}`, key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'capture download: path traversal in the kind', path: '/api/v1/sessions/{session}/captures/..%2F..%2Fsecret', key: 'merchant', status: 404, code: 'not_found' },
  { method: 'GET', name: 'capture download: a kind not uploaded', path: '/api/v1/sessions/{session}/captures/selfie', key: 'merchant', status: 404, code: 'not_found' },

  // routes and methods
  { method: 'DELETE', name: 'method: DELETE /api/v1/links', path: '/api/v1/links', key: 'merchant', status: 405, code: 'method_not_allowed', responseHeaders: { allow: /\bGET\b.*\bPOST\b|\bPOST\b.*\bGET\b/ } },
  { method: 'PUT', name: 'method: PUT /api/v1/links/:id', path: '/api/v1/links/{link}', key: 'merchant', json: valid, status: 405, code: 'method_not_allowed', responseHeaders: { allow: /\bPATCH\b/ } },
  { method: 'GET', name: 'route: unknown', path: '/api/v1/nothing-here', key: 'merchant', status: 404, code: 'route_not_found' },
  { method: 'GET', name: 'route: another API version', path: '/api/v2/links', key: 'merchant', status: 404, code: 'route_not_found' },
];

// ---------------------------------------------------------------------------------------------

interface Setup {
  server: ServerProcess;
  placeholders: Record<string, string>;
}
let setup: Setup;
let before_: unknown;

/** One character changed in the middle of a token, where every base64url character carries 6 bits. */
const altered = (token: string, at = Math.floor(token.length / 2)) =>
  token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);

const fill = (text: string) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => setup.placeholders[name] ?? whole);

async function send(row: Row) {
  const { placeholders } = setup;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.headers ?? {})) headers[name] = fill(value);
  const key = row.key ?? 'merchant';
  if (key === 'merchant') headers.authorization = `Bearer ${placeholders.apiKey}`;
  else if (key === 'session') headers.authorization = `Bearer ${placeholders.sessionToken}`;
  else if (key === 'docSession') headers.authorization = `Bearer ${placeholders.docSessionToken}`;
  else if (key !== 'none') headers.authorization = fill(key);
  let body: Body | undefined;
  if ('json' in row) {
    headers['content-type'] ??= 'application/json';
    body = fill(JSON.stringify(row.json));
  } else if (typeof row.body === 'function') {
    body = row.body();
  } else if (row.body !== undefined) {
    body = typeof row.body === 'string' ? row.body : new Uint8Array(row.body);
  }
  return call(setup.server.url, fill(row.path), { method: row.method, headers, body });
}

/** Everything a bad request could have changed, as the API (and the capture directory) shows it. */
async function snapshot() {
  const { server, placeholders } = setup;
  const get = async (path: string) => {
    const answer = await call(server.url, path, { key: server.apiKey });
    assert.equal(answer.status, 200, `${path}: ${answer.text}`);
    return answer.json;
  };
  const capture = await fetch(`${server.url}/api/v1/sessions/${placeholders.session}/captures/document_front`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  assert.equal(capture.status, 200);
  return {
    link: await get(`/api/v1/links/${placeholders.link}`),
    docLink: await get(`/api/v1/links/${placeholders.docLink}`),
    account: await get('/api/v1/account'),
    links: await get('/api/v1/links?limit=100'),
    sessions: await get('/api/v1/sessions?limit=100'),
    session: await get(`/api/v1/sessions/${placeholders.session}`),
    docSession: await get(`/api/v1/sessions/${placeholders.docSession}`),
    documentFront: sha256(new Uint8Array(await capture.arrayBuffer())),
    captureFiles: (await readdir(join(server.dataDir, 'captures'))).sort(),
  };
}

before(async () => {
  const server = await spawnServer({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  try {
    const link = await createLink(server.url, server.apiKey, { name: 'Bad input', flow: 'document+selfie', usageLimit: 10 });
    const docLink = await createLink(server.url, server.apiKey, { name: 'Document only', flow: 'document', usageLimit: 10 });
    const started = await startSession(server.url, tokenOf(link.url));
    const docStarted = await startSession(server.url, tokenOf(docLink.url));
    assert.equal(started.status, 201, started.text);
    assert.equal(docStarted.status, 201, docStarted.text);
    const { sessionId, sessionToken } = started.json;
    const uploaded = await call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/document_front`, {
      method: 'PUT',
      key: sessionToken,
      body: PNG,
      headers: { 'content-type': 'image/png', 'capture-metrics': '{"source":"upload"}' },
    });
    assert.equal(uploaded.status, 200, uploaded.text);
    const handoff = await call(server.url, `/api/v1/flow/sessions/${sessionId}/handoff`, { method: 'POST', key: sessionToken });
    assert.equal(handoff.status, 201, handoff.text);
    const usedHandoffToken = new URLSearchParams(new URL(handoff.json.url).hash.slice(1)).get('handoff')!;
    const redeemed = await call(server.url, '/api/v1/flow/handoff', { json: { handoffToken: usedHandoffToken } });
    assert.equal(redeemed.status, 200, redeemed.text);
    setup = {
      server,
      placeholders: {
        apiKey: server.apiKey,
        link: link.id,
        docLink: docLink.id,
        session: sessionId,
        sessionToken,
        docSession: docStarted.json.sessionId,
        docSessionToken: docStarted.json.sessionToken,
        linkTokenAltered: altered(tokenOf(link.url)),
        sessionTokenAltered: altered(sessionToken),
        usedHandoffToken,
        handoffTokenAltered: altered(usedHandoffToken),
      },
    };
    before_ = await snapshot();
    assert.equal((before_ as { documentFront: string }).documentFront, sha256(PNG));
  } catch (error) {
    await server.stop();
    throw error;
  }
});

after(() => setup?.server.stop());

test(`the table has at least 70 rows with distinct names (${rows.length})`, () => {
  assert.ok(rows.length >= 70);
  assert.equal(new Set(rows.map((r) => r.name)).size, rows.length);
});

for (const row of rows) {
  test(row.name, async () => {
    const answer = await send(row);
    const where = `${row.method} ${row.path} → ${answer.status} ${answer.text.slice(0, 300)}`;
    assert.ok(answer.status >= 400 && answer.status < 500, `not a 4xx: ${where}`);
    assert.equal(answer.status, row.status, where);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json\b/, where);
    assert.deepEqual(Object.keys(answer.json ?? {}), ['error'], where);
    assert.deepEqual(Object.keys(answer.json.error).sort(), ['code', 'message'], where);
    const { code, message } = answer.json.error;
    assert.equal(code, row.code, where);
    assert.equal(typeof message, 'string');
    assert.ok(message.trim().length > 0, where);
    assert.doesNotMatch(answer.text, /\n\s+at |    at /, `a stack trace: ${where}`);
    assert.doesNotMatch(message, /(^|[\s(])\/(work|home|tmp|usr|srv|app|opt|var)\/|[A-Za-z]:\\|\.[cm]?[jt]s:\d+/, `a file path: ${where}`);
    if (row.mentions) assert.ok(message.includes(row.mentions), `the message does not name ${row.mentions}: ${where}`);
    for (const [name, pattern] of Object.entries(row.responseHeaders ?? {})) {
      assert.match(answer.headers.get(name) ?? '', pattern, `header ${name}: ${where}`);
    }
  });
}

test('nothing stored changed, the server is up, and it logged no error', async () => {
  assert.deepEqual(await snapshot(), before_);
  const { process: child, logs } = setup.server;
  assert.equal(child.exitCode, null, 'the server exited');
  assert.equal(child.signalCode, null, 'the server was killed');
  const errors = logs.filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 50;
    } catch {
      return false;
    }
  });
  assert.deepEqual(errors, []);
});
