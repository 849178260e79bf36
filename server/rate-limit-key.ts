import { createHmac } from 'node:crypto';

/**
 * The key a rate limit counts under in the store: HMAC-SHA-256 (hex) of what it counts, keyed from
 * SECRET_KEY. Email and client addresses are personal data: the table must not hold them, nor a
 * plain SHA-256 of them, which anyone reverses by hashing every IPv4 address or a list of emails.
 * Processes counting together must share SECRET_KEY (as they must for link tokens anyway).
 */
export function rateLimitKey(secret: Buffer, scope: 'email' | 'client' | 'share', value: string): string {
  return createHmac('sha256', secret).update(`${scope}:${value}`).digest('hex');
}
