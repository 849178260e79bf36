/**
 * The dashboard's sign-in cookie. The cookie holds a random token; the database holds only its
 * SHA-256, so a leaked database opens no browser's session. HttpOnly (no script reads it),
 * SameSite=Lax (other sites' requests do not carry it, except top-level navigations), Secure and
 * `__Host-` when served over HTTPS. Writes it authenticates also need the session's CSRF token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock.js';
import type { UserAuth } from '../http/route.js';
import type { Store } from '../store/store.js';

/** A sign-in lasts at most a week, and ends after 12 idle hours. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** `lastSeenAt` is written at most this often: a write per request would be wasted. */
export const SESSION_TOUCH_MS = 5 * 60 * 1000;

const PLAIN_NAME = 'vn_dashboard';
const SECURE_NAME = '__Host-vn_dashboard';

export function newSessionToken(): { token: string; hash: Buffer } {
  const token = 'vnd_' + randomBytes(32).toString('base64url');
  return { token, hash: hashSessionToken(token) };
}

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest();

export const newCsrfToken = () => randomBytes(24).toString('base64url');

/** Whether cookies must be Secure: the server is reached over HTTPS. */
export const isSecureOrigin = (origin: string) => origin.startsWith('https://');

/** The sign-in token the browser sent, if any (either cookie name: a proxy may change the scheme). */
export function sessionTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name !== PLAIN_NAME && name !== SECURE_NAME) continue;
    const value = part.slice(eq + 1).trim();
    if (/^vnd_[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}

export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = Math.floor(SESSION_LIFETIME_MS / 1000);
  return `${secure ? SECURE_NAME : PLAIN_NAME}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${secure ? SECURE_NAME : PLAIN_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function sameToken(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The signed-in dashboard user this request's cookie stands for, or undefined (no cookie, an
 * unknown one, or a sign-in past its end or idle too long). Moves the idle end on, at most every
 * few minutes. Checks no CSRF token: writes do that on top.
 */
export async function signedInUser(store: Store, clock: Clock, req: IncomingMessage): Promise<UserAuth | undefined> {
  const token = sessionTokenOf(req);
  if (!token) return undefined;
  const now = clock.now();
  const found = await store.findUserSession(hashSessionToken(token), now);
  if (!found || found.session.lastSeenAt + SESSION_IDLE_MS <= now) return undefined;
  const { session, user } = found;
  if (now - session.lastSeenAt >= SESSION_TOUCH_MS) await store.touchUserSession(session.id, now);
  return {
    accountId: session.accountId, mode: 'live', userId: user.id, email: user.email,
    sessionId: session.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt,
  };
}
