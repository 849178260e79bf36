import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { GroupCommit } from '../server/store/sqlite/group-commit.js';

const counter = () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL CHECK (n >= 0)); INSERT INTO t VALUES (1, 3)');
  const take = db.prepare('UPDATE t SET n = n - 1 WHERE id = 1');
  const read = () => (db.prepare('SELECT n FROM t').get() as { n: number }).n;
  return { db, take, read };
};

test('units of one turn commit together, each seeing the ones before it', async () => {
  const { db, take, read } = counter();
  const commits = new GroupCommit(db);
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => commits.run(() => (take.run(), read()))));
  // n ≥ 0 holds: the fourth and fifth units fail alone, the first three stand.
  assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : 'refused')), [2, 1, 0, 'refused', 'refused']);
  assert.equal(read(), 0);
});

test('a unit that throws rolls back only its own changes', async () => {
  const { db, take, read } = counter();
  const commits = new GroupCommit(db);
  const first = commits.run(() => take.run());
  const failing = commits.run(() => {
    take.run();
    throw new Error('changed my mind');
  });
  const third = commits.run(() => take.run());
  await first;
  await assert.rejects(failing, /changed my mind/);
  await third;
  assert.equal(read(), 1);
});

test('nothing is acknowledged before its commit', async () => {
  const { db, take } = counter();
  const commits = new GroupCommit(db);
  let isAcknowledged = false;
  const done = commits.run(() => take.run()).then(() => (isAcknowledged = true));
  assert.equal(isAcknowledged, false);
  assert.equal(db.inTransaction, false, 'the unit has not even run yet: it waits for the turn to end');
  await done;
  assert.equal(isAcknowledged, true);
});
