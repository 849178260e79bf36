import type { MerchantAuth } from './http/route.js';

/**
 * Who an API key belongs to, remembered for a few seconds so that a busy integration does not
 * pay a database read per request. The price: a key revoked in another process (the admin CLI,
 * another server) keeps working for at most `ttlMs`. Keys are held by their hash only.
 */
export class ApiKeyCache {
  private entries = new Map<string, { auth: MerchantAuth; until: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyHash: string, now: number): MerchantAuth | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.until > now) return entry.auth;
    this.entries.delete(keyHash);
    return undefined;
  }

  set(keyHash: string, auth: MerchantAuth, now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(keyHash, { auth, until: now + this.ttlMs });
  }

  forget(keyHash: string): void {
    this.entries.delete(keyHash);
  }
}
