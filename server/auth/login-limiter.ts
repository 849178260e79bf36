import { rateLimitKey } from '../rate-limit-key.js';
import type { Store } from '../store/store.js';

/**
 * Slows password guessing: failed sign-ins are counted per email address and per client address
 * in a sliding window; past the limit, sign-in answers 429 until the oldest failure leaves the
 * window. A success clears the address's count. Counted in the store, so every process on the
 * database counts together: more processes do not give an attacker more tries. Both addresses
 * are stored only as keyed hashes.
 */
export interface LoginLimits {
  /** At most the sweeper's `HITS_KEEP_MS`, or it deletes failures still counting. */
  windowMs: number;
  perEmail: number;
  perClient: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60 * 1000, perEmail: 10, perClient: 50 };

export class LoginLimiter {
  constructor(
    private readonly store: Store,
    private readonly secret: Buffer,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /**
   * Seconds to wait before trying again, or 0 when a try is allowed now. The same reads for every
   * address, known or not: the limiter tells no one which addresses have an account.
   */
  async retryAfter(email: string, client: string, now: number): Promise<number> {
    const wait = async (keyHash: string, limit: number) => {
      // The limit-th newest failure is the one that must leave the window first.
      const times = await this.store.recentHits(keyHash, now - this.limits.windowMs, limit);
      return times.length >= limit ? Math.ceil((times[limit - 1]! + this.limits.windowMs - now) / 1000) : 0;
    };
    const waits = await Promise.all([wait(this.emailKey(email), this.limits.perEmail), wait(this.clientKey(client), this.limits.perClient)]);
    return Math.max(...waits);
  }

  async failed(email: string, client: string, now: number): Promise<void> {
    await this.store.recordHits([this.emailKey(email), this.clientKey(client)], now);
  }

  async succeeded(email: string): Promise<void> {
    await this.store.clearHits(this.emailKey(email));
  }

  private emailKey(email: string): string {
    return rateLimitKey(this.secret, 'email', email);
  }

  private clientKey(client: string): string {
    return rateLimitKey(this.secret, 'client', client);
  }
}
