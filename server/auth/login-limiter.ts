/**
 * Slows password guessing: failed sign-ins are counted per email address and per client address
 * in a sliding window; past the limit, sign-in answers 429 until the oldest failure leaves the
 * window. A success clears the address's count. In memory, per process: several processes
 * (issue 7) each count on their own, which multiplies the limit by their number, no more.
 */
export interface LoginLimits {
  windowMs: number;
  perEmail: number;
  perClient: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60 * 1000, perEmail: 10, perClient: 50 };

/** Keys kept at most: a flood of made-up addresses cannot grow memory without bound. */
const MAX_KEYS = 50_000;

export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Seconds to wait before trying again, or 0 when a try is allowed now. */
  retryAfter(email: string, client: string, now: number): number {
    const wait = (key: string, limit: number) => {
      const times = this.recent(key, now);
      return times.length >= limit ? Math.ceil((times[times.length - limit]! + this.limits.windowMs - now) / 1000) : 0;
    };
    return Math.max(wait(`email:${email}`, this.limits.perEmail), wait(`client:${client}`, this.limits.perClient));
  }

  failed(email: string, client: string, now: number): void {
    if (this.failures.size >= MAX_KEYS) this.prune(now);
    for (const key of [`email:${email}`, `client:${client}`]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeeded(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      if (times.every((t) => t <= now - this.limits.windowMs)) this.failures.delete(key);
    }
    // Still full of live entries: an attack with many addresses; forget the oldest half.
    if (this.failures.size >= MAX_KEYS) [...this.failures.keys()].slice(0, MAX_KEYS / 2).forEach((k) => this.failures.delete(k));
  }
}
