import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyBootstrap } from './accounts.js';
import { createRequestHandler } from './app.js';
import { startDemoSite, type DemoSite } from './demo/demo-site.js';
import { RequestStats } from './http/request-stats.js';
import { openBlobStore } from './captures/open-blob-store.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { EventHub } from './events/event-hub.js';
import { createLogger, type Logger } from './log.js';
import { createPresenter } from './present.js';
import { deriveKeys, loadSecret } from './secrets.js';
import { createSharing, type Sharing } from './share/sharing.js';
import { openStore } from './store/open-store.js';
import { startOrphanSweeper, startSweeper } from './sweeper.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

export interface RunningServer {
  url: string;
  deps: Deps;
  server: Server;
  secretGenerated: boolean;
  /** Stop accepting, let in-flight requests finish (up to the grace period), close the store. */
  close(): Promise<void>;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

export async function startServer(
  config: Config,
  options: { clock?: Clock; log?: Logger; webRoot?: string; sweep?: boolean; share?: Sharing } = {},
): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { secret, generated } = loadSecret(config.dataDir, config.secretKey);
  const keys = deriveKeys(secret);

  let url = config.publicUrl ?? '';
  const present = createPresenter(() => url, keys.linkToken);
  const store = await openStore(config.database, present, log);
  const blobs = await openBlobStore(config.blobStore, keys.captureEncryption, log);
  await applyBootstrap(store, clock, config.bootstrap);

  const share = options.share ?? createSharing(config.share, clock, store, keys.rateLimits);
  const stopShare = await share.start(log);

  const events = new EventHub(store, log, config.events);
  const webhooks = new WebhookDispatcher(store, clock, log, keys.webhookSecrets, config.webhooks);
  let demo: DemoSite | undefined;
  const deps: Deps = {
    config, store, blobs, keys, clock, log, present, share, events, webhooks, webRoot: options.webRoot ?? DEFAULT_WEB_ROOT, publicUrl: () => url,
    demoUrl: () => demo?.url,
  };
  const stats = new RequestStats(log);
  const handle = createRequestHandler(deps, stats);
  let isClosing = false;
  const server = createServer((req, res) => {
    // While stopping, answer what is in flight but keep no connection open for more.
    if (isClosing) res.setHeader('connection', 'close');
    void handle(req, res);
  });
  server.requestTimeout = 120_000; // a slow phone upload of a large capture still fits
  server.headersTimeout = 20_000;
  // Longer than clients and proxies keep idle connections (60 s is common), so that the server is
  // never the one to close a connection a client is about to reuse.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a burst of connections waits for the event loop instead of being reset.
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  url = config.publicUrl ?? `http://${host}:${port}`;
  if (config.demo) {
    try {
      demo = await startDemoSite(deps, { apiUrl: `http://${host}:${port}`, verifyNowOrigin: new URL(url).origin });
    } catch (error) {
      // The demo is for designers: without it, verify-now itself still serves.
      log.warn({ port: config.demo.port, code: (error as NodeJS.ErrnoException).code }, 'the demo site could not listen: set DEMO_PORT to a free port, or DEMO_PORT=off');
    }
  }

  const stopStats = stats.start(60_000);
  webhooks.start();
  const stopSweeper = options.sweep === false ? async () => {} : startSweeper(store, clock, log, config.sweepIntervalMs);
  const stopOrphanSweeper = options.sweep === false ? async () => {} : startOrphanSweeper(store, blobs, clock, log);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      isClosing = true;
      // Event streams never finish by themselves: end them now, or they would hold the stop for
      // the whole grace period. Their clients reconnect (with Last-Event-ID) to a server that runs.
      events.close();
      // Requests to slow receivers are cut, not waited for: their deliveries go back to the outbox.
      const webhooksStopped = webhooks.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Connections that finish their request while we wait become idle: close those too.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await Promise.all([drained, demo?.close()]);
      clearInterval(idleSweep);
      clearTimeout(grace);
      await webhooksStopped;
      await Promise.all([stopSweeper(), stopOrphanSweeper()]);
      stopShare();
      stopStats();
      await store.close();
    })());

  return { url, deps, server, secretGenerated: generated, close };
}
