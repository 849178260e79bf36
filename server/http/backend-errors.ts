/**
 * Failures of what the server depends on, rather than of the request: the database or the capture
 * bucket unreachable, restarting, or out of connections. The client's request was fine and may
 * simply be sent again, so it gets a 503 with Retry-After instead of a 500.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE',
  // the postgres driver's own
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
]);
/** PostgreSQL: connection exceptions (08…), shutting down or starting (57P01–57P03), too many connections (53300). */
const POSTGRES_UNAVAILABLE = /^(08|57P0[123]$|53300$)/;

export function isBackendUnavailable(error: unknown): boolean {
  const { name, code, status } = (error ?? {}) as { name?: unknown; code?: unknown; status?: unknown };
  // S3RequestError (captures/s3-blob-store.ts, loaded only with S3): a network failure or a 5xx.
  if (name === 'S3RequestError') return status === undefined || (typeof status === 'number' && status >= 500);
  return typeof code === 'string' && (CONNECTION_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code));
}
