/**
 * A throwaway PostgreSQL server for one test or benchmark run: a fresh cluster (`initdb`) in a
 * temp directory, listening on 127.0.0.1 on a port it picks and on a unix socket in that
 * directory; `stop()` shuts it down and deletes the directory. A watchdog does the same when the
 * process that started it dies without stopping it (SIGKILL, a crash), so nothing outlives a run.
 *
 * ```ts
 * const pg = await startThrowawayPostgres();
 * try {
 *   // pg.url: postgres://postgres@127.0.0.1:<port>/postgres (the superuser, no password)
 * } finally {
 *   await pg.stop();
 * }
 * ```
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import postgres from 'postgres';

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the superuser, trusted, no password. */
  url: string;
  port: number;
  /** The temp directory: the cluster in `data/`, the unix socket, the server's log in `postgres.log`. */
  dir: string;
  /** The postmaster's process id. */
  pid: number;
  /** `server_version`, e.g. `15.18 (Debian 15.18-0+deb12u1)`. */
  version: string;
  /** Fast shutdown (open connections are ended, not waited for), then the directory is deleted. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Concurrency is not touched (isolation, locks, connection handling are PostgreSQL's defaults),
 * so races show as they would in production; there are enough connections for several server
 * processes, each with its pool, plus the tests' own.
 */
const SETTINGS = {
  max_connections: '300',
  shared_buffers: '128MB',
};

/**
 * For tests only: a cluster that lives for one run and is deleted after has nothing to lose in a
 * crash, and fsyncs would only slow the run on a shared disk. Never in production, nor in a
 * benchmark that compares commit speed (`durable: true` keeps PostgreSQL's defaults).
 */
const NOT_DURABLE = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/**
 * The directory holding `initdb` and `postgres`: PG_BIN, else the newest Debian install
 * (/usr/lib/postgresql/<version>/bin), else the first such directory on PATH.
 */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string {
  const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (env.PG_BIN) {
    if (!hasServer(env.PG_BIN)) throw new Error(`PG_BIN=${env.PG_BIN} holds no initdb and postgres: point it at PostgreSQL's server binaries.`);
    return env.PG_BIN;
  }
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    if (hasServer(join(debian, version, 'bin'))) return join(debian, version, 'bin');
  }
  const onPath = (env.PATH ?? '').split(delimiter).find((dir) => dir && hasServer(dir));
  if (onPath) return onPath;
  throw new Error(
    "PostgreSQL's server binaries (initdb, postgres) are not in PG_BIN, /usr/lib/postgresql/*/bin or PATH: " +
      'install them (Debian: apt-get install postgresql) or set PG_BIN to the directory that holds them.',
  );
}

export interface ThrowawayOptions {
  /** The directory of initdb and postgres; findPostgresBin() by default. */
  bin?: string;
  /** Commits reach the disk (PostgreSQL's defaults), for benchmarks; tests skip the fsyncs. */
  durable?: boolean;
}

/** Starts a fresh cluster and answers once it accepts connections. */
export async function startThrowawayPostgres(options: ThrowawayOptions = {}): Promise<ThrowawayPostgres> {
  const bin = options.bin ?? findPostgresBin();
  const settings = { ...SETTINGS, ...(options.durable ? {} : NOT_DURABLE) };
  const owner = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'vn-pg-'));
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const dataDir = join(dir, 'data');
    // Locale C: the same byte-order collation on every machine, whatever locales it has installed.
    await runAs(owner, join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], dir);
    // The port is free when picked but may be taken before postgres binds it: then pick another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const started = await startServer({ bin, dir, dataDir, port, owner, settings });
      if (started.ok) return started.server;
      if (!started.portTaken || attempt === 3) throw new Error(`postgres did not start:\n${started.log}`);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface User {
  uid: number;
  gid: number;
}

/** postgres refuses to run as root: as root, the cluster belongs to the `postgres` user and runs as it. */
function serverUser(): User | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('postgres refuses to run as root, and there is no user `postgres` to run it as: create one (Debian\'s postgresql package does), or run as another user.');
  }
}

function runAs(owner: User | undefined, command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, ...owner, timeout: 60_000 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const output = `${stdout}${stderr}`.trim();
      const hint = owner && /Permission denied/.test(output) ? `\nAs root the cluster runs as the user postgres, which must be able to reach TMPDIR (${tmpdir()}).` : '';
      reject(new Error(`${command} ${args.join(' ')} failed (${error.code ?? error.signal}):\n${output}${hint}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

type Started = { ok: true; server: ThrowawayPostgres } | { ok: false; portTaken: boolean; log: string };

interface ServerPlace {
  bin: string;
  dir: string;
  dataDir: string;
  port: number;
  owner: User | undefined;
  settings: Record<string, string>;
}

async function startServer({ bin, dir, dataDir, port, owner, settings }: ServerPlace): Promise<Started> {
  const logFile = join(dir, 'postgres.log');
  const log = openSync(logFile, 'a');
  const flags = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const child = spawn(join(bin, 'postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', dir, ...flags], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    ...owner,
    // Its own process group: a Ctrl-C in the terminal goes to the command under test, and the
    // cluster is stopped after that command has ended, not under it.
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readLog = () => readFileSync(logFile, 'utf8');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const version = await waitUntilReady(url, child);
  if (version === undefined) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    const text = readLog();
    return { ok: false, portTaken: /could not bind|Address already in use/.test(text), log: text };
  }
  // Running, it must not keep this process alive: stop() or the watchdog ends it.
  child.unref();
  const watchdog = startWatchdog(child.pid!, dir);
  let stopping: Promise<void> | undefined;
  return {
    ok: true,
    server: {
      url,
      port,
      dir,
      pid: child.pid!,
      version,
      stop: () =>
        (stopping ??= (async () => {
          watchdog.kill('SIGKILL');
          await stopProcess(child, exited);
          await rm(dir, { recursive: true, force: true });
        })()),
    },
  };
}

/** Polls until the server answers a query; undefined if it exits or does not answer in time. */
async function waitUntilReady(url: string, child: ChildProcess): Promise<string | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      const [row] = await sql<{ server_version: string }[]>`SHOW server_version`;
      return row!.server_version;
    } catch {
      // Refused while starting up, or "the database system is starting up": try again.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  return undefined;
}

/** SIGINT is PostgreSQL's fast shutdown; SIGQUIT (immediate) and SIGKILL if it hangs. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const quit = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
  const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS + 5000);
  await exited;
  clearTimeout(quit);
  clearTimeout(kill);
}

/**
 * A shell that outlives this process: once this process is gone, it stops the server (fast, then
 * SIGKILL after 10 s) and deletes the directory. stop() kills it first, so it never acts on a pid
 * that has been reused.
 */
function startWatchdog(serverPid: number, dir: string): ChildProcess {
  const script = `
    while kill -0 "$1" 2>/dev/null; do sleep 1; done
    kill -INT "$2" 2>/dev/null
    i=0; while kill -0 "$2" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    kill -KILL "$2" 2>/dev/null
    rm -rf "$3"`;
  const watchdog = spawn('sh', ['-c', script, 'vn-pg-watchdog', String(process.pid), String(serverPid), dir], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}
