import type { Logger } from '../../log.js';
import type { Sql } from './postgres-store.js';

/** NOTIFY'd after events get their `seq`: every process's event hub listens. */
export const EVENTS_CHANNEL = 'verify_now_events';

const SEQUENCER_LOCK = 0x766e_0002;
/** Events numbered per transaction: a backlog is numbered in a few short steps, not one long one. */
const BATCH = 5_000;
/** How often a process that streams events looks for rows a crashed writer left unnumbered. */
const WATCH_MS = 1_000;

/**
 * Gives events their stream position, `seq`, in commit order. A value taken at insert would not
 * be: transactions commit out of order, so a stream that has read up to 10 could later find a 9
 * committed after it, and a client resuming after 10 would never see it. Instead events are
 * inserted without `seq`, and after each commit that wrote some, this numbers every committed
 * unnumbered row after the highest `seq`, under an advisory lock, so numbering transactions take
 * turns across all processes. Whatever a reader sees up to N is final: every lower `seq` was given
 * by a transaction that had already committed.
 */
export class EventSequencer {
  /** The numbering run in progress, and the one to start after it. */
  private current: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private watcher: NodeJS.Timeout | undefined;
  private isClosed = false;

  constructor(
    private readonly sql: Sql,
    /** Called in this process after numbering some (other processes hear the NOTIFY). */
    private readonly onSequenced: () => void,
    private readonly log: Logger | undefined,
  ) {}

  /**
   * After a commit that wrote events: resolves once they are numbered, so that an API call answers
   * only when its events have their place in the stream (a stream opened after the answer starts
   * after them). Concurrent commits share runs. Never rejects: a failure is logged and the watcher
   * numbers the rows later.
   */
  request(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    if (this.queued) return this.queued;
    if (!this.current) return this.start();
    // The run in progress may have begun before the caller's commit: wait for the next one.
    this.queued = this.current.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const run: Promise<void> = (async () => {
      while ((await this.numberBatch()) === BATCH);
    })()
      .catch((err) => this.log?.error({ err }, 'could not number new events: trying again within a second'))
      .finally(() => {
        if (this.current === run) this.current = undefined;
      });
    this.current = run;
    return run;
  }

  /** Once something streams events: also number rows whose writer died between its commit and numbering them. */
  watch(): void {
    if (this.watcher || this.isClosed) return;
    this.watcher = setInterval(() => {
      if (this.current) return;
      this.sql`SELECT EXISTS (SELECT 1 FROM events WHERE seq IS NULL) AS pending`.then(
        ([row]) => row?.pending && void this.request(),
        (err) => this.log?.warn({ err }, 'could not look for unnumbered events'),
      );
    }, WATCH_MS);
    this.watcher.unref();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.watcher);
    await this.queued;
    await this.current;
  }

  private async numberBatch(): Promise<number> {
    const count = await this.sql.begin(async (sql) => {
      await sql`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK})`;
      // Taken after the lock, so the statement sees every commit that asked for this run.
      const numbered = await sql`
        WITH pending AS (
          SELECT n, row_number() OVER (ORDER BY n) AS position FROM events WHERE seq IS NULL ORDER BY n LIMIT ${BATCH}
        ), top AS (SELECT coalesce(max(seq), 0) AS seq FROM events)
        UPDATE events SET seq = top.seq + pending.position FROM pending, top WHERE events.n = pending.n`;
      if (numbered.count > 0) await sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`;
      return numbered.count;
    });
    if (count > 0) this.onSequenced();
    return count;
  }
}
