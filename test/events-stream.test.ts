import { after, before, describe, test } from 'node:test';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { eventSchema } from '../contract/events.js';
import { EventStream } from '../server/events/event-stream.js';
import { createLogger } from '../server/log.js';
import type { Store } from '../server/store/store.js';
import { call, createLink, startSession, tokenOf } from './support/api.js';
import { startInProcess } from './support/in-process.js';
import { fixturePath, REPO_ROOT, spawnServer, type ServerProcess } from './support/server-process.js';
import { openEventStream, SseParser, type SseEvent, type SseStream } from './support/sse.js';
import { adminEnv, isPostgresRun } from './support/test-store.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const payload = (event: SseEvent) => JSON.parse(event.data) as { id: string; type: string; createdAt: string; data: any };
const about = (subjectId: string) => (event: SseEvent) => payload(event).data.id === subjectId;

const OWNER = { email: 'owner@shop.example', password: 'correct horse battery' };
let server: ServerProcess;
before(async () => {
  server = await spawnServer({
    env: { EVENTS_HEARTBEAT_SECONDS: '0.3', DEMO_PORT: 'off', BOOTSTRAP_ADMIN_EMAIL: OWNER.email, BOOTSTRAP_ADMIN_PASSWORD: OWNER.password },
  });
});
after(() => server.stop());

/** Streams opened by a test, closed after it whatever happens; an open one has its preamble read. */
const opened: SseStream[] = [];
const open = async (...args: Parameters<typeof openEventStream>) => {
  const stream = await openEventStream(...args);
  opened.push(stream);
  if (stream.status === 200) await stream.waitFor((s) => s.retry !== undefined, 5000, 'the preamble');
  return stream;
};
const closeAll = () => {
  for (const stream of opened.splice(0)) stream.close();
};

async function admin(dataDir: string, ...args: string[]) {
  const { stdout } = await run(process.execPath, ['dist/server/admin.js', ...args], {
    cwd: REPO_ROOT,
    env: adminEnv(dataDir),
  });
  return stdout.trim();
}

async function secondAccountKey(dataDir: string): Promise<string> {
  const accountId = /^(acc_\S+)/.exec(await admin(dataDir, 'create-account', '--name', 'Other shop', '--credits', '5'))![1]!;
  return admin(dataDir, 'create-api-key', '--account', accountId);
}

const rename = (linkId: string, name: string, key = server.apiKey) =>
  call(server.url, `/api/v1/links/${linkId}`, { method: 'PATCH', key, json: { name } });

describe('GET /api/v1/events', { concurrency: false }, () => {
  after(closeAll);

  test('a link made and a session started arrive on an open stream as id, event and {id, type, createdAt, data}', async () => {
    const stream = await open(server.url, { key: server.apiKey });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type')!, /^text\/event-stream/);
    assert.equal(stream.headers.get('cache-control'), 'no-store');
    assert.equal(stream.headers.get('x-accel-buffering'), 'no');
    assert.equal(stream.headers.get('content-encoding'), null);
    await stream.waitFor((s) => s.retry !== undefined, 2000, 'the preamble');
    assert.equal(stream.retry, 2000);
    const start = Number(stream.lastEventId);
    assert.ok(Number.isInteger(start) && start >= 0, 'the preamble gives the position as id');

    const link = await createLink(server.url, server.apiKey, { flow: 'selfie' });
    const [created] = await stream.collect(about(link.id), 1);
    assert.equal(created!.event, 'link.created');
    assert.ok(Number(created!.id) > start, 'ids are positions after the preamble');
    const body = payload(created!);
    assert.deepEqual(Object.keys(body), ['id', 'type', 'createdAt', 'data']);
    assert.equal(eventSchema.safeParse(body).success, true, 'the contract schema describes it');
    assert.match(body.id, /^evt_/);
    assert.equal(body.type, 'link.created');
    assert.deepEqual(body.data, link, 'data is the link as the API showed it');

    const started = await startSession(server.url, tokenOf(link.url));
    const sessionId = started.json.sessionId as string;
    const [session] = await stream.collect(about(sessionId), 1);
    assert.equal(session!.event, 'session.created');
    assert.ok(Number(session!.id) > Number(created!.id));
    const sessionBody = payload(session!);
    assert.equal(eventSchema.safeParse(sessionBody).success, true);
    assert.equal(sessionBody.data.status, 'created');
    assert.equal(sessionBody.data.linkId, link.id);
    assert.deepEqual(sessionBody.data.captures, []);
    assert.equal(stream.events.filter((e) => e.id === created!.id).length, 1, 'once each');
    closeAll();
  });

  test("the dashboard's sign-in cookie opens the stream, as EventSource sends it", async () => {
    const login = await call(server.url, '/api/v1/auth/login', { json: OWNER });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const stream = await open(server.url, { headers: { cookie } });
    assert.equal(stream.status, 200);
    const link = await createLink(server.url, server.apiKey);
    const [created] = await stream.collect(about(link.id), 1);
    assert.equal(created!.event, 'link.created');
    const signedOut = await open(server.url, { headers: { cookie: cookie.replace(/=.*/, '=nope') } });
    assert.equal(signedOut.status, 401);
    closeAll();
  });

  test('100 streams on one account all receive the same event', async () => {
    const streams = await Promise.all(Array.from({ length: 100 }, () => open(server.url, { key: server.apiKey })));
    assert.deepEqual(new Set(streams.map((s) => s.status)), new Set([200]));
    const link = await createLink(server.url, server.apiKey);
    const received = await Promise.all(streams.map((s) => s.collect(about(link.id), 1, 10_000)));
    const ids = new Set(received.map(([event]) => `${event!.id} ${payload(event!).id}`));
    assert.equal(ids.size, 1, 'the same event, with the same id, on every stream');
    closeAll();
  });

  test('a stream resumed with Last-Event-ID or ?after= misses nothing and repeats nothing', async () => {
    const link = await createLink(server.url, server.apiKey);
    const first = await open(server.url, { key: server.apiKey });
    await rename(link.id, 'before the cut');
    const [seen] = await first.collect(about(link.id), 1);
    first.close();

    // Changes while the client is away, then a reconnect as EventSource makes it.
    for (let i = 0; i < 5; i++) await rename(link.id, `away ${i}`);
    const resumed = await open(server.url, { key: server.apiKey, lastEventId: first.lastEventId });
    assert.equal(first.lastEventId, seen!.id);
    await rename(link.id, 'live again');
    const events = await resumed.collect(about(link.id), 6);
    await sleep(300);
    const names = resumed.events.filter(about(link.id)).map((e) => payload(e).data.name);
    assert.deepEqual(names, ['away 0', 'away 1', 'away 2', 'away 3', 'away 4', 'live again']);
    const ids = events.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in order');
    assert.ok(ids[0]! > Number(seen!.id));

    // ?after= does the same for a page's first connection; Last-Event-ID wins over it.
    const fromQuery = await open(server.url, { key: server.apiKey, query: `after=${seen!.id}` });
    const replayed = await fromQuery.collect(about(link.id), 6);
    assert.deepEqual(replayed.map((e) => e.id), events.map((e) => e.id));
    const both = await open(server.url, { key: server.apiKey, query: 'after=0', lastEventId: events[4]!.id });
    const [onlyLast] = await both.collect(about(link.id), 1);
    assert.equal(payload(onlyLast!).data.name, 'live again');

    // A position past the latest (another database's) starts at the latest.
    const future = await open(server.url, { key: server.apiKey, query: 'after=999999999999' });
    assert.ok(Number(future.lastEventId) >= Number(events.at(-1)!.id) && Number(future.lastEventId) < 999999999999);

    // Without either: new events only.
    const fresh = await open(server.url, { key: server.apiKey });
    await rename(link.id, 'new');
    const [newest] = await fresh.collect(about(link.id), 1);
    assert.equal(payload(newest!).data.name, 'new');
    assert.equal(fresh.events.length, 1);
    closeAll();
  });

  test("an account's stream never carries another account's events, live or replayed", async () => {
    const keyB = await secondAccountKey(server.dataDir);
    const streamA = await open(server.url, { key: server.apiKey });
    const streamB = await open(server.url, { key: keyB });
    const start = streamB.lastEventId;

    const linkA = await createLink(server.url, server.apiKey, { flow: 'selfie' });
    await startSession(server.url, tokenOf(linkA.url));
    await rename(linkA.id, 'A renamed');
    const linkB = await createLink(server.url, keyB, { flow: 'selfie' });

    await streamA.collect(about(linkA.id), 2);
    await streamB.collect(about(linkB.id), 1);
    await sleep(300);
    assert.deepEqual(streamB.events.map((e) => payload(e).data.id), [linkB.id]);
    assert.ok(!streamA.events.some(about(linkB.id)));

    const replayB = await open(server.url, { key: keyB, query: 'after=0' });
    await replayB.collect(about(linkB.id), 1);
    await sleep(200);
    assert.deepEqual(replayB.events.map((e) => payload(e).data.id), [linkB.id], 'a replay from the start holds only its own');
    assert.ok(Number(start) >= 0);
    closeAll();
  });

  test('a quiet stream gets a heartbeat comment', async () => {
    const stream = await open(server.url, { key: server.apiKey, query: 'types=link.expired' });
    await stream.waitFor((s) => s.comments.includes('heartbeat'), 3000, 'a heartbeat');
    assert.equal(stream.events.length, 0, 'a comment is not an event');
    closeAll();
  });

  test('?types= keeps only the events asked for', async () => {
    const stream = await open(server.url, { key: server.apiKey, query: 'types=link.deactivated,session.created' });
    const link = await createLink(server.url, server.apiKey);
    await rename(link.id, 'not wanted');
    await call(server.url, `/api/v1/links/${link.id}/deactivate`, { method: 'POST', key: server.apiKey });
    const [deactivated] = await stream.collect(about(link.id), 1);
    assert.equal(deactivated!.event, 'link.deactivated');
    await sleep(200);
    assert.deepEqual(stream.events.map((e) => e.event), ['link.deactivated']);
    closeAll();
  });

  test('bad input: an unknown type is a 400 naming types; a bad position is a 400; no or a wrong key is a 401', async () => {
    const unknown = await open(server.url, { key: server.apiKey, query: 'types=session.created,session.teleported' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.errorJson.error.code, 'invalid_request');
    assert.match(unknown.errorJson.error.message, /^types/);
    assert.match(unknown.errorJson.error.message, /session\.teleported/);
    for (const query of ['after=-1', 'after=1.5', 'after=abc', 'colour=red']) {
      const answer = await open(server.url, { key: server.apiKey, query });
      assert.equal(answer.status, 400, query);
      assert.equal(answer.errorJson.error.code, 'invalid_request', query);
    }
    const badId = await open(server.url, { key: server.apiKey, lastEventId: 'evt_123' });
    assert.equal(badId.status, 400);
    assert.match(badId.errorJson.error.message, /Last-Event-ID/);
    const noKey = await open(server.url);
    assert.equal(noKey.status, 401);
    assert.equal(noKey.errorJson.error.code, 'unauthorized');
    const wrongKey = await open(server.url, { key: 'vn_live_' + 'x'.repeat(32) });
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.errorJson.error.code, 'invalid_api_key');
  });

  test("an erased session's events are replayed as the erased view, without captures or note", async () => {
    const position = (await open(server.url, { key: server.apiKey })).lastEventId;
    closeAll();
    const link = await createLink(server.url, server.apiKey, { flow: 'selfie' });
    const { sessionId, sessionToken } = (await startSession(server.url, tokenOf(link.url))).json;
    const applicant = { authorization: `Bearer ${sessionToken}` };
    await call(server.url, `/api/v1/flow/sessions/${sessionId}/captures/selfie`, {
      method: 'PUT', headers: { ...applicant, 'content-type': 'image/png' }, body: await readFile(fixturePath('chelsea.png')),
    });
    await call(server.url, `/api/v1/flow/sessions/${sessionId}/submit`, { json: {}, headers: applicant });
    await call(server.url, `/api/v1/sessions/${sessionId}/decision`, { key: server.apiKey, json: { status: 'approved', note: 'Jane Doe, born 1990' } });

    const live = await open(server.url, { key: server.apiKey, query: `after=${position}` });
    const before = await live.collect(about(sessionId), 5);
    assert.equal(payload(before.find((e) => e.event === 'session.in_progress')!).data.captures.length, 1, 'before erasure: capture metadata, never the image');
    assert.equal(payload(before.find((e) => e.event === 'session.approved')!).data.decision.note, 'Jane Doe, born 1990');
    assert.ok(!before.some((e) => e.data.length > 20_000), 'no image in any event');

    assert.equal((await call(server.url, `/api/v1/sessions/${sessionId}`, { method: 'DELETE', key: server.apiKey })).status, 200);
    const [erased] = await live.collect((e) => about(sessionId)(e) && e.event === 'session.erased', 1);
    assert.ok(payload(erased!).data.erasedAt);

    const replay = await open(server.url, { key: server.apiKey, query: `after=${position}` });
    const events = await replay.collect(about(sessionId), 6);
    assert.deepEqual(events.map((e) => e.event), [
      'session.created', 'session.in_progress', 'session.submitted', 'session.review', 'session.approved', 'session.erased',
    ]);
    for (const event of events) {
      const { data } = payload(event);
      assert.deepEqual(data.captures, [], event.event);
      assert.equal(data.decision?.note ?? null, null, event.event);
      assert.ok(data.erasedAt, event.event);
      assert.doesNotMatch(event.data, /Jane Doe/);
    }
    closeAll();
  });

  test('events written by another server process on the same database arrive too', async () => {
    const other = await spawnServer({ dataDir: server.dataDir, apiKey: server.apiKey, env: { DEMO_PORT: 'off' } });
    try {
      const here = await open(server.url, { key: server.apiKey });
      const there = await open(other.url, { key: server.apiKey });
      const linkThere = await createLink(other.url, server.apiKey);
      const linkHere = await createLink(server.url, server.apiKey);
      const started = performance.now();
      await here.collect(about(linkThere.id), 1, 5000);
      await there.collect(about(linkHere.id), 1, 5000);
      assert.ok(performance.now() - started < 3000, 'within the poll interval and a little');
      // And each process's own events arrive once, not once per notification and once per poll.
      await sleep(1200);
      assert.equal(here.events.filter(about(linkHere.id)).length, 1);
      assert.equal(there.events.filter(about(linkThere.id)).length, 1);
      closeAll();
      assert.equal(there.events.length, 2);
    } finally {
      await other.stop({ keepData: true });
    }
  });

  // The burst is written straight into the SQLite file, as another process would; on PostgreSQL it
  // needs that store's own statement (a job for the PostgreSQL store's author).
  test('a client that never reads is dropped, not buffered for, and its reconnect gets everything', { timeout: 60_000 }, async () => {
    const link = await createLink(server.url, server.apiKey);
    const accountId = (await call(server.url, '/api/v1/account', { key: server.apiKey })).json.id as string;
    const position = (await open(server.url, { key: server.apiKey })).lastEventId;
    closeAll();
    const slow = rawStream(server, `after=${position}`);
    await sleep(200);

    // 2,000 events of about 5 KB (10 MB, more than the socket buffers on both sides hold, 4 MB
    // here), written in one transaction by another process on the same database, as fast as a
    // burst can come; the server finds them by its poll.
    const total = 2000;
    const metadata = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(480)]));
    const rows = Array.from({ length: total }, (_, i) => ({
      id: `evt_${randomBytes(16).toString('base64url')}`, account_id: accountId, type: 'link.updated', subject_id: link.id,
      data: JSON.stringify({ ...link, name: `slow ${i}`, metadata }), created_at: Date.now(),
    }));
    if (isPostgresRun) {
      // Unnumbered, as a process that died before numbering them would leave them: any process that streams numbers them.
      const sql = postgres(adminEnv(server.dataDir).DATABASE_URL!, { max: 1, onnotice: () => {} });
      await sql.begin((tx) => [tx`INSERT INTO events ${tx(rows)}`]);
      await sql.end();
    } else {
      const db = new Database(join(server.dataDir, 'verify-now.db'));
      db.pragma('busy_timeout = 5000');
      const insert = db.prepare('INSERT INTO events (id, account_id, type, subject_id, data, created_at) VALUES (@id, @account_id, @type, @subject_id, @data, @created_at)');
      db.transaction(() => rows.forEach((row) => insert.run(row)))();
      db.close();
    }

    const dropped = () => server.logs.find((line) => line.includes('event stream dropped'));
    for (let waited = 0; !dropped() && waited < 10_000; waited += 50) await sleep(50);
    assert.ok(dropped(), 'the server logs the drop');
    const { bufferedBytes, reason } = JSON.parse(dropped()!) as { bufferedBytes: number; reason: string };
    assert.equal(reason, 'too_far_behind');
    // The limit (256 KiB) and at most one page of the hub's reads (250 events) past it, never the 10 MB.
    assert.ok(bufferedBytes < 256 * 1024 + 250 * 5600, `it held ${bufferedBytes} bytes for the stream`);

    // What the kernel had already taken still arrives, then the end: the stream is closed.
    const parsed = { events: [] as SseEvent[], comments: [] as string[], retry: undefined as number | undefined, lastEventId: '' };
    const parser = new SseParser(parsed);
    const body = new ChunkedBody((text) => parser.push(text));
    slow.socket.on('data', (chunk: Buffer) => body.push(chunk));
    slow.socket.resume();
    await Promise.race([slow.closed, sleep(10_000).then(() => assert.fail('the dropped stream was not closed'))]);
    const firstPart = parsed.events.filter(about(link.id)).map((e) => payload(e).data.name as string);
    assert.ok(firstPart.length > 0 && firstPart.length < total, `the slow stream was cut (${firstPart.length} of ${total} arrived)`);

    const resumed = await open(server.url, { key: server.apiKey, lastEventId: parsed.lastEventId });
    const rest = await resumed.collect(about(link.id), total - firstPart.length, 30_000);
    await sleep(200);
    const names = [...firstPart, ...resumed.events.filter(about(link.id)).map((e) => payload(e).data.name as string)];
    assert.deepEqual(names, Array.from({ length: total }, (_, i) => `slow ${i}`), 'everything, once, in order');
    assert.ok(Number(rest[0]!.id) > Number(parsed.lastEventId));
    closeAll();
  });
});

/** A stream on a raw socket that reads nothing: the kernel's buffers fill, then the server's would. */
function rawStream(on: ServerProcess, query: string) {
  const socket = connect(Number(new URL(on.url).port), '127.0.0.1');
  socket.pause();
  socket.write(`GET /api/v1/events?${query} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${on.apiKey}\r\naccept: text/event-stream\r\n\r\n`);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed };
}

/** The body of a raw HTTP/1.1 response with chunked transfer coding, as text, for a raw socket. */
class ChunkedBody {
  private raw = Buffer.alloc(0);
  private isPastHead = false;
  constructor(private readonly onText: (text: string) => void) {}

  push(chunk: Buffer): void {
    this.raw = Buffer.concat([this.raw, chunk]);
    if (!this.isPastHead) {
      const end = this.raw.indexOf('\r\n\r\n');
      if (end === -1) return;
      this.raw = this.raw.subarray(end + 4);
      this.isPastHead = true;
    }
    for (;;) {
      const lineEnd = this.raw.indexOf('\r\n');
      if (lineEnd === -1) return;
      const size = parseInt(this.raw.subarray(0, lineEnd).toString('latin1'), 16);
      if (this.raw.length < lineEnd + 2 + size + 2) return;
      this.onText(this.raw.subarray(lineEnd + 2, lineEnd + 2 + size).toString('utf8'));
      this.raw = this.raw.subarray(lineEnd + 2 + size + 2);
    }
  }
}

describe('stream limits and shutdown', { concurrency: false }, () => {
  test('past the per-account limit a stream is refused with 429; a closed stream frees its place at once', async () => {
    const limited = await spawnServer({ env: { EVENTS_STREAMS_PER_ACCOUNT: '3', DEMO_PORT: 'off', SHUTDOWN_GRACE_SECONDS: '10' } });
    try {
      const streams = await Promise.all([1, 2, 3].map(() => openEventStream(limited.url, { key: limited.apiKey })));
      assert.deepEqual(streams.map((s) => s.status), [200, 200, 200]);
      const refused = await openEventStream(limited.url, { key: limited.apiKey });
      assert.equal(refused.status, 429);
      assert.equal(refused.errorJson.error.code, 'too_many_streams');
      streams[0]!.close();
      let again: SseStream | undefined;
      for (let i = 0; i < 20 && again?.status !== 200; i++) {
        await sleep(50);
        again = await openEventStream(limited.url, { key: limited.apiKey });
      }
      assert.equal(again!.status, 200, 'the closed stream no longer counts');

      // Graceful stop with streams open: they end at once, the process exits 0 well within the grace period.
      const open = [streams[1]!, streams[2]!, again!];
      const started = performance.now();
      limited.process.kill('SIGTERM');
      const code = await limited.exited;
      const tookMs = performance.now() - started;
      assert.equal(code, 0);
      assert.ok(tookMs < 3000, `stopped in ${Math.round(tookMs)} ms with 10 s of grace`);
      await Promise.all(open.map((s) => s.ended));
      assert.ok(open.every((s) => s.isEnded));
    } finally {
      await limited.stop();
    }
  });

  test('the hub holds nothing once its clients have gone', async () => {
    const inProcess = await startInProcess();
    try {
      const hub = inProcess.running.deps.events;
      const streams = await Promise.all(Array.from({ length: 20 }, () => openEventStream(inProcess.url, { key: inProcess.apiKey })));
      assert.deepEqual(hub.stats(), { streams: 20, accounts: 1 });
      for (const stream of streams) stream.close();
      for (let i = 0; i < 50 && hub.stats().streams > 0; i++) await sleep(20);
      assert.deepEqual(hub.stats(), { streams: 0, accounts: 0 });

      // While the server stops, a new stream only learns when to come back, and ends at once.
      hub.close();
      const during = await openEventStream(inProcess.url, { key: inProcess.apiKey, lastEventId: '7' });
      assert.equal(during.status, 200);
      await during.ended;
      assert.equal(during.retry, 2000);
      assert.equal(during.lastEventId, '7', 'the position the client had stays its position');
      assert.deepEqual(hub.stats(), { streams: 0, accounts: 0 });
    } finally {
      await inProcess.stop();
    }
  });
});

describe('EventStream', () => {
  /** Just enough of a ServerResponse: a socket that takes nothing. */
  class StuckResponse extends EventEmitter {
    writableLength = 0;
    writableNeedDrain = false;
    isDestroyed = false;
    write(chunk: Buffer) {
      this.writableLength += chunk.length;
      this.writableNeedDrain = this.writableLength > 16 * 1024;
      return !this.writableNeedDrain;
    }
    destroy() {
      this.isDestroyed = true;
      this.emit('close');
    }
  }
  const store = { readEventsAfter: async () => [] } as unknown as Store;
  const frame = (size: number) => Buffer.alloc(size, 'x');

  const limits = { maxBufferedBytes: 256 * 1024, stallMs: 30_000 };
  const newStream = (res: StuckResponse, onEnd: (s: EventStream) => void = () => {}, overrides = {}) =>
    new EventStream('acc_x', res as unknown as ServerResponse, undefined, store, createLogger('silent'), { ...limits, ...overrides }, onEnd);

  test('a stream whose client takes nothing for stallMs while data waits is dropped', async () => {
    const res = new StuckResponse();
    const ended: EventStream[] = [];
    const stream = newStream(res, (s) => ended.push(s));
    await stream.start(0, Promise.resolve());
    stream.deliver(1, 'link.created', frame(20 * 1024));
    stream.heartbeat(1000);
    stream.heartbeat(16_000);
    assert.equal(res.isDestroyed, false, 'waiting 15 s is allowed');
    stream.heartbeat(31_000);
    assert.equal(res.isDestroyed, true);
    assert.deepEqual(ended, [stream]);
  });

  test('a socket that drains keeps its stream, and a quiet one gets heartbeats', async () => {
    const res = new StuckResponse();
    const stream = newStream(res);
    await stream.start(0, Promise.resolve());
    stream.heartbeat(0);
    assert.equal(res.writableLength, ': heartbeat\n\n'.length);
    stream.deliver(1, 'link.created', frame(20 * 1024));
    stream.heartbeat(1000);
    res.emit('drain');
    stream.heartbeat(40_000);
    assert.equal(res.isDestroyed, false, 'it drained in between: the wait starts again');
    assert.equal(stream.isClosed, false);
  });

  test("past the buffer limit once the turn's writes are out, the stream is dropped; within it, kept", async () => {
    const res = new StuckResponse();
    const stream = newStream(res, () => {}, { maxBufferedBytes: 64 * 1024 });
    await stream.start(0, Promise.resolve());
    for (let seq = 1; seq <= 3; seq++) stream.deliver(seq, 'link.updated', frame(20 * 1024));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(res.isDestroyed, false, '60 KiB waiting: within 64 KiB');
    stream.deliver(4, 'link.updated', frame(20 * 1024));
    assert.equal(res.isDestroyed, false, 'judged on the next turn, not while the turn writes');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(res.isDestroyed, true);
  });
});
