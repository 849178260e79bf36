import { request, type IncomingMessage } from 'node:http';

/**
 * A small server-sent events client for tests: node:http plus a parser that follows the
 * EventSource rules (fields, comments, blank line dispatches, `id:` sets the last event id even
 * without data), without EventSource's automatic reconnection: tests reconnect on purpose.
 * node:http rather than fetch: each stream has its own connection, and closing it closes that
 * connection (fetch's pool opens a spare one after an abort, which holds a server's graceful stop).
 */
export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body of a refused request (a JSON error), when status is not 200. */
  errorJson: any;
  events: SseEvent[];
  comments: string[];
  retry: number | undefined;
  /** What EventSource would send as Last-Event-ID on reconnecting. */
  lastEventId: string;
  /** Resolves when the server ends the stream (or it fails, or is aborted). */
  ended: Promise<void>;
  isEnded: boolean;
  /** Waits until `check` holds (re-checked on every event and comment). */
  waitFor(check: (stream: SseStream) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Waits for `count` events matching `match`, and answers them. */
  collect(match: (event: SseEvent) => boolean, count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

export interface OpenOptions {
  key?: string;
  query?: string;
  lastEventId?: string;
  headers?: Record<string, string>;
}

export async function openEventStream(base: string, options: OpenOptions = {}): Promise<SseStream> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const url = new URL(`/api/v1/events${options.query ? `?${options.query}` : ''}`, base);
  const req = request(url, { headers, agent: false });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
  response.setEncoding('utf8');
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
  }

  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let markEnded!: () => void;
  const stream: SseStream = {
    status: response.statusCode ?? 0,
    headers: responseHeaders,
    errorJson: undefined,
    events: [],
    comments: [],
    retry: undefined,
    lastEventId: '',
    ended: new Promise<void>((resolve) => (markEnded = resolve)),
    isEnded: false,
    waitFor(check, timeoutMs = 5000, what = 'the stream') {
      if (check(stream)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${stream.events.length} events so far)`));
        }, timeoutMs);
        const waiter = () => {
          if (!check(stream)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    },
    async collect(match, count, timeoutMs = 5000) {
      // Each event is matched once, however often the stream changes.
      const matched: SseEvent[] = [];
      let seen = 0;
      const check = (s: SseStream) => {
        for (; seen < s.events.length; seen++) if (match(s.events[seen]!)) matched.push(s.events[seen]!);
        return matched.length >= count;
      };
      await stream.waitFor(check, timeoutMs, `${count} matching events`);
      return matched;
    },
    close() {
      req.destroy();
    },
  };

  if (stream.status !== 200) {
    let text = '';
    for await (const chunk of response) text += chunk;
    try {
      stream.errorJson = JSON.parse(text);
    } catch {
      stream.errorJson = undefined;
    }
    stream.isEnded = true;
    markEnded();
    return stream;
  }

  const parser = new SseParser(stream, notify);
  void (async () => {
    try {
      for await (const chunk of response) parser.push(chunk as string);
    } catch {
      // aborted by the test, or cut by the server: either way the stream is over
    } finally {
      stream.isEnded = true;
      markEnded();
      notify();
    }
  })();
  return stream;
}

/** The EventSource parsing rules (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  /** Kept across events, as EventSource's "last event ID buffer" is. */
  private idBuffer = '';

  constructor(
    private readonly target: Pick<SseStream, 'events' | 'comments' | 'retry' | 'lastEventId'>,
    private readonly onChange: () => void = () => {},
  ) {}

  push(text: string): void {
    this.buffer += text;
    let changed = false;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      changed = this.line(line) || changed;
    }
    if (changed) this.onChange();
  }

  private line(line: string): boolean {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.target.comments.push(line.slice(1).trim());
      return true;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.target.retry = Number(value);
    return false;
  }

  private dispatch(): boolean {
    this.target.lastEventId = this.idBuffer;
    if (this.data.length > 0) this.target.events.push({ id: this.idBuffer, event: this.eventType || 'message', data: this.data.join('\n') });
    this.data = [];
    this.eventType = '';
    return true;
  }
}
