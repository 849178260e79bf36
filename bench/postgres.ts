/**
 * PostgreSQL for the benchmarks that need one (the PostgreSQL store's benchmark is still to come):
 * a server started on first use and stopped when the run ends, and a fresh database per caller.
 * The server is BENCH_POSTGRES_URL (your own, tuned like production), else a throwaway cluster
 * (test/support/throwaway-postgres.ts) with PostgreSQL's durable defaults, so that its commits
 * cost what they cost in production. A run killed before its end leaves nothing: the throwaway
 * cluster's watchdog deletes it.
 */
import { createTestDatabase, type TestDatabase } from '../test/support/postgres.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/throwaway-postgres.js';

let throwaway: Promise<ThrowawayPostgres> | undefined;

/** A fresh database for one benchmark; drop() it when done. */
export async function benchDatabase(): Promise<TestDatabase> {
  return createTestDatabase(await benchPostgresUrl());
}

/** The server's URL, starting the throwaway cluster on the first call. */
export async function benchPostgresUrl(): Promise<string> {
  if (process.env.BENCH_POSTGRES_URL) return process.env.BENCH_POSTGRES_URL;
  throwaway ??= startThrowawayPostgres({ durable: true });
  return (await throwaway).url;
}

/** The throwaway cluster's server process, for its CPU time (none with BENCH_POSTGRES_URL). */
export async function benchPostgresPid(): Promise<number | undefined> {
  return process.env.BENCH_POSTGRES_URL ? undefined : (await throwaway)?.pid;
}

/** Stops the throwaway cluster if one was started; the end of every run calls it. */
export async function stopBenchPostgres(): Promise<void> {
  const pg = await throwaway?.catch(() => undefined);
  throwaway = undefined;
  await pg?.stop();
}
