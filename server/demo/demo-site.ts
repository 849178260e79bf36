/**
 * The designers' demo (`/demo`): a pretend merchant site served on its own port, so that the page
 * embedding the widget is really of another origin than the flow. Its little backend does what a
 * merchant's does: creates links with its API key (a `vn_test_` one: nothing is billed) and reads
 * a session's status after `verify-complete`, both through verify-now's public HTTP API.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { idSchema, ID_PREFIXES, languageSchema } from '../../contract/common.js';
import { flowSchema } from '../../contract/links.js';
import { createRequestHandler } from '../app.js';
import type { Deps } from '../deps.js';
import { HttpError } from '../http/errors.js';
import { RequestStats } from '../http/request-stats.js';
import { route, type Route } from '../http/route.js';
import { preferredCopy } from '../pages/assets.js';
import { ensureDemoMerchant, type DemoMerchant } from './demo-merchant.js';
import { renderDemoPage } from './demo-page.js';

/** Demo links stay usable for a day, for any number of tries. */
const DEMO_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface DemoSite {
  url: string;
  close(): Promise<void>;
}

export interface DemoSiteOptions {
  /** Where the demo's backend reaches the API (the address the main server listens on). */
  apiUrl: string;
  /** verify-now's public origin, as browsers see it: the widget, the flow and the previews. */
  verifyNowOrigin: string;
}

export async function startDemoSite(deps: Deps, options: DemoSiteOptions): Promise<DemoSite> {
  const { config } = deps;
  const demo = config.demo!;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: demo.port, host: config.host }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : demo.port;
  const url = demo.publicUrl ?? `http://${isLoopback(config.host) ? 'localhost' : config.host}:${port}`;

  const routes = demoRoutes(deps, { ...options, demoOrigin: new URL(url).origin });
  const stats = new RequestStats(deps.log);
  const handle = createRequestHandler(deps, stats, routes as Route[]);
  server.on('request', (req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  const stopStats = stats.start(60_000);

  return {
    url,
    close: () => {
      stopStats();
      return closeServer(server);
    },
  };
}

/**
 * `localhost` rather than 127.0.0.1 when the server listens on the loopback: another host name
 * as well as another port, so the demo is a different *site* from the flow (as a merchant's is),
 * not only a different origin: the browser partitions storage and cookies as it would for real.
 */
function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

const testLinkRequestSchema = z.strictObject({ flow: flowSchema, language: languageSchema });

function demoRoutes(deps: Deps, site: DemoSiteOptions & { demoOrigin: string }) {
  const { store, clock, config, webRoot } = deps;
  let merchant: Promise<DemoMerchant> | undefined;
  const demoMerchant = () => (merchant ??= ensureDemoMerchant(store, clock, config.dataDir, site.demoOrigin).catch((error) => {
    merchant = undefined; // try again on the next click
    throw error;
  }));

  /** The demo backend's call to verify-now's API, with the demo merchant's key. */
  const callApi = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const { apiKey } = await demoMerchant();
    const response = await fetch(site.apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response.status === 404) throw new HttpError(404, 'not_found', 'No such session in the demo shop.');
    if (!response.ok || !json) throw new HttpError(502, 'demo_backend_failed', `verify-now answered ${response.status} to the demo shop's backend.`);
    return json;
  };

  const noStore = { 'cache-control': 'no-store' };

  return [
    route({
      method: 'GET',
      path: '/',
      tag: 'demo',
      summary: 'The demo shop',
      auth: 'public',
      hidden: true,
      responses: { 302: { description: 'To /demo.' } },
      async handle() {
        return { status: 302, headers: { location: '/demo' } };
      },
    }),
    route({
      method: 'GET',
      path: '/demo',
      tag: 'demo',
      summary: 'The designers\' playground',
      auth: 'public',
      hidden: true,
      responses: { 200: { description: 'The page.' } },
      async handle() {
        if (!existsSync(join(webRoot, 'demo', 'demo.js'))) {
          throw new HttpError(503, 'not_built', 'The demo page is not built: run `npm run build` (npm start does).');
        }
        const { html, csp } = renderDemoPage(
          { verifyNowOrigin: site.verifyNowOrigin, demoOrigin: site.demoOrigin },
          { script: '/demo/assets/demo.js', style: '/demo/assets/demo.css' },
        );
        return { headers: { ...noStore, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }, body: html };
      },
    }),
    route({
      method: 'GET',
      path: '/demo/assets/:file',
      tag: 'demo',
      summary: 'The demo page\'s script and style',
      auth: 'public',
      hidden: true,
      params: z.object({ file: z.enum(['demo.js', 'demo.css', 'demo.js.map']) }),
      responses: { 200: { description: 'The file.' } },
      async handle({ params, req }) {
        return preferredCopy(join(webRoot, 'demo', params.file), req.headers['accept-encoding'], { 'cache-control': 'no-cache' });
      },
    }),
    route({
      method: 'POST',
      path: '/demo/api/test-links',
      tag: 'demo',
      summary: 'One click: a test link of the demo shop (unlimited uses, valid a day)',
      auth: 'public',
      hidden: true,
      body: testLinkRequestSchema,
      responses: { 201: { description: 'The link.' } },
      async handle({ body }) {
        const link = await callApi('POST', '/api/v1/links', {
          name: `Demo: ${body.flow} in ${body.language}`,
          flow: body.flow,
          usageLimit: null,
          expiresAt: new Date(clock.now() + DEMO_LINK_LIFETIME_MS).toISOString(),
          language: body.language,
        });
        const { id, url, flow, language, expiresAt, mode } = link;
        return { status: 201, headers: noStore, json: { id, url, flow, language, expiresAt, mode } };
      },
    }),
    route({
      method: 'GET',
      path: '/demo/api/sessions/:id',
      tag: 'demo',
      summary: 'What the demo shop\'s backend learns about a session after verify-complete',
      auth: 'public',
      hidden: true,
      params: z.object({ id: idSchema(ID_PREFIXES.session) }),
      responses: { 200: { description: 'The session\'s status.' } },
      async handle({ params }) {
        const session = await callApi('GET', `/api/v1/sessions/${params.id}`);
        const { id, status, mode, flow } = session;
        return { headers: noStore, json: { id, status, mode, flow } };
      },
    }),
  ];
}
