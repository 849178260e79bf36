import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { BlockedAddressError, resolveAllowed, type Resolver } from './ssrf-guard.js';

/** What one POST to an endpoint came to. `error` is set when there was no HTTP answer, or it was cut. */
export interface SendOutcome {
  statusCode: number | null;
  error: 'timeout' | 'blocked_address' | 'dns_failed' | 'connection_failed' | 'aborted' | null;
  /** The first characters of the answer, for the attempt log. */
  responseBody: string | null;
  latencyMs: number;
}

export interface SendOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  resolve?: Resolver;
  signal?: AbortSignal;
  /** From `keepAliveAgents()`; without, a connection per request. */
  agents?: KeepAliveAgents;
}

const RESPONSE_KEEP_CHARS = 1024;
/**
 * Connections kept open between deliveries to the same host and port (a burst costs one handshake,
 * not one per event). A kept connection goes to the address checked when it was made (every
 * attempt still checks the name first); idle ones close after 4 s, before the 5 s most servers
 * keep them (Node's default), so that we are rarely the one writing into a connection the other
 * side is closing.
 */
export function keepAliveAgents() {
  const options = { keepAlive: true, timeout: 4000, maxFreeSockets: 4, scheduling: 'lifo' as const };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}
export type KeepAliveAgents = ReturnType<typeof keepAliveAgents>;
/** Past this much of an answer we stop reading: a merchant's server has nothing long to say. */
const RESPONSE_READ_BYTES = 64 * 1024;

/**
 * POSTs a webhook. The host name is resolved and checked once (`resolveAllowed`), and the
 * connection goes to that very address: the request's `lookup` answers it instead of asking DNS
 * again. TLS still checks the certificate against the host name. Redirects are never followed
 * (a 3xx is a failed attempt), one timeout covers everything from resolving to the last byte.
 */
export async function sendWebhook(options: SendOptions): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(options.url);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failed = (error: SendOutcome['error']): SendOutcome => ({ statusCode: null, error, responseBody: null, latencyMs: elapsed() });
  const why = (): SendOutcome['error'] => (timeout.aborted ? 'timeout' : 'aborted');

  let target: { address: string; family: number };
  try {
    target = await raceAbort(resolveAllowed(url.hostname, options.allowPrivate, options.resolve), signal);
  } catch (error) {
    if (signal.aborted) return failed(why());
    return failed(error instanceof BlockedAddressError ? 'blocked_address' : 'dns_failed');
  }
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as any)(null, [target]);
    else callback(null, target.address, target.family);
  };

  return new Promise<SendOutcome>((resolve) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      {
        method: 'POST',
        host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port || undefined,
        path: url.pathname + url.search,
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        lookup,
        agent: options.agents ? (url.protocol === 'https:' ? options.agents.https : options.agents.http) : false,
        signal,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          // A whole answer leaves the connection for the next delivery; one cut short closes it.
          if (!response.complete) response.destroy();
          const text = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_KEEP_CHARS);
          resolve({ statusCode: response.statusCode ?? null, error: null, responseBody: text || null, latencyMs: elapsed() });
        };
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= RESPONSE_KEEP_CHARS * 4) chunks.push(chunk);
          if (size >= RESPONSE_READ_BYTES) done();
        });
        response.once('end', done);
        // The status arrived: an answer cut short is still that answer.
        response.once('error', done);
        response.once('aborted', done);
      },
    );
    request.once('error', () => resolve(failed(signal.aborted ? why() : 'connection_failed')));
    request.end(options.body);
  });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
