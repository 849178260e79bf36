import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets are stored sealed: AES-256-GCM under a key derived from SECRET_KEY,
 * bound to the endpoint's id (a sealed secret copied onto another endpoint does not open).
 * Format: "v1." + base64url(nonce 12 | tag 16 | ciphertext).
 */
export function sealSecret(key: Buffer, endpointId: string, secret: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return 'v1.' + Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function openSecret(key: Buffer, endpointId: string, sealed: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('unknown sealed secret format');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** `whsec_` and 32 random bytes. */
export const newWebhookSecret = () => 'whsec_' + randomBytes(32).toString('base64url');
