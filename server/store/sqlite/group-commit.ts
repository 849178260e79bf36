import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: write transactions asked for in the same turn of the event loop run one after
 * another inside a single SQLite transaction, each in its own savepoint (better-sqlite3 turns a
 * nested transaction into one), and are all acknowledged after the one COMMIT, so one fsync of
 * the WAL makes many of them durable. Each unit still sees the effects of the units before it,
 * and a unit that throws rolls back only its own savepoint.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private isScheduled = false;

  /** `afterCommit` runs after each successful COMMIT, once the batch's callers are resolved. */
  constructor(private readonly db: Database.Database, private readonly afterCommit?: () => void) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.isScheduled) {
        this.isScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything queued so far is committed. */
  async settle(): Promise<void> {
    if (this.queue.length > 0) await this.run(() => undefined).catch(() => {});
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.isScheduled = false;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
          for (const { work } of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(work)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The COMMIT itself failed (disk full, I/O error): nothing in the batch was stored.
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
    this.afterCommit?.();
  }
}
