import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../clock.js';

/** Outbox files hold a recipient: they go after a week, the longest a developer needs to look. */
export const OUTBOX_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * `DATA_DIR/outbox`: where shared messages go when no transport is configured (development).
 * Each message is one file, readable by the server's user only; the name holds a time and
 * random characters, never the recipient.
 *
 * Its clock is the system's by default, not the application's: file ages are compared with
 * modification times, which the operating system stamps with the real time.
 */
export class Outbox {
  constructor(
    readonly dir: string,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Writes one message; answers its file name. */
  async write(extension: 'eml' | 'txt', content: string | Buffer): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
    const name = `${stamp}-${randomBytes(6).toString('hex')}.${extension}`;
    await writeFile(join(this.dir, name), content, { mode: 0o600, flag: 'wx' });
    return name;
  }

  /** Deletes files last written more than `maxAgeMs` ago; answers how many. */
  async removeOlderThan(maxAgeMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const before = this.clock.now() - maxAgeMs;
    let removed = 0;
    for (const name of names) {
      if (!/\.(eml|txt)$/.test(name)) continue;
      const path = join(this.dir, name);
      try {
        if ((await stat(path)).mtimeMs < before) {
          await unlink(path);
          removed++;
        }
      } catch (error) {
        // Someone else (a developer, another server on the same data) removed it first.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return removed;
  }
}
