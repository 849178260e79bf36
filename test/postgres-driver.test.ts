/**
 * The PostgreSQL driver as the store sets it up (`connectPostgres`), at the edge that broke it.
 * postgres 3.4.9 as published (porsager/postgres#1189): when a transaction's BEGIN is the query
 * that fills a connection's pipeline (100 queries in flight), the driver never gives the
 * transaction the connection, yet PostgreSQL has begun it; the connection goes back to the pool
 * inside that transaction, and what other requests write on it is acknowledged and never
 * committed. In the store that showed as a burst of session starts failing with 500s, one
 * connection's worth. scripts/patch-postgres.mjs fixes it at install; this checks the fix holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectPostgres } from '../server/store/postgres/postgres-store.js';
import { createTestDatabase } from './support/postgres.js';

test('a transaction begun on a connection whose pipeline is full gets it to itself, and every acknowledged write is committed', async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  // One connection, so that everything below shares its pipeline.
  const sql = connectPostgres(database.url, 1);
  const observer = connectPostgres(database.url, 1);
  t.after(() => Promise.all([sql.end({ timeout: 5 }), observer.end({ timeout: 5 })]));
  await sql`CREATE TABLE notes (id int PRIMARY KEY, written_by text NOT NULL)`; // and the connection is open

  // One query running and 99 waiting in the pipeline, sent now (a query is sent when awaited, or
  // on execute()); the BEGIN is the 101st, then others queue. Without parameters: a statement's
  // first use with some waits for its description, unpipelined.
  const inFlight = Array.from({ length: 100 }, () => sql`SELECT pg_sleep(0.001)`.execute());
  const transaction = sql.begin(async (tx) => {
    await tx`INSERT INTO notes VALUES (0, 'the transaction')`;
    return 'committed';
  });
  const others = Array.from({ length: 20 }, (_, i) => sql`INSERT INTO notes VALUES (${i + 1}, 'another request')`);

  const outcomes = await Promise.allSettled([...inFlight, transaction, ...others]);
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} queries failed`);
  assert.equal(await transaction, 'committed');

  // Another connection sees every row that was acknowledged: nothing waits in an open transaction.
  const [{ n }] = (await observer`SELECT count(*)::int AS n FROM notes`) as unknown as [{ n: number }];
  assert.equal(n, 21);
  const [{ open }] = (await observer`
    SELECT count(*)::int AS open FROM pg_stat_activity
    WHERE datname = current_database() AND state LIKE 'idle in transaction%'`) as unknown as [{ open: number }];
  assert.equal(open, 0, 'no connection left inside a transaction');
});
