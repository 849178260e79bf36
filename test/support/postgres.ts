/**
 * Fresh PostgreSQL databases for tests, on the server TEST_POSTGRES_URL names (`npm test` starts
 * a throwaway one: test/support/with-postgres.ts). Each database is new and uniquely named, so
 * test files running at once, in several processes, never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface TestDatabase {
  /** TEST_POSTGRES_URL with this database's name as its path. */
  url: string;
  name: string;
  /** Drops the database, disconnecting whoever is still on it (a server that was not stopped). Idempotent. */
  drop(): Promise<void>;
}

/** Every test database's name starts with it: on a developer's own server, leftovers are easy to find. */
export const TEST_DATABASE_PREFIX = 'vn_test_';

export async function createTestDatabase(serverUrl = process.env.TEST_POSTGRES_URL): Promise<TestDatabase> {
  if (!serverUrl) {
    throw new Error(
      'TEST_POSTGRES_URL is not set: run the tests through npm test, or set TEST_POSTGRES_URL to a PostgreSQL ' +
        'server where they may create databases (postgres://user@host:port/postgres).',
    );
  }
  // Letters, digits and underscores only, so it needs no quoting in the statements below.
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
  await asAdmin(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    drop: () => (dropped ??= asAdmin(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

async function asAdmin(serverUrl: string, work: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
