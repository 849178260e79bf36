import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpError } from './errors.js';
import type { Reply } from './route.js';

type Headers = Record<string, string>;

/** Sent with every response; pages add their own Content-Security-Policy. */
export const PAGE_BASE_HEADERS: Headers = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-site',
};

/** API responses are data, never pages: nothing in them may run or be framed or cached. */
export const API_BASE_HEADERS: Headers = {
  ...PAGE_BASE_HEADERS,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** All headers go out in one writeHead call: cheaper than a setHeader per header. */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, payload: string, headers: Headers): void {
  const all: Headers = { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) };
  // An unread request body (refused early) is not worth draining: close the connection instead.
  if (!req.complete) all.connection = 'close';
  res.writeHead(status, all);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: HttpError, base: Headers): void {
  sendJson(req, res, error.status, error.body, { ...base, ...error.headers });
}

export async function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply, base: Headers): Promise<void> {
  const status = reply.status ?? 200;
  const headers = reply.headers ? { ...base, ...reply.headers } : base;
  if (reply.json !== undefined) return sendJson(req, res, status, JSON.stringify(reply.json), headers);
  const body = reply.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    res.writeHead(status, body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  // Take the first chunk before the status line, so that a stream failing at once (a missing
  // file) still becomes a proper error response rather than a cut connection.
  const chunks = body[Symbol.asyncIterator]();
  const first = await chunks.next();
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    await chunks.return?.();
    return void res.end();
  }
  for (let next = first; !next.done; next = await chunks.next()) {
    if (!res.write(next.value) && !(await drainedOrClosed(res))) {
      // The client went away mid-download: stop reading (closing the file) instead of waiting forever.
      await chunks.return?.();
      return;
    }
  }
  res.end();
}

/** Resolves true when the response can take more, false when its connection closed first. */
function drainedOrClosed(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (drained: boolean) => {
      res.off('drain', onDrain).off('close', onClose);
      resolve(drained);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain).once('close', onClose);
  });
}
