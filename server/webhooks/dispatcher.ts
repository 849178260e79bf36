import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ClaimedDelivery, Store } from '../store/store.js';
import { signatureHeader } from '../../webhooks/index.js';
import { openSecret } from './secret-box.js';
import { sendWebhook, type SendOutcome } from './send.js';
import type { Resolver } from './ssrf-guard.js';

export const WEBHOOK_USER_AGENT = 'verify-now-webhooks/1 (+https://github.com/verify-now)';

export interface WebhookDispatcherOptions {
  /** One attempt's limit, from resolving the host to the answer's last byte. */
  timeoutMs: number;
  /** Retries go on this long after the event; then the delivery fails. */
  retryWindowMs: number;
  /** The first retry's delay; each one after doubles it (with jitter), up to `maxRetryDelayMs`. */
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** How often the outbox is read when nothing of this process said so (retries due, other processes' events). */
  pollMs: number;
  /** Deliveries in flight to one endpoint at once: a slow endpoint holds only these. */
  perEndpoint: number;
  /** Deliveries in flight in this process at once. */
  maxInFlight: number;
  allowPrivate: boolean;
}

/**
 * Sends the outbox: claims due deliveries (a lease, so another process or a restart after a
 * crash does not send them twice in the normal case; at least once is the guarantee), POSTs each
 * signed, and records the attempt: done on a 2xx, else a retry with exponential backoff and
 * jitter, until the retry window ends and the delivery fails. Deliveries go out concurrently,
 * at most `perEndpoint` per endpoint and `maxInFlight` in all, so an endpoint that never answers
 * only ever occupies its own slots, for `timeoutMs` each.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<string, { endpointId: string; abort: AbortController; done: Promise<void> }>();
  private readonly perEndpoint = new Map<string, number>();
  private isPumping = false;
  private mustPumpAgain = false;
  private isClosed = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly secretKey: Buffer,
    private readonly options: WebhookDispatcherOptions,
    private readonly resolve?: Resolver,
    private readonly random: () => number = Math.random,
  ) {}

  /** A claim lasts past the attempt's timeout: only a process that died leaves it to lapse. */
  private get leaseMs(): number {
    return 2 * this.options.timeoutMs + 1000;
  }

  start(): void {
    this.unsubscribe = this.store.onEventsCommitted(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Look for due deliveries now (after a commit that wrote events, a test event, a resend). */
  wake(): void {
    if (!this.isClosed) queueMicrotask(() => void this.pump());
  }

  /** Deliveries being sent now (for tests and the benchmark). */
  get sending(): number {
    return this.inFlight.size;
  }

  /**
   * Stops claiming, cuts the requests in flight (a receiver that never answers must not hold up
   * a shutdown) and hands their deliveries back at once, for the next process to send.
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
    const ids = [...this.inFlight.keys()];
    for (const { abort } of this.inFlight.values()) abort.abort();
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
    await this.store.releaseWebhookDeliveries(ids).catch((err) => this.log.error({ err }, 'could not release webhook deliveries'));
  }

  private async pump(): Promise<void> {
    if (this.isPumping) {
      this.mustPumpAgain = true;
      return;
    }
    this.isPumping = true;
    try {
      do {
        this.mustPumpAgain = false;
        while (!this.isClosed && this.inFlight.size < this.options.maxInFlight) {
          const now = this.clock.now();
          const claimed = await this.store.claimWebhookDeliveries({
            now,
            leaseUntil: now + this.leaseMs,
            perEndpoint: this.options.perEndpoint,
            inFlight: Object.fromEntries(this.perEndpoint),
            limit: this.options.maxInFlight - this.inFlight.size,
          });
          if (this.isClosed) {
            await this.store.releaseWebhookDeliveries(claimed.map((d) => d.id));
            return;
          }
          for (const delivery of claimed) this.launch(delivery);
          if (claimed.length === 0) break;
        }
      } while (this.mustPumpAgain && !this.isClosed);
    } catch (err) {
      this.log.error({ err }, 'webhook dispatcher could not claim deliveries');
    } finally {
      this.isPumping = false;
    }
  }

  private launch(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    this.perEndpoint.set(delivery.endpointId, (this.perEndpoint.get(delivery.endpointId) ?? 0) + 1);
    const done = this.deliver(delivery, abort.signal)
      .catch((err) => this.log.error({ err, deliveryId: delivery.id, endpointId: delivery.endpointId }, 'webhook delivery failed unexpectedly'))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        const left = (this.perEndpoint.get(delivery.endpointId) ?? 1) - 1;
        if (left <= 0) this.perEndpoint.delete(delivery.endpointId);
        else this.perEndpoint.set(delivery.endpointId, left);
        this.wake();
      });
    this.inFlight.set(delivery.id, { endpointId: delivery.endpointId, abort, done });
  }

  private async deliver(delivery: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const at = this.clock.now();
    const secrets = [openSecret(this.secretKey, delivery.endpointId, delivery.secretSealed)];
    if (delivery.previousSecretSealed && (delivery.previousSecretExpiresAt ?? 0) > at) {
      secrets.push(openSecret(this.secretKey, delivery.endpointId, delivery.previousSecretSealed));
    }
    const outcome = await sendWebhook({
      url: delivery.url,
      body: delivery.body,
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'verify-signature': signatureHeader(delivery.body, secrets, Math.floor(at / 1000)),
        'verify-event-id': delivery.eventId,
        'verify-event-type': delivery.eventType,
        'verify-delivery-id': delivery.id,
        'verify-attempt': String(delivery.attempt),
      },
      timeoutMs: this.options.timeoutMs,
      allowPrivate: this.options.allowPrivate,
      signal,
      ...(this.resolve ? { resolve: this.resolve } : {}),
    });
    if (outcome.error === 'aborted') return; // shutting down: close() hands the delivery back
    await this.record(delivery, at, outcome);
  }

  private async record(delivery: ClaimedDelivery, at: number, outcome: SendOutcome): Promise<void> {
    const isSuccess = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const now = this.clock.now();
    const retryAt = now + this.retryDelayMs(delivery.attempt);
    const nextAttemptAt = isSuccess || retryAt > delivery.createdAt + this.options.retryWindowMs ? null : retryAt;
    const what = outcome.statusCode !== null ? `HTTP ${outcome.statusCode}` : outcome.error;
    await this.store.recordWebhookAttempt({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt: {
        attempt: delivery.attempt,
        at,
        statusCode: outcome.statusCode,
        latencyMs: outcome.latencyMs,
        error: outcome.error,
        responseBody: outcome.responseBody,
      },
      isSuccess,
      nextAttemptAt,
      disableIfFailingSince: now - this.options.retryWindowMs,
      disableReason: `Every attempt failed for ${formatHours(this.options.retryWindowMs)} (the last: ${what}); re-enable it once it answers 2xx.`,
    });
    const fields = {
      endpointId: delivery.endpointId, deliveryId: delivery.id, attempt: delivery.attempt,
      status: outcome.statusCode, error: outcome.error ?? undefined, latencyMs: outcome.latencyMs,
    };
    if (isSuccess) this.log.info(fields, 'webhook delivered');
    else if (nextAttemptAt === null) this.log.warn(fields, 'webhook delivery failed: no retries left');
    else this.log.info({ ...fields, retryInMs: nextAttemptAt - now }, 'webhook attempt failed');
  }

  /** After attempt n failed: base × 2^(n−1), capped, times a jitter of 0.75–1.25 (retries of a burst spread out). */
  private retryDelayMs(attempt: number): number {
    const { retryBaseMs, maxRetryDelayMs } = this.options;
    const delay = Math.min(retryBaseMs * 2 ** Math.min(attempt - 1, 30), maxRetryDelayMs);
    return Math.round(delay * (0.75 + this.random() * 0.5));
  }
}

const formatHours = (ms: number) => (ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)} hours` : `${Math.round(ms / 1000)} seconds`);
