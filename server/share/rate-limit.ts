import type { Clock } from '../clock.js';
import { rateLimitKey } from '../rate-limit-key.js';
import type { Store, TokenBucket } from '../store/store.js';

/**
 * A token bucket per key: up to `perMinute` at once, refilled evenly over a minute. Kept in the
 * store, so every process on the database takes from the same bucket; a bucket full again is
 * the same as none, and the sweeper deletes it.
 */
export class RateLimiter {
  private readonly bucket: TokenBucket;

  constructor(
    private readonly store: Store,
    private readonly secret: Buffer,
    perMinute: number,
    private readonly clock: Clock,
  ) {
    this.bucket = { capacity: perMinute, intervalMs: 60_000 / perMinute };
  }

  /** Takes one; answers 0 when allowed, else the seconds until one is free. */
  async take(name: string): Promise<number> {
    const waitMs = await this.store.takeToken(rateLimitKey(this.secret, 'share', name), this.bucket, this.clock.now());
    return waitMs === 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
  }
}
