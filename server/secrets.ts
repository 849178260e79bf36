import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Keys for separate purposes, each derived from SECRET_KEY so that one never doubles as another. */
export interface Keys {
  linkToken: Buffer;
  sessionToken: Buffer;
  captureEncryption: Buffer;
  /** Seals webhook endpoints' signing secrets in the database (signing needs them in the clear). */
  webhookSecrets: Buffer;
  /** Keys the HMACs that rate limits count under (`rate-limit-key.ts`). */
  rateLimits: Buffer;
}

const derive = (secret: string, purpose: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'verify-now', purpose, 32));

export function deriveKeys(secret: string): Keys {
  return {
    linkToken: derive(secret, 'link-token v1'),
    sessionToken: derive(secret, 'session-token v1'),
    captureEncryption: derive(secret, 'capture-encryption v1'),
    webhookSecrets: derive(secret, 'webhook-secret v1'),
    rateLimits: derive(secret, 'rate-limit v1'),
  };
}

/**
 * SECRET_KEY from the environment, or the one generated into DATA_DIR on first start.
 * Losing it makes every link token invalid and every capture unreadable: back it up with the data.
 */
export function loadSecret(dataDir: string, fromEnv: string | undefined): { secret: string; generated: boolean } {
  if (fromEnv) return { secret: fromEnv, generated: false };
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { secret, generated: true };
}
