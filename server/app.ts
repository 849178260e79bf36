import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApiKeyCache } from './api-key-cache.js';
import type { Deps } from './deps.js';
import { eventRoutes } from './events/events-route.js';
import { isBackendUnavailable } from './http/backend-errors.js';
import { readJson } from './http/body.js';
import { HttpError } from './http/errors.js';
import { API_BASE_HEADERS, errorBody, PAGE_BASE_HEADERS, sendError, sendJson, sendReply } from './http/respond.js';
import type { RequestStats } from './http/request-stats.js';
import type { ApplicantAuth, MerchantAuth, Route, UserAuth } from './http/route.js';
import { sameToken, sessionTokenOf, signedInUser } from './auth/dashboard-session.js';
import { Router } from './http/router.js';
import { parseOr400 } from './http/validate.js';
import { openApiRoute } from './openapi.js';
import { assetRoutes } from './pages/assets.js';
import { dashboardRoutes } from './pages/dashboard.js';
import { widgetRoutes } from './pages/widget.js';
import { pageRoutes } from './pages/page-routes.js';
import { previewRoutes } from './pages/preview.js';
import { accountRoutes } from './routes/account.js';
import { authRoutes } from './routes/auth.js';
import { flowRoutes } from './routes/flow.js';
import { handoffRoutes } from './routes/handoff.js';
import { linkRoutes } from './routes/links.js';
import { sessionRoutes } from './routes/sessions.js';
import { shareRoutes } from './routes/share.js';
import { webhookRoutes } from './routes/webhooks.js';
import { apiKeyMode, hashApiKey, verifySessionToken } from './tokens.js';

export function allRoutes(deps: Deps): Route[] {
  const routes: Route[] = [
    ...accountRoutes(deps), ...linkRoutes(deps), ...sessionRoutes(deps), ...flowRoutes(deps), ...handoffRoutes(deps),
    ...authRoutes(deps), ...pageRoutes(deps), ...dashboardRoutes(deps), ...assetRoutes(deps), ...widgetRoutes(deps),
    ...shareRoutes(deps),
    ...webhookRoutes(deps),
    ...previewRoutes(deps),
    ...eventRoutes(deps),
  ] as Route[];
  routes.push(openApiRoute(() => routes) as Route);
  return routes;
}

/**
 * The request pipeline: match → authenticate → validate params, query and body with the route's
 * schemas → handle → reply. Every error leaves through `fail`, the one place that shapes it.
 * `routes`: verify-now's by default; the demo site runs its own through the same pipeline.
 */
export function createRequestHandler(deps: Deps, stats: RequestStats, routes: Route[] = allRoutes(deps)) {
  const router = new Router<Route>();
  for (const r of routes) router.add(r.method, r.path, r);
  const { log } = deps;

  const authenticate = async (route: Route, req: IncomingMessage, params: Record<string, string>) => {
    if (route.auth === 'public') return null;
    const bearer = bearerToken(req);
    if (route.auth === 'applicant') return applicant(bearer, params.id);
    // An API key wins over a cookie: a program's request means what its key says.
    if (bearer && route.auth === 'merchant') return merchant(bearer);
    if (bearer) throw new HttpError(403, 'dashboard_only', 'Sign in to the dashboard for this: an API key cannot manage API keys or sign-ins.');
    if (route.auth === 'merchant' && !sessionTokenOf(req)) return merchant(undefined);
    return dashboardUser(req);
  };

  const dashboardUser = async (req: IncomingMessage): Promise<UserAuth> => {
    const user = await signedInUser(deps.store, deps.clock, req);
    if (!user) {
      throw new HttpError(401, 'unauthorized', sessionTokenOf(req) ? 'Your dashboard sign-in has ended: sign in again.' : 'Sign in to the dashboard first.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') checkCsrf(req, user.csrfToken);
    return user;
  };

  /**
   * A write the cookie authenticates must come from the dashboard itself: its Origin (when the
   * browser sends one) is ours, and it carries the session's CSRF token, which another site's form
   * or script cannot know. (SameSite=Lax already keeps the cookie off other sites' posts.)
   */
  const checkCsrf = (req: IncomingMessage, expected: string) => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== new URL(deps.publicUrl()).origin) throw csrfFailed();
    const sent = req.headers['x-csrf-token'];
    if (!sameToken(typeof sent === 'string' ? sent : undefined, expected)) throw csrfFailed();
  };

  const keyCache = new ApiKeyCache();
  const merchant = async (bearer: string | undefined): Promise<MerchantAuth> => {
    if (!bearer) throw unauthorized('Send your API key as Authorization: Bearer vn_live_… (or vn_test_…).');
    if (!apiKeyMode(bearer)) throw invalidKey();
    const hash = hashApiKey(bearer);
    const cached = keyCache.get(hash, deps.clock.now());
    if (cached) return cached;
    const key = await deps.store.findApiKey(hash);
    if (!key) throw invalidKey();
    const auth = { accountId: key.accountId, mode: key.mode };
    keyCache.set(hash, auth, deps.clock.now());
    return auth;
  };

  const applicant = async (bearer: string | undefined, sessionId: string | undefined): Promise<ApplicantAuth> => {
    if (!bearer) throw unauthorized('Send the session token as Authorization: Bearer vns_….');
    const claim = verifySessionToken(bearer, deps.keys.sessionToken, deps.clock.now());
    if (!claim) throw new HttpError(401, 'invalid_session_token', 'This session token is not valid or has expired.');
    // A token opens its own session only; any other id looks exactly like an unknown one.
    if (claim.sessionId !== sessionId) throw new HttpError(404, 'session_not_found', 'No such session.');
    return { sessionId: claim.sessionId };
  };

  return async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const baseHeaders = path.startsWith('/api/') ? API_BASE_HEADERS : PAGE_BASE_HEADERS;
    let route: Route | undefined;
    try {
      const found = router.find(req.method ?? 'GET', path);
      if (!found) throw new HttpError(404, 'route_not_found', `Nothing answers ${req.method} ${path.slice(0, 100)}.`);
      if ('allowed' in found) {
        throw new HttpError(405, 'method_not_allowed', `Use ${found.allowed.join(' or ')} here.`, { allow: found.allowed.join(', ') });
      }
      route = found.handler;
      const auth = await authenticate(route, req, found.params);
      const params = route.params ? parseParams(route, found.params) : found.params;
      const query = route.query
        ? parseOr400(route.query, queryObject(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1)), 'query')
        : undefined;
      let body: unknown;
      if (route.body) {
        const json = await readJson(req);
        route.refuse?.(json);
        body = parseOr400(route.body, json ?? {}, 'body');
      }
      const reply = await route.handle({ req, res, params, query, body, auth, log });
      await sendReply(req, res, reply, baseHeaders);
    } catch (error) {
      fail(req, res, error, route, baseHeaders);
    } finally {
      // The route pattern, never the raw path: flow URLs carry link tokens.
      stats.record(req.method ?? '', route?.path ?? 'unmatched', res.statusCode, performance.now() - startedAt);
    }
  };

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown, route: Route | undefined, headers: Record<string, string>): void {
    if (res.headersSent) {
      log.error({ err: error, route: route?.path }, 'response failed after it started');
      res.destroy();
      return;
    }
    if (error instanceof HttpError) return sendError(req, res, error, headers);
    if (isClientAbort(error)) {
      res.destroy();
      return;
    }
    const incident = randomUUID();
    if (isBackendUnavailable(error)) {
      log.error({ err: error, route: route?.path, incident }, 'storage unavailable');
      const message = `Our storage is unavailable for a moment (incident ${incident}). Nothing you sent was lost; please try again.`;
      sendJson(req, res, 503, errorBody('service_unavailable', message), { ...headers, 'retry-after': '5' });
      return;
    }
    log.error({ err: error, route: route?.path, incident }, 'unexpected error');
    sendJson(req, res, 500, errorBody('internal_error', `Something went wrong on our side (incident ${incident}). Nothing you sent was lost; please try again.`), headers);
  }
}

function parseParams(route: Route, raw: Record<string, string>): unknown {
  const result = route.params!.safeParse(raw);
  // A malformed id is just an id that does not exist.
  if (!result.success) throw new HttpError(404, 'not_found', 'No such resource.');
  return result.data;
}

function queryObject(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) if (!(key in query)) query[key] = value;
  return query;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".');
  return match[1];
}

const csrfFailed = () =>
  new HttpError(403, 'csrf_failed', 'This change must come from the dashboard: send the X-CSRF-Token header it received at sign-in.');

const invalidKey = () => new HttpError(401, 'invalid_api_key', 'This API key is not valid or was revoked.');

const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, { 'www-authenticate': 'Bearer realm="verify-now"' });

function isClientAbort(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error | undefined)?.message === 'aborted';
}
