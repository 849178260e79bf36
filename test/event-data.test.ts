/**
 * The events table keeps no usable link token: a link's events are stored without its URL (the
 * token is in it), and whoever reads an event (the live stream, webhooks) gets the URL back.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { call, createLink, tokenOf } from './support/api.js';
import { startInProcess, type InProcessServer } from './support/in-process.js';
import { adminEnv, isPostgresRun } from './support/test-store.js';

let server: InProcessServer;
before(async () => {
  server = await startInProcess();
});
after(() => server?.stop());

test('a link event is stored without the link\'s token and read back with its URL', async () => {
  const link = await createLink(server.url, server.apiKey, { name: 'Stored events', flow: 'selfie' });
  await call(server.url, `/api/v1/links/${link.id}/deactivate`, { method: 'POST', key: server.apiKey });

  const stored = await storedEvents(link.id);
  assert.deepEqual(stored.map((e) => e.type), ['link.created', 'link.deactivated']);
  for (const event of stored) {
    assert.ok(!event.data.includes(tokenOf(link.url)), `${event.type} holds no token`);
    assert.equal(JSON.parse(event.data).url, undefined);
  }

  const read = (await server.running.deps.store.readEventsAfter(0, 100)).filter((e) => e.subjectId === link.id);
  assert.deepEqual(read.map((e) => JSON.parse(e.data).url), [link.url, link.url]);
  assert.equal(Object.keys(JSON.parse(read[0]!.data))[1], 'url', 'in the place the API shows it');
});

/** The rows as the database holds them, read past the store: SQLite's file or PostgreSQL's table. */
async function storedEvents(subjectId: string): Promise<{ type: string; data: string }[]> {
  if (isPostgresRun) {
    const sql = postgres(adminEnv(server.dataDir).DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      return [...(await sql<{ type: string; data: string }[]>`SELECT type, data FROM events WHERE subject_id = ${subjectId} ORDER BY n`)];
    } finally {
      await sql.end();
    }
  }
  const db = new Database(join(server.dataDir, 'verify-now.db'), { readonly: true });
  try {
    return db.prepare('SELECT type, data FROM events WHERE subject_id = ? ORDER BY seq').all(subjectId) as { type: string; data: string }[];
  } finally {
    db.close();
  }
}
