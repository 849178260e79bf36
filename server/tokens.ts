import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ID_PREFIXES } from '../contract/common.js';
import type { Mode } from '../contract/common.js';

/**
 * Link token = base64url(16 id bytes ‖ first 16 bytes of HMAC-SHA256(key, id bytes)).
 * The server checks it without reading the database, so forged tokens cost nothing, and the
 * database holds only the id, never a usable token.
 */
export function linkToken(linkId: string, key: Buffer): string {
  const idBytes = Buffer.from(linkId.slice(ID_PREFIXES.link.length), 'base64url');
  return Buffer.concat([idBytes, mac(key, idBytes)]).toString('base64url');
}

/** The link id a token stands for, or null when the token is malformed or forged. */
export function linkIdFromToken(token: string, key: Buffer): string | null {
  if (token.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 32) return null;
  const idBytes = raw.subarray(0, 16);
  if (!timingSafeEqual(raw.subarray(16), mac(key, idBytes))) return null;
  return ID_PREFIXES.link + idBytes.toString('base64url');
}

/**
 * Session token = `vns_` + base64url(16 id bytes ‖ 8-byte expiry ‖ 16-byte MAC): a bearer token for
 * one session, valid until the session's expiry, checked without a database read.
 */
export function sessionToken(sessionId: string, expiresAtMs: number, key: Buffer): string {
  const idBytes = Buffer.from(sessionId.slice(ID_PREFIXES.session.length), 'base64url');
  const expiry = Buffer.alloc(8);
  expiry.writeBigUInt64BE(BigInt(Math.floor(expiresAtMs)));
  const body = Buffer.concat([idBytes, expiry]);
  return 'vns_' + Buffer.concat([body, mac(key, body)]).toString('base64url');
}

export function verifySessionToken(
  token: string,
  key: Buffer,
  nowMs: number,
): { sessionId: string; expiresAt: number } | null {
  if (!token.startsWith('vns_') || token.length !== 4 + 54) return null;
  const raw = Buffer.from(token.slice(4), 'base64url');
  if (raw.length !== 40) return null;
  const body = raw.subarray(0, 24);
  if (!timingSafeEqual(raw.subarray(24), mac(key, body))) return null;
  const expiresAt = Number(body.readBigUInt64BE(16));
  if (expiresAt <= nowMs) return null;
  return { sessionId: ID_PREFIXES.session + body.subarray(0, 16).toString('base64url'), expiresAt };
}

function mac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest().subarray(0, 16);
}

/**
 * Handoff token = `vnh_` + 32 random bytes in base64url. Only its SHA-256 is stored: the table
 * holds nothing that would move a session to another device.
 */
export function newHandoffToken(random: (n: number) => Buffer = randomBytes): { token: string; hash: Buffer } {
  const token = 'vnh_' + random(32).toString('base64url');
  return { token, hash: sha256(token) };
}

/** The stored hash of a handoff token, or null when it is not shaped like one (no lookup needed). */
export function handoffTokenHash(token: string): Buffer | null {
  return /^vnh_[A-Za-z0-9_-]{43}$/.test(token) ? sha256(token) : null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** API keys: 32 random bytes after a visible prefix; only the SHA-256 is stored. */
export function newApiKey(mode: Mode): { key: string; hash: string; prefix: string } {
  const key = `vn_${mode}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 12) };
}

// A fast hash is enough: the key carries 256 bits of randomness, unlike a password.
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const API_KEY_PATTERN = /^vn_(live|test)_[A-Za-z0-9_-]{20,100}$/;

export function apiKeyMode(key: string): Mode | null {
  const match = API_KEY_PATTERN.exec(key);
  return match ? (match[1] as Mode) : null;
}
