import type { IncomingMessage } from 'node:http';

/**
 * The client's address for per-client limits. Directly reachable (`hops` 0), the TCP peer's.
 * Behind `hops` trusted proxies, each of which appends the address it received from to
 * X-Forwarded-For, the entry the outermost trusted proxy added: anything left of it came from the
 * client and may be forged, so it is never used.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - hops] ?? peer;
}
