/**
 * `BENCH_ONLY=scale`: session starts a second (`POST /api/v1/flow/sessions` → 201, live mode: each
 * start uses a link and holds a credit, durably) on one PostgreSQL with one, two and four server
 * processes, against the SQLite default (one process) measured in the same run, 50 connections in
 * all, split evenly over the processes as a load balancer would.
 *
 * Two workloads: every start on one link (a merchant's "Verify Now" button: one link row and one
 * account row that every start updates), and starts spread over 100 links of 10 accounts. The
 * PostgreSQL server is a throwaway cluster with PostgreSQL's durable defaults (bench/postgres.ts),
 * on the same two cores as everything else: the figures say how the design scales, not how fast a
 * dedicated database machine would be.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createLink, tokenOf } from '../test/support/api.js';
import { spawnVerifyNow, type VerifyNowServer } from './children.js';
import { load, type LoadResult } from './load.js';
import { cpuTimeOf, cpuTimeOfTree } from './machine.js';
import { benchDatabase, benchPostgresPid } from './postgres.js';
import { DETAIL_INDENT, fmt, report } from './report.js';

const ADMIN = fileURLToPath(new URL('../server/admin.js', import.meta.url));
const CONNECTIONS = 50;
const PROCESS_COUNTS = [1, 2, 4];
const SPREAD_LINKS = 100;
const SPREAD_ACCOUNTS = 10;

interface Workload {
  name: string;
  /** Request bodies, cycled through by every connection. */
  bodies: string[];
}

export async function scaleOutBenchmarks({ logLevel, seconds, warmupSeconds }: { logLevel: string; seconds: number; warmupSeconds: number }): Promise<void> {
  console.log(`14. session starts a second: SQLite (one process) against PostgreSQL with ${PROCESS_COUNTS.join(', ')} processes, ${CONNECTIONS} connections`);
  for (const kind of ['one link', `${SPREAD_LINKS} links of ${SPREAD_ACCOUNTS} accounts`] as const) {
    const sqlite = await measure({ processes: 1, postgres: false, kind, logLevel, seconds, warmupSeconds });
    reportStarts(`starts, ${kind}: SQLite ×1`, sqlite, null);
    for (const processes of PROCESS_COUNTS) {
      const pg = await measure({ processes, postgres: true, kind, logLevel, seconds, warmupSeconds });
      reportStarts(`starts, ${kind}: PostgreSQL ×${processes}`, pg, sqlite.rps);
    }
  }
}

function reportStarts(name: string, r: Measured, sqliteRps: number | null): void {
  const perStart = (ms: number | undefined) => (ms === undefined || r.expected === 0 ? '?' : `${fmt((ms * 1000) / r.expected)} µs`);
  report(
    {
      name,
      value: `${fmt(r.rps)} req/s`,
      p99: `${fmt(r.p99)} ms`,
      ratio: sqliteRps ? `${(r.rps / sqliteRps).toFixed(2)}×` : '1.00×',
      cpu: perStart(r.serverCpuMs),
      target: '',
      met: null,
    },
    `${fmt(r.expected)} started, ${fmt(r.unexpected)} not, p50 ${fmt(r.p50)} ms; ratio against SQLite in this run\n` +
      `${DETAIL_INDENT}CPU per start: verify-now (all processes) ${perStart(r.serverCpuMs)}` +
      (r.databaseCpuMs === undefined ? '' : `, PostgreSQL (server and backends) ${perStart(r.databaseCpuMs)}`),
  );
}

interface Measured extends LoadResult {
  serverCpuMs: number;
  databaseCpuMs: number | undefined;
}

async function measure(options: {
  processes: number;
  postgres: boolean;
  kind: string;
  logLevel: string;
  seconds: number;
  warmupSeconds: number;
}): Promise<Measured> {
  const database = options.postgres ? await benchDatabase() : undefined;
  const env: Record<string, string> = { SECRET_KEY: randomBytes(32).toString('base64url'), DEMO_PORT: 'off' };
  if (database) env.DATABASE_URL = database.url;
  const servers: VerifyNowServer[] = [];
  try {
    // One first (it migrates and bootstraps), then the others on its database, with its key.
    servers.push(await spawnVerifyNow({ logLevel: options.logLevel, env }));
    const apiKey = servers[0]!.apiKey;
    const others = await Promise.all(
      Array.from({ length: options.processes - 1 }, () => spawnVerifyNow({ logLevel: options.logLevel, env, apiKey })),
    );
    servers.push(...others);
    const workload = await prepare(servers[0]!, options.kind === 'one link' ? 1 : SPREAD_LINKS, env);
    const perProcess = Math.floor(CONNECTIONS / servers.length);
    // CPU over warm-up and measured time alike, divided by the measured starts: a slight overcount.
    const pgPid = database ? await benchPostgresPid() : undefined;
    const serverCpu0 = servers.reduce((sum, s) => sum + cpuTimeOf(s.pid), 0);
    const databaseCpu0 = pgPid === undefined ? 0 : cpuTimeOfTree(pgPid);
    const results = await Promise.all(
      servers.map((server) =>
        load(
          {
            url: `${server.url}/api/v1/flow/sessions`,
            connections: perProcess,
            duration: options.seconds,
            requests: workload.bodies.map((body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body })),
          },
          201,
          { warmupS: options.warmupSeconds },
        ),
      ),
    );
    const combined = combine(results);
    return {
      ...combined,
      serverCpuMs: servers.reduce((sum, s) => sum + cpuTimeOf(s.pid), 0) - serverCpu0,
      databaseCpuMs: pgPid === undefined ? undefined : cpuTimeOfTree(pgPid) - databaseCpu0,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
  }
}

/** Unlimited live links: `count` of them, over up to SPREAD_ACCOUNTS accounts (each with its own credits). */
async function prepare(server: VerifyNowServer, count: number, env: Record<string, string>): Promise<Workload> {
  const keys = [server.apiKey];
  for (let i = 1; i < Math.min(count, SPREAD_ACCOUNTS); i++) keys.push(await newAccountKey(server, env));
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const link = await createLink(server.url, keys[i % keys.length]!, { usageLimit: null });
    bodies.push(JSON.stringify({ token: tokenOf(link.url) }));
  }
  return { name: `${count} links`, bodies };
}

/** Another merchant with plenty of credits, made with the admin CLI on the server's store. */
async function newAccountKey(server: VerifyNowServer, env: Record<string, string>): Promise<string> {
  const admin = (...args: string[]) =>
    execFileSync(process.execPath, [ADMIN, ...args], { env: { PATH: process.env.PATH, DATA_DIR: server.dataDir, ...env }, encoding: 'utf8' });
  const accountId = /^(acc_\S+)/m.exec(admin('create-account', '--name', 'Bench merchant', '--credits', '10000000'))![1]!;
  return admin('create-api-key', '--account', accountId, '--mode', 'live').trim();
}

/** The processes' loads as one: requests a second add up, latency percentiles are the worst process's. */
function combine(results: LoadResult[]): LoadResult {
  const first = results[0]!;
  return {
    ...first,
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    expected: results.reduce((sum, r) => sum + r.expected, 0),
    unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
  };
}
