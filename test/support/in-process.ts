import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { sweep } from '../../server/sweeper.js';
import { testApiKey } from './server-process.js';
import { releaseStoreOf, storeEnvFor } from './test-store.js';

export interface InProcessServer {
  url: string;
  apiKey: string;
  clock: ManualClock;
  running: RunningServer;
  dataDir: string;
  /** Runs the expiry sweeper now, at the clock's time. */
  sweepNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 in the test's own process, for tests that move time with an
 * injected clock instead of waiting for it. Its store is the run's (test/support/test-store.ts)
 * unless `env` names a DATABASE_URL.
 */
export async function startInProcess(
  options: { credits?: number; mode?: 'live' | 'test'; env?: Record<string, string>; webRoot?: string } = {},
): Promise<InProcessServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vn-inproc-'));
  const apiKey = testApiKey(options.mode ?? 'live');
  const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  const log = createLogger('silent');
  const removeData = async () => {
    await releaseStoreOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  };
  let running: RunningServer;
  try {
    const store = options.env?.DATABASE_URL === undefined ? (await storeEnvFor(dataDir)).env : {};
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      ...store,
      BOOTSTRAP_API_KEY: apiKey,
      BOOTSTRAP_CREDITS: String(options.credits ?? 100),
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    running = await startServer(config, { clock, log, sweep: false, ...(options.webRoot ? { webRoot: options.webRoot } : {}) });
  } catch (error) {
    await removeData();
    throw error;
  }
  return {
    url: running.url,
    apiKey,
    clock,
    running,
    dataDir,
    sweepNow: () => sweep(running.deps.store, clock, log),
    async stop() {
      await running.close();
      await removeData();
    },
  };
}
