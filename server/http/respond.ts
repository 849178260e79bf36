import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';
import type { Reply } from './route.js';

/** Sent with every response; pages add their own Content-Security-Policy. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-site',
};

/** API responses are data, never pages: nothing in them may run or be framed or cached. */
const API_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

export function applyHeaders(res: ServerResponse, isApi: boolean, extra: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(isApi ? API_HEADERS : SECURITY_HEADERS)) res.setHeader(name, value);
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
}

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, payload: string): void {
  // An unread request body (refused early) is not worth draining: close the connection instead.
  if (!req.complete) res.setHeader('connection', 'close');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(req.method === 'HEAD' ? undefined : payload);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  sendJson(req, res, error.status, errorBody(error.code, error.message));
}

export async function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
  const status = reply.status ?? 200;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.json !== undefined) return sendJson(req, res, status, JSON.stringify(reply.json));
  const body = reply.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
    res.writeHead(status);
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  // Take the first chunk before the status line, so that a stream failing at once (a missing
  // file) still becomes a proper error response rather than a cut connection.
  const chunks = body[Symbol.asyncIterator]();
  const first = await chunks.next();
  res.writeHead(status);
  if (req.method === 'HEAD') {
    await chunks.return?.();
    return void res.end();
  }
  for (let next = first; !next.done; next = await chunks.next()) {
    if (!res.write(next.value)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}
