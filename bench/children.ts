/**
 * The processes under test, each a child of the benchmark process (which runs the load generator):
 * the bare baseline server and the real verify-now server. Both listen on 127.0.0.1 only.
 *
 * verify-now is started like test/support/server-process.ts starts it (same environment), with
 * one difference: its stdout (the request log) goes to a file instead of a pipe read line by line
 * in this process, so that the load generator does not pay for parsing the server's log on the
 * same two cores, and a long run does not keep every log line in memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BARE = fileURLToPath(new URL('./bare-server.js', import.meta.url));
const MAIN = fileURLToPath(new URL('../server/main.js', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Child {
  url: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const exited = exitOf(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function spawnBareServer(mode: 'ok' | 'refuse' = 'ok'): Promise<Child> {
  const child = spawn(process.execPath, [BARE], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BARE_MODE: mode } });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare server did not start')), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, process: child, stop: () => stopChild(child) };
}

export interface VerifyNowOptions {
  logLevel?: string;
  credits?: number;
  /** Extra node flags for the server process, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: string[];
  /** More environment for the server (e.g. ALLOW_PRIVATE_WEBHOOKS). */
  env?: Record<string, string>;
  /** The bootstrap key: another process's, to share its account on one database. */
  apiKey?: string;
}

export interface VerifyNowServer extends Child {
  apiKey: string;
  dataDir: string;
  logFile: string;
  /** Bytes the server wrote to stdout (its log) so far. */
  logBytes(): number;
}

export async function spawnVerifyNow(options: VerifyNowOptions = {}): Promise<VerifyNowServer> {
  const root = mkdtempSync(join(tmpdir(), 'vn-bench-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const apiKey = options.apiKey ?? `vn_live_${randomBytes(24).toString('base64url')}`;
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      BOOTSTRAP_API_KEY: apiKey,
      BOOTSTRAP_CREDITS: String(options.credits ?? 10_000_000),
      LOG_LEVEL: options.logLevel ?? 'info',
      SHUTDOWN_GRACE_SECONDS: '5',
      ...options.env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const started = Date.now();
  let url: string | undefined;
  while (!url) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = readFileSync(logFile, 'utf8');
      await rm(root, { recursive: true, force: true });
      throw new Error(`verify-now exited with ${child.exitCode ?? child.signalCode}:\n${log}`);
    }
    if (Date.now() - started > 15_000) {
      const log = readFileSync(logFile, 'utf8');
      await stopChild(child, 0);
      await rm(root, { recursive: true, force: true });
      throw new Error(`verify-now did not start:\n${log}`);
    }
    // The listening line is logged at info; at a quieter level the server still prints its URL on stderr.
    const text = readFileSync(logFile, 'utf8');
    url = /"msg":"listening"/.test(text)
      ? JSON.parse(text.split('\n').find((line) => line.includes('"msg":"listening"'))!).url
      : /verify-now is running at (\S+)/.exec(text)?.[1];
    if (!url) await sleep(25);
  }
  return {
    url,
    pid: child.pid!,
    process: child,
    apiKey,
    dataDir,
    logFile,
    logBytes: () => statSync(logFile).size,
    async stop() {
      await stopChild(child);
      await rm(root, { recursive: true, force: true });
    },
  };
}
