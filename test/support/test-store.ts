/**
 * The store the servers under test use: SQLite in their data directory (the default), or, with
 * TEST_STORE=postgres, a fresh PostgreSQL database on TEST_POSTGRES_URL (test/support/postgres.ts).
 *
 * A database belongs to a data directory, because the data directory is what tests hand from one
 * server process to the next (a restart, two processes on one database): the same directory means
 * the same database, and deleting the directory's data drops it.
 */
import { createTestDatabase, type TestDatabase } from './postgres.js';

const store = process.env.TEST_STORE || 'sqlite';
if (store !== 'sqlite' && store !== 'postgres') throw new Error(`TEST_STORE=${store}: use sqlite (the default) or postgres.`);

/** Whether this run's servers use PostgreSQL; tests that read the SQLite file itself skip then. */
export const isPostgresRun = store === 'postgres';

const databases = new Map<string, Promise<TestDatabase>>();
/** The URLs of the databases created so far, for what needs them at once (adminEnv). */
const urls = new Map<string, string>();

/**
 * The DATABASE_URL a server on this data directory needs (none with SQLite: the file is in the
 * directory), its database created on first use; `created` says whether this call created it.
 */
export async function storeEnvFor(dataDir: string): Promise<{ env: Record<string, string>; created: boolean }> {
  if (!isPostgresRun) return { env: {}, created: false };
  let database = databases.get(dataDir);
  const created = database === undefined;
  if (!database) {
    database = createTestDatabase();
    databases.set(dataDir, database);
    // A failed creation is not remembered: the next server on the directory tries again.
    database.then((d) => urls.set(dataDir, d.url), () => databases.delete(dataDir));
  }
  return { env: { DATABASE_URL: (await database).url }, created };
}

/** Drops the data directory's database, if it has one; servers still on it are disconnected. */
export async function releaseStoreOf(dataDir: string): Promise<void> {
  const database = databases.get(dataDir);
  if (!database) return;
  databases.delete(dataDir);
  urls.delete(dataDir);
  await (await database).drop();
}

/** The environment of the admin CLI (`dist/server/admin.js`) working on a test server's store. */
export function adminEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir };
  if (!isPostgresRun) return env;
  const url = urls.get(dataDir);
  if (!url) throw new Error(`no test database for ${dataDir}: start a server on that data directory first.`);
  return { ...env, DATABASE_URL: url };
}
