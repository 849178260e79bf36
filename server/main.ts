import { existsSync } from 'node:fs';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';

/** `npm start`: one process serving the API, the flow pages and the built browser assets. */
async function main(): Promise<void> {
  // Everything this process writes under DATA_DIR (database, captures, secret) is for its user only.
  process.umask(0o077);
  // A log reader that has gone away (a closed pipe) ends what we can say, not the server.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const running = await startServer(config, { log });
  const { store } = running.deps;

  log.info({ url: running.url, dataDir: config.dataDir }, 'listening');
  if (running.secretGenerated) log.info('generated a new SECRET_KEY into DATA_DIR/secret.key: back it up with the data');
  if (!existsSync(new URL('../web/.vite/manifest.json', import.meta.url))) {
    log.warn('browser assets are not built: run `npm run build` (npm start does) for the flow pages');
  }
  // People read this part: say where to go and, on a fresh install, what to do first.
  const lines = [`verify-now is running at ${running.url}`];
  lines.push(`The merchant dashboard: ${running.url}/dashboard (users: npm run admin -- create-user)`);
  const demoUrl = running.deps.demoUrl();
  if (demoUrl) lines.push(`The designers' demo (a pretend shop on another origin): ${demoUrl}/demo`);
  if ((await store.countAccounts()) === 0) {
    lines.push(
      '',
      'No merchant account exists yet. Create one and an API key:',
      '  npm run admin -- create-account --name "My shop" --credits 100',
      '  npm run admin -- create-api-key --account <the acc_… id it prints>',
      '(or start with BOOTSTRAP_API_KEY=vn_test_… BOOTSTRAP_CREDITS=100 for scripts and tests)',
    );
  }
  process.stderr.write(lines.join('\n') + '\n');

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down: finishing requests in flight');
    running.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('verify-now could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
