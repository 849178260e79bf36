import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ClaimedDelivery, Store } from '../store/store.js';
import { signatureHeader } from '../../webhooks/index.js';
import { openSecret } from './secret-box.js';
import { keepAliveAgents, sendWebhook, type SendOutcome } from './send.js';
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
  /** Requests in flight to one endpoint at once: a slow endpoint holds only these. */
  perEndpoint: number;
  /** Requests in flight in this process at once. */
  maxInFlight: number;
  allowPrivate: boolean;
}

/** Deliveries a lane claims at once and sends one after another: one claim per batch, not per request. */
const BATCH = 10;

interface Lane {
  endpointId: string;
  abort: AbortController;
  /** Claimed and not yet sent to the end: what a shutdown hands back. */
  unfinished: Set<string>;
  done: Promise<void>;
}

/**
 * Sends the outbox: claims due deliveries (a lease, so another process or a restart after a
 * crash does not send them twice in the normal case; at least once is the guarantee), POSTs each
 * signed, and records the attempt: done on a 2xx, else a retry with exponential backoff and
 * jitter, until the retry window ends and the delivery fails.
 *
 * Each endpoint gets at most `perEndpoint` lanes, each sending a claimed batch one request at a
 * time, and there are at most `maxInFlight` lanes in all: an endpoint that never answers only
 * ever holds its own lanes, for `timeoutMs` a request, and never delays another's deliveries.
 * Attempts are recorded while the lane sends its next request: commits are grouped, not waited for.
 */
export class WebhookDispatcher {
  private readonly lanes = new Set<Lane>();
  private readonly lanesPerEndpoint = new Map<string, number>();
  private readonly recording = new Set<Promise<void>>();
  private readonly agents = keepAliveAgents();
  /** The claiming loop, while it runs. */
  private pumping: Promise<void> | undefined;
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

  /**
   * Stops claiming, cuts the requests in flight (a receiver that never answers must not hold up
   * a shutdown) and hands their deliveries back at once, for the next process to send.
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
    for (const lane of this.lanes) lane.abort.abort();
    // A claim under way hands its deliveries back itself (it sees isClosed): before the store closes.
    await this.pumping;
    await Promise.all([...this.lanes].map((lane) => lane.done));
    await Promise.all(this.recording);
    this.agents.http.destroy();
    this.agents.https.destroy();
    const unfinished = [...this.lanes].flatMap((lane) => [...lane.unfinished]);
    await this.store.releaseWebhookDeliveries(unfinished).catch((err) => this.log.error({ err }, 'could not release webhook deliveries'));
  }

  private pump(): Promise<void> {
    if (this.pumping) {
      this.mustPumpAgain = true;
      return this.pumping;
    }
    this.pumping = this.claimWhileRoom().finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  private async claimWhileRoom(): Promise<void> {
    try {
      do {
        this.mustPumpAgain = false;
        while (!this.isClosed && this.lanes.size < this.options.maxInFlight) {
          const now = this.clock.now();
          // A lane at work counts as a full batch: an endpoint gets no more than its free lanes can send.
          const held = Object.fromEntries([...this.lanesPerEndpoint].map(([id, n]) => [id, n * BATCH]));
          const claimed = await this.store.claimWebhookDeliveries({
            now,
            perEndpoint: this.options.perEndpoint * BATCH,
            inFlight: held,
            limit: (this.options.maxInFlight - this.lanes.size) * BATCH,
            batch: BATCH,
            // Past the request's timeout with room to record it; only a process that died lets a lease lapse.
            leaseMs: 2 * this.options.timeoutMs + 1000,
            leaseStepMs: this.options.timeoutMs,
          });
          if (this.isClosed) {
            await this.store.releaseWebhookDeliveries(claimed.map((d) => d.id));
            return;
          }
          for (const batch of batches(claimed)) this.runLane(batch);
          if (claimed.length === 0) break;
        }
      } while (this.mustPumpAgain && !this.isClosed);
    } catch (err) {
      this.log.error({ err }, 'webhook dispatcher could not claim deliveries');
    }
  }

  private runLane(deliveries: ClaimedDelivery[]): void {
    const endpointId = deliveries[0]!.endpointId;
    const lane: Lane = { endpointId, abort: new AbortController(), unfinished: new Set(deliveries.map((d) => d.id)), done: Promise.resolve() };
    this.lanes.add(lane);
    this.lanesPerEndpoint.set(endpointId, (this.lanesPerEndpoint.get(endpointId) ?? 0) + 1);
    lane.done = (async () => {
      for (const delivery of deliveries) {
        if (lane.abort.signal.aborted) return;
        const outcome = await this.send(delivery, lane.abort.signal);
        if (outcome.error === 'aborted') return; // shutting down: close() hands it back
        lane.unfinished.delete(delivery.id);
        const recorded = this.record(delivery, outcome.at, outcome).catch((err) =>
          this.log.error({ err, deliveryId: delivery.id, endpointId }, 'could not record a webhook attempt'),
        );
        this.recording.add(recorded);
        void recorded.finally(() => this.recording.delete(recorded));
      }
    })()
      .catch((err) => this.log.error({ err, endpointId }, 'webhook lane failed'))
      .finally(() => {
        if (this.isClosed) return; // close() still needs the lane's unfinished deliveries
        this.lanes.delete(lane);
        const left = (this.lanesPerEndpoint.get(endpointId) ?? 1) - 1;
        if (left <= 0) this.lanesPerEndpoint.delete(endpointId);
        else this.lanesPerEndpoint.set(endpointId, left);
        this.wake();
      });
  }

  private async send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome & { at: number }> {
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
      agents: this.agents,
      ...(this.resolve ? { resolve: this.resolve } : {}),
    });
    return { ...outcome, at };
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

/** A lane's worth of one endpoint's deliveries at a time, in the order claimed. */
function batches(claimed: ClaimedDelivery[]): ClaimedDelivery[][] {
  const byEndpoint = new Map<string, ClaimedDelivery[]>();
  for (const d of claimed) byEndpoint.set(d.endpointId, [...(byEndpoint.get(d.endpointId) ?? []), d]);
  const result: ClaimedDelivery[][] = [];
  for (const list of byEndpoint.values()) for (let i = 0; i < list.length; i += BATCH) result.push(list.slice(i, i + BATCH));
  return result;
}

const formatHours = (ms: number) => (ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)} hours` : `${Math.round(ms / 1000)} seconds`);
