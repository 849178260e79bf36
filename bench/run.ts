/**
 * `npm run bench`: throughput and latency of the hot paths of verify-now against a bare node:http
 * server measured in the same run, capture-upload speed against the disk, the server's memory
 * under 50 parallel uploads, and the applicant's flow in headless Chromium (bench/flow.ts: detection
 * speed, time to a live camera, bytes shipped, main-thread tasks). Every load loop runs for a fixed
 * time and stops by itself; targets that are missed are marked MISSED, and the run still exits 0.
 *
 * Environment:
 *   BENCH_SECONDS        length of each measured loop (default 5; each has a 1 s warm-up before it)
 *   BENCH_LOG_LEVEL      LOG_LEVEL of the verify-now server under test (default info, as in production)
 *   BENCH_CPU_PROF_DIR   write a V8 CPU profile of the verify-now server (benchmarks 2–5) into this directory
 *   BENCH_ONLY           comma-separated subset of: forged,link,start,upload,memory,flow,widget,dashboard,events,webhooks,scale (the bare-server
 *                        baseline runs with any of the server parts; flow and widget, the browser benchmarks in
 *                        bench/flow.ts and bench/widget.ts, events (bench/events.ts), webhooks (bench/webhooks.ts) and scale
 *                        (bench/scale-out.ts: SQLite against PostgreSQL with 1, 2, 4 processes) have their own)
 *   BENCH_SERVER_NODE_ARGS  extra node flags for the verify-now server, space-separated (e.g. --max-semi-space-size=2)
 *   BENCH_FLOW_TRACE_DIR write the flow benchmarks' Chromium traces into this directory (chrome://tracing, Perfetto)
 *   BENCH_POSTGRES_URL   the PostgreSQL server for benchmarks that need one (bench/postgres.ts: benchDatabase());
 *                        without it such a benchmark starts a throwaway one, stopped at the end of the run
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { call, createLink, startSession, tokenOf } from '../test/support/api.js';
import { ChromiumMissingError } from '../test/support/browser.js';
import { spawnBareServer, spawnVerifyNow, type VerifyNowServer } from './children.js';
import { flowBenchmarks } from './flow.js';
import { widgetBenchmarks } from './widget.js';
import { dashboardSize } from './dashboard.js';
import { eventsBenchmarks } from './events.js';
import { webhooksBenchmarks } from './webhooks.js';
import { scaleOutBenchmarks } from './scale-out.js';
import { describeStatuses, load, type LoadResult } from './load.js';
import { loadAverage, machineLines, rssOf, sampleRss } from './machine.js';
import { paddedPng } from './png.js';
import { stopBenchPostgres } from './postgres.js';
import { fmt, report, summary } from './report.js';

const positive = (text: string | undefined, fallback: number) => {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const SECONDS = positive(process.env.BENCH_SECONDS, 5);
const WARMUP_SECONDS = Math.min(1, SECONDS);
const CONNECTIONS = 50;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || 'info';
const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR ? resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
const SERVER_PARTS = ['forged', 'link', 'start', 'upload', 'memory'];
const ONLY = new Set((process.env.BENCH_ONLY ?? [...SERVER_PARTS, 'flow', 'widget', 'dashboard', 'events', 'webhooks', 'scale'].join(',')).split(',').map((s) => s.trim()));
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const UPLOAD_BYTES = 5_000_000;
const UPLOAD_CONNECTIONS = 4;
const PARALLEL_UPLOADS = 50;
const PARALLEL_ROUNDS = 3;
const RSS_GROWTH_LIMIT = 50 * 1e6; // 50 MB
const MB = 1e6;

function reportLoad(name: string, r: LoadResult, baselineRps: number | null, target: number | null, detail = ''): void {
  const ratio = baselineRps ? r.rps / baselineRps : null;
  report(
    {
      name,
      value: `${fmt(r.rps)} req/s`,
      p99: `${fmt(r.p99)} ms`,
      ratio: ratio === null ? '1.00×' : `${ratio.toFixed(2)}×`,
      cpu: r.serverCpuUs === null ? '' : `${fmt(r.serverCpuUs, 1)} µs`,
      target: target === null ? '' : `≥ ${target}× baseline`,
      met: target === null || ratio === null ? null : ratio >= target,
    },
    `${fmt(r.expected)} expected, ${fmt(r.unexpected)} unexpected in ${r.durationS} s  [${describeStatuses(r)}]${detail}\n` +
      `${' '.repeat(37)}CPU per request: server ${r.serverCpuUs === null ? '?' : fmt(r.serverCpuUs, 1)} µs, load generator ${fmt(r.clientCpuUs, 1)} µs`,
  );
}

/** The commit measured, and whether the work tree differs from it (others may be editing). */
function revision(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function header(): void {
  const command = process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : `node ${process.argv.slice(1).join(' ')}`;
  const settings = Object.entries(process.env)
    .filter(([key]) => key.startsWith('BENCH_'))
    .map(([key, value]) => `${key}=${value}`);
  console.log('verify-now benchmarks');
  console.log(`command: ${[...settings, command].join(' ')}`);
  for (const line of machineLines()) console.log(line);
  console.log(`code:    ${revision()}`);
  console.log(
    `runs:    ${SECONDS} s each after a ${WARMUP_SECONDS} s warm-up; autocannon in this process, every server in its own child process on 127.0.0.1`,
  );
  console.log(`load:    ${loadAverage()} (1, 5, 15 min load average at the start; other work on the machine skews every number)`);
  console.log(
    `server:  LOG_LEVEL=${LOG_LEVEL} (log to a file), SQLite WAL synchronous=FULL, data in ${tmpdir()}` +
      (SERVER_NODE_ARGS.length ? `, node ${SERVER_NODE_ARGS.join(' ')}` : ''),
  );
  if (PROFILE_DIR) console.log(`profile: V8 CPU profile of the verify-now server into ${PROFILE_DIR}`);
  console.log('');
}

// --- 1. baseline -------------------------------------------------------------------------------

async function baseline(again?: number): Promise<number> {
  console.log(
    again === undefined
      ? `1. baseline: bare node:http answering {"ok":true}, ${CONNECTIONS} connections`
      : `baseline again, to see whether the machine's load changed during the run`,
  );
  const bare = await spawnBareServer();
  try {
    const r = await load(
      { url: bare.url, connections: CONNECTIONS, duration: SECONDS, expectBody: '{"ok":true}' },
      200,
      { warmupS: WARMUP_SECONDS, serverPid: bare.pid },
    );
    reportLoad(again === undefined ? 'bare node:http 200' : 'bare node:http 200, at the end', r, again ?? null, null);
    if (again !== undefined) {
      const drift = r.rps / again - 1;
      const note = Math.abs(drift) > 0.15 ? ': the machine was not steady, treat the ratios with care' : '';
      console.log(`  ${' '.repeat(34)} drift ${(drift * 100).toFixed(0)}% from the first baseline${note}`);
    }
    return r.rps;
  } finally {
    await bare.stop();
  }
}

// --- 2–5. verify-now ---------------------------------------------------------------------------

const forgedToken = () => randomBytes(32).toString('base64url'); // 43 base64url characters

async function forgedStart(vn: VerifyNowServer, baselineRps: number): Promise<void> {
  console.log(`2. POST /api/v1/flow/sessions with a forged token → 410 link_not_found, ${CONNECTIONS} connections`);
  const probe = await call(vn.url, '/api/v1/flow/sessions', { json: { token: forgedToken() } });
  if (probe.status !== 410 || probe.json?.error?.code !== 'link_not_found') {
    throw new Error(`a forged token should be refused with 410 link_not_found, got ${probe.status} ${probe.text}`);
  }
  const r = await load(
    {
      url: vn.url,
      connections: CONNECTIONS,
      duration: SECONDS,
      // The 410 is the answer expected here: every response must be exactly this body.
      expectBody: probe.text,
      // Each connection sends its own random token.
      setupClient: (client) =>
        client.setRequests([
          {
            method: 'POST',
            path: '/api/v1/flow/sessions',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token: forgedToken() }),
          },
        ]),
    },
    410,
    { warmupS: WARMUP_SECONDS, serverPid: vn.pid },
  );
  reportLoad('forged-token session start (410)', r, baselineRps, 0.8, '; non2xx counts the expected 410s');

  // The floor: what reading the body, one HMAC and a JSON 410 cost on this machine, with no server code.
  const floor = await spawnBareServer('refuse');
  try {
    const bare = await load(
      {
        url: floor.url,
        connections: CONNECTIONS,
        duration: SECONDS,
        setupClient: (client) =>
          client.setRequests([
            { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: forgedToken() }) },
          ]),
      },
      410,
      { warmupS: WARMUP_SECONDS, serverPid: floor.pid },
    );
    reportLoad('  floor: bare POST → 410 JSON', bare, baselineRps, null, '; body read, one HMAC, the same headers: no routing, validation or store');
  } finally {
    await floor.stop();
  }
}

async function getLink(vn: VerifyNowServer, linkId: string, baselineRps: number): Promise<void> {
  console.log(`3. GET /api/v1/links/:id with the API key → 200, ${CONNECTIONS} connections`);
  const r = await load(
    {
      url: `${vn.url}/api/v1/links/${linkId}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { authorization: `Bearer ${vn.apiKey}` },
    },
    200,
    { warmupS: WARMUP_SECONDS, serverPid: vn.pid },
  );
  reportLoad('GET link (200)', r, baselineRps, 0.5);
}

async function validStart(vn: VerifyNowServer, token: string, baselineRps: number): Promise<void> {
  console.log(`4. POST /api/v1/flow/sessions with a real token (unlimited link, live key) → 201, ${CONNECTIONS} connections`);
  const r = await load(
    {
      url: `${vn.url}/api/v1/flow/sessions`,
      connections: CONNECTIONS,
      duration: SECONDS,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    },
    201,
    { warmupS: WARMUP_SECONDS, serverPid: vn.pid },
  );
  reportLoad('valid session start (201)', r, baselineRps, 0.3, '; each a write transaction, durable (WAL fsync) before its 201');
}

interface Session {
  id: string;
  token: string;
}

async function newSessions(vn: VerifyNowServer, linkToken: string, count: number): Promise<Session[]> {
  const sessions: Session[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await startSession(vn.url, linkToken);
    if (answer.status !== 201) throw new Error(`session not started: ${answer.status} ${answer.text}`);
    sessions.push({ id: answer.json.sessionId, token: answer.json.sessionToken });
  }
  return sessions;
}

const capturePath = (s: Session) => `/api/v1/flow/sessions/${s.id}/captures/document_front`;

/** The disk's speed for the same job: write 5 MB to a new file, fsync, close; for SECONDS. */
async function diskWriteLoop(dir: string, png: Buffer): Promise<{ mbps: number; files: number; p99: number }> {
  const stopAt = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const times: number[] = [];
  let previous: string | undefined;
  for (let i = 0; performance.now() < stopAt; i++) {
    const t0 = performance.now();
    const path = join(dir, `disk-${i}.png`);
    const fh = await open(path, 'w', 0o600);
    try {
      await fh.writeFile(png);
      await fh.sync();
    } finally {
      await fh.close();
    }
    times.push(performance.now() - t0);
    // The server deletes the capture it replaces; do the same so the disk does not fill up.
    if (previous) await rm(previous, { force: true });
    previous = path;
  }
  const elapsedS = (performance.now() - started) / 1000;
  if (previous) await rm(previous, { force: true });
  times.sort((a, b) => a - b);
  return { mbps: (times.length * png.length) / MB / elapsedS, files: times.length, p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]! };
}

async function uploads(vn: VerifyNowServer, linkToken: string, png: Buffer): Promise<void> {
  console.log(`5a. PUT /api/v1/flow/sessions/:id/captures/document_front, ${fmt(png.length)}-byte PNG → 200`);
  const dir = mkdtempSync(join(tmpdir(), 'vn-bench-disk-'));
  let disk;
  try {
    // Warm the page cache and the disk path once, then measure.
    await diskWriteLoopOnce(dir, png);
    disk = await diskWriteLoop(dir, png);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  report(
    {
      name: 'disk: writeFile + fsync, 1 writer',
      value: `${fmt(disk.mbps, 1)} MB/s`,
      p99: `${fmt(disk.p99)} ms`,
      ratio: '1.00×',
      cpu: '',
      target: '',
      met: null,
    },
    `${fmt(disk.files)} files of ${fmt(png.length)} bytes in ${SECONDS} s (same file system as the server's DATA_DIR)`,
  );

  const sessions = await newSessions(vn, linkToken, UPLOAD_CONNECTIONS);
  for (const connections of [1, UPLOAD_CONNECTIONS]) {
    let next = 0;
    const r = await load(
      {
        url: vn.url,
        connections,
        duration: SECONDS,
        timeout: 60,
        // Each connection uploads, again and again, to its own session (a new upload replaces the last).
        setupClient: (client) => {
          const session = sessions[next++ % connections]!;
          client.setRequests([
            {
              method: 'PUT',
              path: capturePath(session),
              headers: { authorization: `Bearer ${session.token}`, 'content-type': 'image/png' },
              body: png,
            },
          ]);
        },
      },
      200,
      { warmupS: WARMUP_SECONDS, serverPid: vn.pid },
    );
    const mbps = (r.expected * png.length) / MB / r.durationS;
    const ratio = mbps / disk.mbps;
    report(
      {
        name: `upload via server, ${connections} connection${connections > 1 ? 's' : ''}`,
        value: `${fmt(mbps, 1)} MB/s`,
        p99: `${fmt(r.p99)} ms`,
        ratio: `${ratio.toFixed(2)}×`,
        cpu: r.serverCpuUs === null ? '' : `${fmt(r.serverCpuUs / 1000, 1)} ms`,
        target: '≥ 0.7× disk',
        met: ratio >= 0.7,
      },
      `${fmt(r.expected)} uploads stored, ${fmt(r.unexpected)} unexpected in ${r.durationS} s  [${describeStatuses(r)}]; ` +
        `server CPU ${r.serverCpuUs === null ? '?' : fmt(r.serverCpuUs / 1000, 1)} ms per upload`,
    );
  }
}

async function diskWriteLoopOnce(dir: string, png: Buffer): Promise<void> {
  const fh = await open(join(dir, 'warm.png'), 'w', 0o600);
  await fh.writeFile(png);
  await fh.sync();
  await fh.close();
  await rm(join(dir, 'warm.png'));
}

/** One upload with node:http, the body sent from the shared buffer; resolves with the status. */
function upload(base: string, session: Session, png: Buffer): Promise<number> {
  const url = new URL(capturePath(session), base);
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'PUT',
        agent: false,
        timeout: 120_000,
        headers: {
          authorization: `Bearer ${session.token}`,
          'content-type': 'image/png',
          'content-length': String(png.length),
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolvePromise(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error('upload timed out')));
    req.once('error', reject);
    req.end(png);
  });
}

async function memory(png: Buffer): Promise<void> {
  console.log(`5b. memory: ${PARALLEL_UPLOADS} parallel uploads (${PARALLEL_UPLOADS} sessions, one upload each) × ${PARALLEL_ROUNDS} rounds, fresh server`);
  const vn = await spawnVerifyNow({ logLevel: LOG_LEVEL, nodeArgs: SERVER_NODE_ARGS });
  try {
    const link = await createLink(vn.url, vn.apiKey, { usageLimit: null });
    const sessions = await newSessions(vn, tokenOf(link.url), PARALLEL_UPLOADS);
    // Warm up the upload path (JIT, first allocations) with two sequential uploads before measuring.
    for (const session of sessions.slice(0, 2)) {
      const status = await upload(vn.url, session, png);
      if (status !== 200) throw new Error(`warm-up upload answered ${status}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    const before = rssOf(vn.pid);
    const sampler = sampleRss(vn.pid, 50);
    const statuses: Record<string, number> = {};
    const roundMs: number[] = [];
    let sampled: { peak: number; samples: number };
    try {
      for (let round = 0; round < PARALLEL_ROUNDS; round++) {
        const t0 = performance.now();
        const results = await Promise.allSettled(sessions.map((s) => upload(vn.url, s, png)));
        roundMs.push(performance.now() - t0);
        for (const result of results) {
          const key = result.status === 'fulfilled' ? String(result.value) : 'error';
          statuses[key] = (statuses[key] ?? 0) + 1;
        }
      }
    } finally {
      sampled = sampler.stop();
    }
    const { peak, samples } = sampled;
    const after = rssOf(vn.pid);
    const growth = peak - before;
    report(
      {
        name: 'server RSS growth, 50 parallel',
        value: `${fmt(growth / MB, 1)} MB`,
        p99: '—',
        ratio: '',
        cpu: '',
        target: '< 50 MB',
        met: growth < RSS_GROWTH_LIMIT,
      },
      `VmRSS before ${fmt(before / MB, 1)} MB, peak ${fmt(peak / MB, 1)} MB, after ${fmt(after / MB, 1)} MB (${samples} samples every 50 ms)\n` +
        `${' '.repeat(37)}rounds ${roundMs.map((ms) => `${fmt(ms)} ms`).join(', ')}; ` +
        `${fmt((PARALLEL_UPLOADS * PARALLEL_ROUNDS * png.length) / MB / (roundMs.reduce((a, b) => a + b, 0) / 1000), 1)} MB/s; ` +
        `[${Object.entries(statuses).map(([code, n]) => `${code}×${n}`).join(' ')}]`,
    );
  } finally {
    await vn.stop();
  }
}

async function main(): Promise<void> {
  header();
  const png = paddedPng(UPLOAD_BYTES);
  // The bare server is the baseline of the server benchmarks only; the flow's have their own.
  const baselineRps = SERVER_PARTS.some((name) => ONLY.has(name)) ? await baseline() : null;

  if (baselineRps !== null && ['forged', 'link', 'start', 'upload'].some((name) => ONLY.has(name))) {
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const vn = await spawnVerifyNow({
      logLevel: LOG_LEVEL,
      nodeArgs: [...SERVER_NODE_ARGS, ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [])],
    });
    try {
      const link = await createLink(vn.url, vn.apiKey, { usageLimit: null });
      const token = tokenOf(link.url);
      if (ONLY.has('forged')) await forgedStart(vn, baselineRps);
      if (ONLY.has('link')) await getLink(vn, link.id, baselineRps);
      if (ONLY.has('start')) await validStart(vn, token, baselineRps);
      if (ONLY.has('upload')) await uploads(vn, token, png);
      console.log(`  (verify-now wrote ${fmt(vn.logBytes() / MB, 1)} MB of log at LOG_LEVEL=${LOG_LEVEL})`);
    } finally {
      await vn.stop();
    }
  }
  if (ONLY.has('memory')) await memory(png);
  if (ONLY.has('flow')) await browserPart('flow', () => flowBenchmarks({ seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, logLevel: LOG_LEVEL }));
  if (ONLY.has('widget')) await browserPart('widget', () => widgetBenchmarks({ logLevel: LOG_LEVEL }));
  if (ONLY.has('dashboard')) dashboardSize();
  if (ONLY.has('events')) await eventsBenchmarks({ logLevel: LOG_LEVEL });
  if (ONLY.has('webhooks')) await webhooksBenchmarks({ logLevel: LOG_LEVEL, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
  if (ONLY.has('scale')) await scaleOutBenchmarks({ logLevel: LOG_LEVEL, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
  if (baselineRps !== null) {
    console.log('');
    await baseline(baselineRps);
  }
  console.log(`load:    ${loadAverage()} at the end`);
  summary();
}

async function browserPart(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    // A machine without Chromium still runs the server benchmarks; asked for alone, a browser part fails.
    if (!(error instanceof ChromiumMissingError) || ONLY.size === 1) throw error;
    console.log(`  ${name} benchmarks skipped: ${error.message}`);
  }
}

main()
  .finally(stopBenchPostgres)
  .then(
    () => process.exit(0),
    (error) => {
      console.error('benchmark failed:', error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
