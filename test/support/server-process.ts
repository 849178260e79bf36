import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { releaseStoreOf, storeEnvFor } from './test-store.js';

const MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const fixturePath = (name: string) => join(REPO_ROOT, 'test', 'fixtures', name);

export const testApiKey = (mode: 'live' | 'test' = 'live') => `vn_${mode}_${randomBytes(24).toString('base64url')}`;

/**
 * Servers not yet stopped, with the data directory made for them, if any. A test run interrupted
 * (Ctrl-C) ends this process before its after() hooks, and a server whose log reader is gone does
 * not finish its own graceful stop (its stdout is a pipe to this process): they are killed on the
 * way out and their directories removed, then the signal does what it does.
 */
const unstopped = new Map<ChildProcess, string | undefined>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const [child, ownDataDir] of unstopped) {
      child.kill('SIGKILL');
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true, maxRetries: 3 });
    }
    process.kill(process.pid, signal);
  });
}

export interface ServerProcess {
  url: string;
  apiKey: string;
  dataDir: string;
  process: ChildProcess;
  /** Log lines the server wrote, for assertions about what is (not) logged. */
  logs: string[];
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** The exit code, once the process has ended by itself. */
  exited: Promise<number | null>;
  /** Graceful stop, then remove the data directory (and its test database) unless kept. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * A 500's cause is in the server's log, which the test run does not show: print the first few,
 * so that a failure in CI says why (tests that provoke errors on purpose print theirs too).
 */
function reportUnexpectedErrors(logs: string[]): void {
  const unexpected = logs.filter((line) => line.includes('"msg":"unexpected error"'));
  if (unexpected.length === 0) return;
  process.stderr.write(`server logged ${unexpected.length} unexpected error(s); the first:\n${unexpected.slice(0, 3).join('\n')}\n`);
}

export interface SpawnOptions {
  dataDir?: string;
  apiKey?: string;
  credits?: number;
  env?: Record<string, string>;
  /** false: start like a fresh install, with no account. */
  bootstrap?: boolean;
}

/**
 * A real server process on 127.0.0.1 and a port it picks, with its own data directory and a
 * bootstrapped account (BOOTSTRAP_API_KEY / BOOTSTRAP_CREDITS). Its store is the run's
 * (test/support/test-store.ts: with PostgreSQL, one database per data directory, so servers
 * given the same `dataDir` share it) unless `env` names a DATABASE_URL.
 */
export async function spawnServer(options: SpawnOptions = {}): Promise<ServerProcess> {
  const isOwnDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vn-test-'));
  const apiKey = options.apiKey ?? testApiKey('live');
  const store = options.env?.DATABASE_URL === undefined ? await storeEnvFor(dataDir) : { env: {}, created: false };
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      ...store.env,
      ...(options.bootstrap === false ? {} : { BOOTSTRAP_API_KEY: apiKey, BOOTSTRAP_CREDITS: String(options.credits ?? 10_000) }),
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: '5',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  unstopped.set(child, isOwnDataDir ? dataDir : undefined);
  const logs: string[] = [];
  child.once('close', () => reportUnexpectedErrors(logs)); // after its output is read to the end
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      unstopped.delete(child);
      resolve(code);
    }),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('\n')}`)), 15_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      if (line.includes('"msg":"listening"')) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  let url: string;
  try {
    url = await listening;
  } catch (error) {
    // What was made for this start is not left behind; a directory or database given to it stays.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (store.created) await releaseStoreOf(dataDir);
    if (isOwnDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    apiKey,
    dataDir,
    process: child,
    logs,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (keepData) return;
      await releaseStoreOf(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The files a process holds open whose path contains `part` (from /proc: unlinked ones too). */
export function openFilesOf(pid: number, part: string): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.includes(part) ? [target] : [];
    } catch {
      return []; // closed while we looked
    }
  });
}
