import type { DatabaseConfig } from '../config.js';
import type { Logger } from '../log.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Presenter, Store } from './store.js';

/** The store DATABASE_URL names: SQLite in a file (the default), or PostgreSQL. */
export async function openStore(database: DatabaseConfig, present: Presenter, log?: Logger): Promise<Store> {
  if (database.kind === 'sqlite') return new SqliteStore(database.file, present);
  return PostgresStore.open(database.url, present, { poolSize: database.poolSize, ...(log ? { log } : {}) });
}
