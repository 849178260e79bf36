import { randomUUID } from 'node:crypto';
import type { Outbox } from './outbox.js';
import { ShareFailure } from './failure.js';

/** Sends one text message; throws ShareFailure when it could not. */
export interface SmsSender {
  readonly delivery: 'provider' | 'outbox';
  send(to: string, text: string): Promise<void>;
}

export interface HttpSmsOptions {
  /** The provider's endpoint for one message. */
  url: string;
  token: string;
  /** Sender id (a number or an alphanumeric name), when the provider account has one. */
  from?: string | undefined;
  timeoutMs: number;
}

/**
 * A generic JSON SMS API, shaped like the common providers' "send one message" call:
 *
 *   POST SMS_PROVIDER_URL
 *   Authorization: Bearer SMS_PROVIDER_TOKEN
 *   Content-Type: application/json
 *   Idempotency-Key: <uuid, one per message>
 *
 *   {"to": "+491701234567", "text": "…", "from": "SMS_FROM"}   (from only when set)
 *
 * Any 2xx is a success; the answer's body is read and ignored. Redirects are not followed (the
 * token would go with them). A provider with another shape sits behind a small proxy, or gets
 * its own SmsSender.
 */
export class HttpSmsSender implements SmsSender {
  readonly delivery = 'provider';

  constructor(private readonly options: HttpSmsOptions) {}

  async send(to: string, text: string): Promise<void> {
    const { url, token, from, timeoutMs } = this.options;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ to, text, ...(from ? { from } : {}) }),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ShareFailure(`The SMS provider did not answer within ${timeoutMs / 1000} seconds. Nothing was sent; try again later.`, 'timeout');
      }
      throw new ShareFailure('The SMS provider could not be reached. Nothing was sent; try again later.', 'unreachable');
    }
    // Drain the body: its text may echo the number, so it goes nowhere.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      const why =
        response.status === 401 || response.status === 403
          ? 'refused our credentials: the server’s SMS_PROVIDER_TOKEN needs fixing'
          : response.status === 429 || response.status >= 500
            ? `is unavailable (HTTP ${response.status}); try again later`
            : `refused the message (HTTP ${response.status}); check the number`;
      throw new ShareFailure(`The SMS provider ${why}. Nothing was sent.`, `http_${response.status}`);
    }
  }
}

/** No SMS_PROVIDER_URL: the text is written to the outbox as a `.txt` file. Nobody receives it. */
export class OutboxSmsSender implements SmsSender {
  readonly delivery = 'outbox';

  constructor(
    private readonly outbox: Outbox,
    private readonly from: string | undefined,
  ) {}

  async send(to: string, text: string): Promise<void> {
    const head = [`To: ${to}`, ...(this.from ? [`From: ${this.from}`] : []), `Date: ${new Date().toISOString()}`];
    await this.outbox.write('txt', `${head.join('\n')}\n\n${text}\n`);
  }
}
