import type { Logger } from '../log.js';

interface RouteStats {
  count: number;
  totalMs: number;
  maxMs: number;
  statuses: Record<number, number>;
}

/**
 * Requests counted per route and status, logged as one line a minute instead of one line per
 * request: the access log costs a sixth of a cheap request's CPU otherwise, and a flood of forged
 * tokens would flood the log too. `LOG_LEVEL=debug` adds a line per request.
 */
export class RequestStats {
  private routes = new Map<string, RouteStats>();

  constructor(private readonly log: Logger) {}

  record(method: string, route: string, status: number, ms: number): void {
    const key = `${method} ${route}`;
    let stats = this.routes.get(key);
    if (!stats) {
      stats = { count: 0, totalMs: 0, maxMs: 0, statuses: {} };
      this.routes.set(key, stats);
    }
    stats.count++;
    stats.totalMs += ms;
    if (ms > stats.maxMs) stats.maxMs = ms;
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    if (this.log.isLevelEnabled('debug')) this.log.debug({ method, route, status, ms: Math.round(ms) }, 'request');
  }

  flush(): void {
    if (this.routes.size === 0) return;
    const routes = Object.fromEntries(
      [...this.routes].map(([key, s]) => [key, { count: s.count, statuses: s.statuses, avgMs: round(s.totalMs / s.count), maxMs: round(s.maxMs) }]),
    );
    this.routes = new Map();
    this.log.info({ routes }, 'requests');
  }

  /** Flushes every `intervalMs`; the returned function stops it and flushes what is left. */
  start(intervalMs: number): () => void {
    const timer = setInterval(() => this.flush(), intervalMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      this.flush();
    };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
