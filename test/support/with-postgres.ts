/**
 * `node dist/test/support/with-postgres.js <command…>`: runs the command with TEST_POSTGRES_URL
 * set to a throwaway PostgreSQL server (test/support/throwaway-postgres.ts) started before it and
 * deleted after it, whether it passes, fails or is interrupted (SIGINT, SIGTERM, SIGHUP); exits
 * with the command's exit code. With TEST_POSTGRES_URL already set (a developer's own server), it
 * only runs the command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Signal = (typeof SIGNALS)[number];

const say = (message: string) => process.stderr.write(`with-postgres: ${message}\n`);
const exitCodeOf = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 0);

async function main(command: string[]): Promise<number> {
  if (command.length === 0) {
    say('usage: with-postgres <command> [args…]');
    return 2;
  }
  // A signal during the start is remembered and acted on once there is a server to stop.
  let interrupted: Signal | undefined;
  let child: ChildProcess | undefined;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      // A second signal means "now": the command is killed rather than waited for.
      const again = interrupted !== undefined;
      interrupted = signal;
      child?.kill(again ? 'SIGKILL' : signal);
    });
  }

  const remember = (started: ChildProcess) => (child = started);
  if (process.env.TEST_POSTGRES_URL) return run(command, process.env, remember);

  let pg: ThrowawayPostgres;
  try {
    pg = await startThrowawayPostgres();
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return interrupted ? exitCodeOf(interrupted) : 1;
  }
  try {
    say(`PostgreSQL ${pg.version} on 127.0.0.1:${pg.port} (pid ${pg.pid}, in ${pg.dir})`);
    if (interrupted) return exitCodeOf(interrupted);
    return await run(command, { ...process.env, TEST_POSTGRES_URL: pg.url }, remember);
  } finally {
    await pg.stop();
    say('stopped it and deleted its directory');
  }
}

/** Runs the command with the terminal's stdio; answers its exit code (128 + n for signal n). */
function run(command: string[], env: NodeJS.ProcessEnv, onStart: (child: ChildProcess) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
    onStart(child);
    child.once('error', (error) => {
      say(`${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? exitCodeOf(signal!)));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
