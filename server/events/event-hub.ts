import type { ServerResponse } from 'node:http';
import type { EventType } from '../../contract/sessions.js';
import { HttpError } from '../http/errors.js';
import type { Logger } from '../log.js';
import type { EventRecord, Store } from '../store/store.js';
import { EventStream } from './event-stream.js';
import { eventFrame } from './sse.js';

/**
 * Events read per query by the hub. Between pages it yields a turn, so that a slow stream's
 * backlog is judged after each page: no stream is handed more than a page past its limit.
 */
const READ_PAGE = 250;

export interface EventHubOptions {
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs: number;
  /** How often the table is read when no commit of this process said so: other processes' events. */
  pollMs: number;
  maxStreamsPerAccount: number;
  maxStreams: number;
  /** A stream with more than this waiting in its socket's buffer is dropped as too slow. */
  maxBufferedBytes: number;
  /** A stream whose client takes nothing for this long while data waits is dropped. */
  stallMs: number;
}

/**
 * The process's one reader of the `events` table for `GET /api/v1/events`. It reads the rows
 * after the last one it saw, once per batch for all streams (not once per stream), encodes each
 * event once, and hands it to the open streams of that event's account.
 *
 * It reads when this process commits events (the store says so at once) and, as the fallback for
 * events written by other processes on the same database, every `pollMs`. With no stream open it
 * stops: no timers, no reads; the first stream starts it again from the latest event.
 */
export class EventHub {
  private readonly byAccount = new Map<string, Set<EventStream>>();
  private count = 0;
  /** The last seq handed out; undefined while stopped or starting. */
  private seq: number | undefined;
  /** Bumped on every stop, so that a read begun before it does not hand out its rows after. */
  private generation = 0;
  private ready: Promise<void> = Promise.resolve();
  private isRunning = false;
  private isReading = false;
  private mustReadAgain = false;
  private isClosed = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: EventHubOptions,
  ) {
    this.unsubscribe = store.onEventsCommitted(() => {
      if (this.seq !== undefined) queueMicrotask(() => void this.read());
    });
  }

  /**
   * A new stream for the account, counted against the limits at once (429 or 503 past them); it
   * collects live events from now on and writes nothing until `begin`. Answers undefined while the
   * server stops.
   */
  open(accountId: string, res: ServerResponse, types: readonly EventType[] | undefined): EventStream | undefined {
    if (this.isClosed) return undefined;
    const streams = this.byAccount.get(accountId) ?? new Set<EventStream>();
    if (streams.size >= this.options.maxStreamsPerAccount) {
      throw new HttpError(
        429, 'too_many_streams',
        `This account already has ${streams.size} event streams open, the most allowed; close some (one per dashboard tab is enough).`,
        { 'retry-after': '10' },
      );
    }
    if (this.count >= this.options.maxStreams) {
      throw new HttpError(503, 'streams_unavailable', 'This server holds as many event streams as it can; try again shortly.', { 'retry-after': '10' });
    }
    const stream = new EventStream(
      accountId, res, types ? new Set(types) : undefined, this.store, this.log,
      this.options, (ended) => this.remove(ended),
    );
    streams.add(stream);
    this.byAccount.set(accountId, streams);
    this.count++;
    this.run();
    return stream;
  }

  /** Once the stream's preamble is written: catch up from `seq`, then live. */
  begin(stream: EventStream, seq: number): void {
    void stream.start(seq, this.ready);
  }

  /** Open streams and the accounts they belong to (for tests and logs). */
  stats(): { streams: number; accounts: number } {
    return { streams: this.count, accounts: this.byAccount.size };
  }

  /** At shutdown: end every stream now (clients reconnect elsewhere) and open no more. */
  close(): void {
    this.isClosed = true;
    this.unsubscribe();
    for (const streams of [...this.byAccount.values()]) for (const stream of [...streams]) stream.finish();
    this.stop();
  }

  private remove(stream: EventStream): void {
    const streams = this.byAccount.get(stream.accountId);
    if (!streams?.delete(stream)) return;
    this.count--;
    if (streams.size === 0) this.byAccount.delete(stream.accountId);
    if (this.count === 0) this.stop();
  }

  private run(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    const generation = this.generation;
    this.ready = this.store.latestEventSeq().then((seq) => {
      if (generation !== this.generation) return;
      this.seq = seq;
      const heartbeat = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
      const poll = setInterval(() => void this.read(), this.options.pollMs);
      heartbeat.unref();
      poll.unref();
      this.timers = [heartbeat, poll];
      void this.read();
    });
    this.ready.catch((err) => {
      this.log.error({ err }, 'event hub could not start');
      if (generation === this.generation) this.stop();
    });
  }

  private stop(): void {
    this.isRunning = false;
    this.generation++;
    this.seq = undefined;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Reads what was committed since the last read; a call during a read makes it read once more. */
  private async read(): Promise<void> {
    if (this.isReading) {
      this.mustReadAgain = true;
      return;
    }
    this.isReading = true;
    try {
      do {
        this.mustReadAgain = false;
        const generation = this.generation;
        while (this.seq !== undefined && generation === this.generation) {
          const rows = await this.store.readEventsAfter(this.seq, READ_PAGE);
          if (generation !== this.generation) break;
          for (const row of rows) this.dispatch(row);
          if (rows.length < READ_PAGE) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } while (this.mustReadAgain);
    } catch (err) {
      this.log.error({ err }, 'event hub could not read events');
    } finally {
      this.isReading = false;
    }
  }

  private dispatch(event: EventRecord): void {
    this.seq = event.seq;
    const streams = this.byAccount.get(event.accountId);
    if (!streams) return;
    const frame = eventFrame(event);
    // A copy: a stream dropped while writing leaves the set.
    for (const stream of [...streams]) stream.deliver(event.seq, event.type, frame);
  }

  private heartbeat(): void {
    const now = performance.now();
    for (const streams of [...this.byAccount.values()]) for (const stream of [...streams]) stream.heartbeat(now);
  }
}
