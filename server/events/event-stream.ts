import type { ServerResponse } from 'node:http';
import type { EventType } from '../../contract/sessions.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { eventFrame, HEARTBEAT } from './sse.js';

/** Events read from the database per query while a stream catches up. */
const CATCH_UP_PAGE = 500;
/**
 * Live events kept for a stream that is still catching up; past this it reads them from the
 * database again instead, so a long catch-up holds no more than this in memory.
 */
const MAX_PENDING = 1000;

interface Pending {
  seq: number;
  frame: Buffer;
}

export interface StreamLimits {
  /** Bytes a stream may have waiting in its socket's buffer before it is dropped as too slow. */
  maxBufferedBytes: number;
  /** How long a client may take nothing while data waits for it before it is dropped. */
  stallMs: number;
}

/**
 * One open `GET /api/v1/events` response. It starts by catching up from the database (events
 * after its position), then goes live: the hub hands it each new event of its account. While it
 * catches up, the live events the hub hands it wait in `pending` (bounded), so nothing falls
 * between the last database read and the first live event; `cursor` (the last seq written or
 * passed over) drops the ones it already sent.
 *
 * A client that reads too slowly is dropped rather than buffered for: its socket is closed and
 * EventSource reconnects with `Last-Event-ID`, missing nothing. Too slow: more than
 * `maxBufferedBytes` still waiting once a turn's writes reached the socket, or nothing taken for
 * `stallMs` while data waits. Beyond that limit a stream is never handed more than one page of
 * the hub's reads, and those frames are the same buffers every stream of the account shares.
 */
export class EventStream {
  private state: 'opening' | 'catching_up' | 'live' | 'closed' = 'opening';
  private pending: Pending[] = [];
  private hasOverflowed = false;
  /** The last seq this stream has written or skipped; set by `start`. */
  private cursor = 0;
  private isBacklogCheckDue = false;
  /** For the stall check: when a heartbeat first found data waiting, since the last drain. */
  private waitingSince: number | undefined;
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    readonly accountId: string,
    private readonly res: ServerResponse,
    private readonly types: ReadonlySet<EventType> | undefined,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly limits: StreamLimits,
    private readonly onEnd: (stream: EventStream) => void,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    res.once('close', () => this.end());
    res.on('drain', () => (this.waitingSince = undefined));
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Resolves when the stream is over: closed by the client, dropped, or ended by shutdown. */
  whenEnded(): Promise<void> {
    return this.ended;
  }

  /**
   * Called once the preamble is written: sends the events after `seq`, then goes live. `ready`
   * resolves once the hub knows its own position, so that the reads here see every event the
   * hub will not hand over.
   */
  async start(seq: number, ready: Promise<void>): Promise<void> {
    if (this.state !== 'opening') return;
    this.state = 'catching_up';
    this.cursor = seq;
    try {
      await ready;
      await this.catchUp();
    } catch (err) {
      this.log.error({ err, accountId: this.accountId }, 'event stream could not catch up');
      this.res.destroy();
      this.end();
    }
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const rows = await this.store.readEventsAfter(this.cursor, CATCH_UP_PAGE, this.accountId);
      for (const row of rows) {
        if (this.state === 'closed') return;
        if (row.seq <= this.cursor) continue;
        if (this.isWanted(row.type)) await this.sendPaced(eventFrame(row));
        this.cursor = row.seq;
      }
      if (this.state === 'closed') return;
      if (rows.length === CATCH_UP_PAGE) continue;
      if (this.hasOverflowed) {
        // What was dropped from `pending` is committed: the next read finds it.
        this.hasOverflowed = false;
        this.pending = [];
        continue;
      }
      // No await from here on: the pending events and the switch to live happen in one go.
      for (const { seq, frame } of this.pending) {
        if (seq <= this.cursor) continue;
        this.write(frame);
        this.cursor = seq;
      }
      this.pending = [];
      if (this.state === 'catching_up') this.state = 'live';
      return;
    }
  }

  /** The hub's delivery of a new event of this account, in seq order. */
  deliver(seq: number, type: EventType, frame: Buffer): void {
    if (!this.isWanted(type)) return;
    if (this.state === 'live') {
      if (seq <= this.cursor) return;
      this.cursor = seq;
      this.write(frame);
    } else if (this.state !== 'closed' && !this.hasOverflowed) {
      this.pending.push({ seq, frame });
      if (this.pending.length > MAX_PENDING) {
        this.hasOverflowed = true;
        this.pending = [];
      }
    }
  }

  /**
   * Every heartbeat interval (`now`: a monotonic time in ms): a comment line, and the stall
   * check. A client that took nothing from its socket for `stallMs` while data waited is dropped.
   */
  heartbeat(now: number): void {
    if (this.state !== 'live' && this.state !== 'catching_up') return;
    if (!this.res.writableNeedDrain) return this.write(HEARTBEAT);
    this.waitingSince ??= now;
    if (now - this.waitingSince >= this.limits.stallMs) this.drop('stalled');
  }

  /** Ends the stream as the server stops: the response finishes cleanly and EventSource reconnects. */
  finish(): void {
    this.end();
  }

  private isWanted(type: EventType): boolean {
    return this.types === undefined || this.types.has(type);
  }

  /**
   * Writes of one turn are corked and reach the socket together on the next, so the backlog is
   * judged then: more than `maxBufferedBytes` still waiting means the client is too slow.
   */
  private write(frame: Buffer): void {
    if (this.state === 'closed') return;
    this.res.write(frame);
    if (this.res.writableLength > this.limits.maxBufferedBytes && !this.isBacklogCheckDue) {
      this.isBacklogCheckDue = true;
      setImmediate(() => {
        this.isBacklogCheckDue = false;
        if (this.state !== 'closed' && this.res.writableLength > this.limits.maxBufferedBytes) this.drop('too_far_behind');
      });
    }
  }

  /** While catching up, wait for the client to take what was written before writing more. */
  private async sendPaced(frame: Buffer): Promise<void> {
    this.write(frame);
    if (this.state === 'closed' || !this.res.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  private drop(reason: 'too_far_behind' | 'stalled'): void {
    this.log.warn(
      { accountId: this.accountId, reason, bufferedBytes: this.res.writableLength, seq: this.cursor },
      'event stream dropped: the client reads too slowly (it reconnects with Last-Event-ID)',
    );
    this.res.destroy();
    this.end();
  }

  private end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.pending = [];
    this.onEnd(this);
    this.resolveEnded();
  }
}
