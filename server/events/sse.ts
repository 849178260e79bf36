import type { EventRecord } from '../store/store.js';

/**
 * The wire format of `GET /api/v1/events` (server-sent events, text/event-stream). Frames are
 * encoded once per event and the same bytes are written to every stream that carries it.
 */

/** A comment line: EventSource ignores it; proxies see traffic and keep the connection open. */
export const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/**
 * The stream's first bytes: how long EventSource waits before reconnecting, and the position it
 * resumes from (`Last-Event-ID`). An `id:` with no `data:` dispatches no event but still sets
 * EventSource's last event id, so a stream cut before its first event resumes from where it
 * started rather than missing what happened while it reconnected.
 */
export function preamble(retryMs: number, seq: number | undefined): Buffer {
  return Buffer.from(`retry: ${retryMs}\n${seq === undefined ? '' : `id: ${seq}\n`}\n`);
}

/** `id: <seq>`, `event: <type>`, `data: {"id","type","createdAt","data"}` (the contract's `eventSchema`). */
export function eventFrame(event: EventRecord): Buffer {
  // The stored JSON is used as it is; a line break in it would end the data line early.
  const data = /[\r\n]/.test(event.data) ? JSON.stringify(JSON.parse(event.data)) : event.data;
  const head = JSON.stringify({ id: event.id, type: event.type, createdAt: new Date(event.createdAt).toISOString() });
  return Buffer.from(`id: ${event.seq}\nevent: ${event.type}\ndata: ${head.slice(0, -1)},"data":${data}}\n\n`);
}
