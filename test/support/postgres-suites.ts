/**
 * The API contract suites again, with every server on PostgreSQL (TEST_STORE=postgres, a fresh
 * database per server: test/support/test-store.ts). Part of `npm test`; alone, after a build:
 * `npm run test:postgres`, or `npm run test:postgres -- lifecycle webhooks` for some of them.
 * Needs TEST_POSTGRES_URL, which test/support/with-postgres.ts provides.
 *
 * Chosen: the files that exercise the store through the HTTP API (and the admin CLI) and need no
 * browser — what must behave the same whichever store is behind the API. Left out: tests of
 * SQLite itself (group-commit; shared-limits and shared-captures, which put two processes on one SQLite file of their own),
 * units that touch no store (capture-blob-store, s3-blob-store, face-model, openapi, qr, assets,
 * page-headers, widget-package, download-abort), and the browser suites, which add minutes and
 * little about the store that these do not cover.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const POSTGRES_SUITES = [
  'account-embedding', // an account's setting, read back by the flow page
  'bad-input', // refusals stay 4xx JSON with a real database behind them, and nothing is half-stored
  'concurrency', // single-use links and credits under concurrent starts: the store's transactions
  'dashboard-auth', // users, sign-in sessions and their CSRF tokens
  'event-data', // what the events table holds: a link's events without its token
  'events-stream', // the event log's order and positions, events written by another process
  'first-start', // migrations on an empty database, the first-start message
  'handoff', // one-time tokens redeemed exactly once
  'lifecycle', // the session state machine, expiry, credits held and released
  'link-stats', // the funnel's and the daily counts' queries
  'persistence', // a restart on the same database keeps everything
  'share', // sharing, its per-account limits, a second account made with the admin CLI
  'tenancy', // one account never sees another's rows
  'webhooks', // deliveries, retries, and two processes sending each event once
];

function main(only: string[]): void {
  const unknown = only.filter((name) => !POSTGRES_SUITES.includes(name));
  if (unknown.length) {
    console.error(`not a PostgreSQL suite: ${unknown.join(', ')} (they are: ${POSTGRES_SUITES.join(', ')})`);
    process.exit(2);
  }
  if (!process.env.TEST_POSTGRES_URL) {
    console.error('TEST_POSTGRES_URL is not set: run the tests through npm test (or npm run test:postgres), or set TEST_POSTGRES_URL.');
    process.exit(2);
  }
  const dist = fileURLToPath(new URL('../', import.meta.url));
  const files = (only.length ? only : POSTGRES_SUITES).map((name) => `${dist}${name}.test.js`);
  console.error(`== PostgreSQL store: ${files.length} suite(s) again with TEST_STORE=postgres`);
  const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, TEST_STORE: 'postgres' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.once('exit', (code) => process.exit(code ?? 1));
}

main(process.argv.slice(2));
