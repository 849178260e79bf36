/**
 * Rate limits are counted in the database: server processes on one database count failed
 * sign-ins and shares together (N processes do not give an attacker N times the allowance), the
 * database holds the addresses counted only as keyed hashes, and the sweeper keeps the counts to
 * their window. Two real processes on one SQLite file.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../server/clock.js';
import { createLogger } from '../server/log.js';
import { createPresenter } from '../server/present.js';
import { RateLimiter } from '../server/share/rate-limit.js';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.js';
import { HITS_KEEP_MS, sweep } from '../server/sweeper.js';
import { call, createLink } from './support/api.js';
import { spawnServer, testApiKey, type ServerProcess } from './support/server-process.js';

const OWNER = { email: 'owner@shop.example', password: 'correct horse battery staple' };
const UNKNOWN = 'nobody-here@shop.example';

describe('two server processes on one database', () => {
  let dir: string;
  let dbFile: string;
  let first: ServerProcess;
  let second: ServerProcess;
  const apiKey = testApiKey();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vn-limits-'));
    dbFile = join(dir, 'shared.db');
    const env = {
      SECRET_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: `sqlite:${dbFile}`,
      DEMO_PORT: 'off',
      LOG_LEVEL: 'debug',
      SHARE_RATE_PER_MINUTE: '3',
      BOOTSTRAP_ADMIN_EMAIL: OWNER.email,
      BOOTSTRAP_ADMIN_PASSWORD: OWNER.password,
    };
    first = await spawnServer({ apiKey, env });
    second = await spawnServer({ apiKey, env });
  });
  after(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  const signIn = (server: ServerProcess, email: string, password: string) =>
    call(server.url, '/api/v1/auth/login', { json: { email, password } });

  const assertLocked = async (server: ServerProcess, email: string, password: string) => {
    const answer = await signIn(server, email, password);
    assert.equal(answer.status, 429, answer.text);
    assert.equal(answer.json.error.code, 'too_many_attempts');
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After: ${retryAfter}`);
  };

  test('failed sign-ins count together: after 10 through the first process, the 11th through the second is refused', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await signIn(first, OWNER.email, `guess ${i}`)).status, 401);
    await assertLocked(second, OWNER.email, OWNER.password);
    await assertLocked(first, OWNER.email, OWNER.password);
  });

  test('an unknown address is limited the same way, its failures spread over both processes', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await signIn(i % 2 ? second : first, UNKNOWN, `guess ${i}`)).status, 401);
    await assertLocked(second, UNKNOWN, 'guess 10');
    await assertLocked(first, UNKNOWN, 'guess 11');
  });

  test('shares count together: a burst of SHARE_RATE_PER_MINUTE across both processes, then 429 from either', async () => {
    const link = await createLink(first.url, apiKey);
    const share = (server: ServerProcess) =>
      call(server.url, `/api/v1/links/${link.id}/share`, { key: apiKey, json: { channel: 'email', to: 'applicant@example.com' } });
    for (const server of [first, second, first]) assert.equal((await share(server)).status, 202);
    for (const server of [second, first]) {
      const refused = await share(server);
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.json.error.code, 'rate_limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 20, `Retry-After: ${retryAfter}`);
    }
  });

  test('the database holds the counted addresses only as keyed hashes, and the log not at all', () => {
    const db = new Database(dbFile, { readonly: true });
    try {
      const keys = db.prepare('SELECT key_hash FROM rate_limit_hits UNION SELECT key_hash FROM rate_limit_buckets').pluck().all() as string[];
      // The owner, the unknown address, the client, the account's bucket.
      assert.equal(keys.length, 4);
      const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
      const plainHashes = [OWNER.email, UNKNOWN, '127.0.0.1', '::ffff:127.0.0.1'].flatMap((value) =>
        [value, `email:${value}`, `client:${value}`].map(sha256),
      );
      for (const key of keys) {
        assert.match(key, /^[0-9a-f]{64}$/);
        assert.ok(!plainHashes.includes(key), 'not a plain SHA-256 that anyone could recompute');
      }
    } finally {
      db.close();
    }
    // Nowhere in the file or its write-ahead log: the unknown address has no other reason to be there.
    for (const file of [dbFile, `${dbFile}-wal`].filter(existsSync)) {
      const bytes = readFileSync(file);
      assert.ok(!bytes.includes(UNKNOWN), `${file} holds the address`);
    }
    for (const server of [first, second]) {
      const logs = server.logs.join('\n');
      assert.ok(!logs.includes(UNKNOWN) && !logs.includes(OWNER.email), 'no address in the log');
    }
  });
});

test('the sweeper deletes hits past the longest window and buckets full again, and nothing that still counts', async () => {
  const clock = new ManualClock();
  const store = new SqliteStore(':memory:', createPresenter(() => 'http://x', randomBytes(32)));
  try {
    // Two a minute: each token comes back after 30 s.
    const limiter = new RateLimiter(store, randomBytes(32), 2, clock);
    await limiter.take('full again');
    clock.advance(30_000);
    await limiter.take('still taken from');
    const key = 'a'.repeat(64);
    const now = clock.now();
    await store.recordHits([key], now - HITS_KEEP_MS);
    await store.recordHits([key], now - HITS_KEEP_MS + 1);
    await sweep(store, clock, createLogger('silent'));
    assert.deepEqual(await store.recentHits(key, 0, 10), [now - HITS_KEEP_MS + 1]);
    assert.equal(await store.removeFullBuckets(clock.now(), 10), 0, 'the full bucket went');
    assert.equal(await store.removeFullBuckets(clock.now() + 30_000, 10), 1, 'the other stayed until full');
  } finally {
    await store.close();
  }
});
