/**
 * Verifying verify-now's webhooks on your backend. No dependency but `node:crypto`.
 *
 * Every delivery is a `POST` whose header `Verify-Signature` is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; while a secret is being
 * rotated it carries one `v1=` per valid secret. Verify the raw bytes of the body, exactly as
 * received, before parsing them.
 *
 * @example
 *   import { verifyWebhook, WebhookVerificationError } from 'verify-now/webhooks';
 *   app.post('/hooks/verify-now', express.raw({ type: 'application/json' }), (req, res) => {
 *     try {
 *       const event = verifyWebhook(req.body, req.get('verify-signature'), process.env.VERIFY_NOW_WEBHOOK_SECRET);
 *       // …handle event.type once per event.id…
 *       res.sendStatus(200);
 *     } catch (error) {
 *       if (error instanceof WebhookVerificationError) return res.status(400).send(error.message);
 *       throw error;
 *     }
 *   });
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'verify-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookVerificationReason = 'no_header' | 'malformed_header' | 'no_signature_matched' | 'timestamp_out_of_tolerance' | 'parsed_body' | 'no_secret';

/** The one error `verifyWebhook` throws; `reason` is for programs, `message` says what to fix. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(readonly reason: WebhookVerificationReason, message: string) {
    super(message);
  }
}

/** A webhook's body as verify-now sends it. */
export interface WebhookEvent<T = unknown> {
  id: string;
  type: string;
  createdAt: string;
  data: T;
}

export interface VerifyOptions {
  /** How old (or how far ahead) the header's `t` may be; 300 s by default. 0 skips the check. */
  toleranceSeconds?: number;
  /** For tests: the current time in unix seconds. */
  nowSeconds?: number;
}

/** HMAC-SHA256 of `"<t>.<raw body>"` in hex: one `v1=` value. */
export function computeSignature(rawBody: string | Uint8Array, timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `Verify-Signature` header value for a body, signed with each secret given (rotation: two). */
export function signatureHeader(rawBody: string | Uint8Array, secrets: readonly string[], timestamp = Math.floor(Date.now() / 1000)): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${computeSignature(rawBody, timestamp, secret)}`)].join(',');
}

/**
 * A valid header for `payload`, for testing your own handler: what verify-now would send.
 *
 * @example
 *   const body = JSON.stringify({ id: 'evt_test', type: 'session.approved', createdAt: new Date().toISOString(), data: {} });
 *   await fetch(myHandler, { method: 'POST', body, headers: { 'verify-signature': generateTestHeader(body, secret) } });
 */
export function generateTestHeader(payload: string | Uint8Array, secret: string, options: { timestamp?: number } = {}): string {
  return signatureHeader(payload, [secret], options.timestamp ?? Math.floor(Date.now() / 1000));
}

/**
 * Checks that `rawBody` was sent by verify-now with `secret` (any `v1=` of the header may match,
 * compared in constant time) and not too long ago, then answers the parsed event. Throws
 * `WebhookVerificationError` otherwise.
 */
export function verifyWebhook<T = unknown>(
  rawBody: string | Uint8Array,
  header: string | string[] | null | undefined,
  secret: string,
  options: VerifyOptions = {},
): WebhookEvent<T> {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookVerificationError(
      'parsed_body',
      'The body must be the raw bytes (a Buffer or string) as received, not a parsed object: re-serialising JSON changes the bytes that were signed. With Express, use express.raw({type: "application/json"}) on this route.',
    );
  }
  if (!secret) throw new WebhookVerificationError('no_secret', 'No signing secret given: pass the endpoint\'s whsec_… secret.');
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) {
    throw new WebhookVerificationError('no_header', 'No Verify-Signature header: pass the request\'s "verify-signature" header.');
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, item] = part.trim().split('=', 2);
    if (key === 't' && item && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    else if (key === 'v1' && item && /^[0-9a-f]{64}$/i.test(item)) signatures.push(item.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError('malformed_header', 'The Verify-Signature header must look like t=<unix seconds>,v1=<64 hex digits>.');
  }
  const expected = Buffer.from(computeSignature(rawBody, timestamp, secret), 'hex');
  const matched = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matched) {
    const hint = typeof rawBody === 'string' && rawBody !== rawBody.trim() ? ' (the body seems to have been altered: whitespace was added or removed)' : '';
    throw new WebhookVerificationError(
      'no_signature_matched',
      `No signature matches this body and secret${hint}. Check that you verify the raw body exactly as received (not JSON re-serialised) and the secret of this endpoint (whsec_…).`,
    );
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (tolerance > 0 && Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `The signature's timestamp is ${Math.abs(now - timestamp)} s from now, more than the ${tolerance} s allowed: a replayed request, or a clock that is off.`,
    );
  }
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  return JSON.parse(text) as WebhookEvent<T>;
}
