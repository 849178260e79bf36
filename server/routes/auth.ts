import { z } from 'zod';
import {
  apiKeyCreatedSchema, apiKeyCreateSchema, apiKeySchema, dashboardSessionSchema, loginSchema, type ApiKey, type DashboardSession,
} from '../../contract/auth.js';
import { ID_PREFIXES, idSchema } from '../../contract/common.js';
import { issueApiKey } from '../accounts.js';
import {
  clearedSessionCookie, isSecureOrigin, newCsrfToken, newSessionToken, sessionCookie, SESSION_LIFETIME_MS, signedInUser,
} from '../auth/dashboard-session.js';
import { LoginLimiter } from '../auth/login-limiter.js';
import type { Deps } from '../deps.js';
import { clientAddress } from '../http/client-address.js';
import { HttpError, notFound } from '../http/errors.js';
import { route, type UserAuth } from '../http/route.js';
import { newId } from '../ids.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import type { ApiKeyRow } from '../store/store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Dashboard sign-in and out, and the API keys a signed-in user manages. */
export function authRoutes({ store, clock, keys, publicUrl, config }: Deps, limiter = new LoginLimiter(store, keys.rateLimits)) {
  const secure = () => isSecureOrigin(publicUrl());
  // Unknown addresses are checked against this hash too, so the answer takes as long for them.
  let decoy: Promise<string> | undefined;

  const view = (auth: Pick<UserAuth, 'userId' | 'email' | 'accountId' | 'csrfToken' | 'expiresAt'>): DashboardSession => ({
    user: { id: auth.userId, email: auth.email, accountId: auth.accountId },
    csrfToken: auth.csrfToken,
    expiresAt: iso(auth.expiresAt),
  });

  const keyView = (row: ApiKeyRow): ApiKey => ({
    id: row.id, prefix: row.prefix, mode: row.mode, createdAt: iso(row.createdAt), revokedAt: row.revokedAt === null ? null : iso(row.revokedAt),
  });

  return [
    route({
      method: 'POST',
      path: '/api/v1/auth/login',
      tag: 'dashboard',
      summary: 'Sign in to the dashboard: sets an HttpOnly session cookie',
      auth: 'public',
      body: loginSchema,
      responses: {
        200: { description: 'Signed in; the cookie is set.', schema: dashboardSessionSchema },
        401: { description: '`invalid_credentials`: no such user, or the wrong password (the answer does not say which).' },
        403: { description: '`csrf_failed`: the request came from another site.' },
        429: { description: '`too_many_attempts`: too many failures for this address or from this client; see Retry-After.' },
      },
      async handle({ req, body }) {
        // A sign-in posted from another site would sign the browser in as someone else.
        const origin = req.headers.origin;
        if (origin !== undefined && origin !== new URL(publicUrl()).origin) {
          throw new HttpError(403, 'csrf_failed', 'Sign in from the dashboard itself.');
        }
        const email = body.email.toLowerCase();
        const client = clientAddress(req, config.trustProxyHops);
        const now = clock.now();
        const wait = await limiter.retryAfter(email, client, now);
        if (wait > 0) {
          throw new HttpError(429, 'too_many_attempts', `Too many failed sign-ins: try again in ${Math.ceil(wait / 60)} minute(s).`, { 'retry-after': String(wait) });
        }
        const user = await store.findUserByEmail(email);
        const matches = await verifyPassword(body.password, user?.passwordHash ?? (await (decoy ??= hashPassword('decoy password'))));
        if (!user || !matches) {
          // Unknown address or wrong password: the same write, so the answer takes as long.
          await limiter.failed(email, client, now);
          throw new HttpError(401, 'invalid_credentials', 'The email address or the password is not right.');
        }
        await limiter.succeeded(email);
        const { token, hash } = newSessionToken();
        const session = {
          id: newId(ID_PREFIXES.userSession), tokenHash: hash, userId: user.id, accountId: user.accountId,
          csrfToken: newCsrfToken(), createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_LIFETIME_MS,
        };
        await store.createUserSession(session);
        return {
          headers: { 'set-cookie': sessionCookie(token, secure()) },
          json: view({ userId: user.id, email: user.email, accountId: user.accountId, csrfToken: session.csrfToken, expiresAt: session.expiresAt }),
        };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/auth/session',
      tag: 'dashboard',
      summary: 'Whether this browser is signed in: the user and the CSRF token for writes, or null',
      auth: 'public',
      // Not signed in is an answer here, not an error: the dashboard asks this on every start.
      responses: { 200: { description: 'The sign-in, or null.', schema: z.object({ session: dashboardSessionSchema.nullable() }) } },
      async handle({ req }) {
        const user = await signedInUser(store, clock, req);
        return { headers: { 'cache-control': 'no-store' }, json: { session: user ? view(user) : null } };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/auth/logout',
      tag: 'dashboard',
      summary: 'Sign this browser out',
      auth: 'user',
      responses: { 204: { description: 'Signed out; the cookie is cleared.' } },
      async handle({ auth }) {
        await store.deleteUserSession(auth.sessionId);
        return { status: 204, headers: { 'set-cookie': clearedSessionCookie(secure()) } };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/auth/logout-everywhere',
      tag: 'dashboard',
      summary: 'Sign the user out on every browser (a lost laptop, a shared computer)',
      auth: 'user',
      responses: { 200: { description: 'How many sign-ins ended.', schema: z.object({ signedOut: z.number().int() }) } },
      async handle({ auth }) {
        const signedOut = await store.deleteUserSessions(auth.userId);
        return { headers: { 'set-cookie': clearedSessionCookie(secure()) }, json: { signedOut } };
      },
    }),

    route({
      method: 'GET',
      path: '/api/v1/api-keys',
      tag: 'dashboard',
      summary: 'The account\'s API keys (prefixes only), newest first',
      auth: 'user',
      responses: { 200: { description: 'The keys.', schema: z.object({ data: z.array(apiKeySchema) }) } },
      async handle({ auth }) {
        return { json: { data: (await store.listApiKeys(auth.accountId)).map(keyView) } };
      },
    }),

    route({
      method: 'POST',
      path: '/api/v1/api-keys',
      tag: 'dashboard',
      summary: 'A new API key, shown this once',
      auth: 'user',
      body: apiKeyCreateSchema,
      responses: { 201: { description: 'The key.', schema: apiKeyCreatedSchema } },
      async handle({ auth, body }) {
        const { key, row } = await issueApiKey(store, clock, auth.accountId, body.mode);
        return { status: 201, json: { ...keyView(row), key } };
      },
    }),

    route({
      method: 'DELETE',
      path: '/api/v1/api-keys/:id',
      tag: 'dashboard',
      summary: 'Revoke an API key (for good; a server that cached it stops taking it within 5 s)',
      auth: 'user',
      params: z.object({ id: idSchema(ID_PREFIXES.apiKey) }),
      responses: { 200: { description: 'The revoked key.', schema: apiKeySchema }, 404: { description: 'No such key in this account.' } },
      async handle({ auth, params }) {
        const row = await store.revokeApiKey(auth.accountId, params.id, clock.now());
        if (!row) throw notFound('API key');
        return { json: keyView(row) };
      },
    }),
  ];
}
