import { eventSchema, eventSeqSchema, eventStreamQuerySchema } from '../../contract/events.js';
import type { Deps } from '../deps.js';
import { HttpError } from '../http/errors.js';
import { route } from '../http/route.js';
import type { EventStream } from './event-stream.js';
import { preamble } from './sse.js';

/** How long EventSource waits before reconnecting (the `retry:` line). */
export const RETRY_MS = 2000;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  // nginx buffers proxied responses unless told not to; an event stream must not wait in a buffer.
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};

export function eventRoutes({ store, events }: Deps) {
  return [
    route({
      method: 'GET',
      path: '/api/v1/events',
      tag: 'events',
      summary: "The account's session and link events as they happen (server-sent events)",
      auth: 'merchant',
      query: eventStreamQuerySchema,
      headers: [
        {
          name: 'Last-Event-ID',
          description:
            'The `id:` of the last event received (EventSource sends it when it reconnects): the stream carries on after it, ' +
            'missing and repeating nothing. Takes precedence over `after`. Without either, the stream carries new events only.',
        },
      ],
      responses: {
        200: {
          description:
            'A `text/event-stream` that stays open: first `retry: 2000` and `id: <position>`, then per event ' +
            '`id: <seq>`, `event: <type>`, `data: <the event as JSON>`, and a `: heartbeat` comment every 15 s. ' +
            'Open the stream before loading a list (wait for EventSource\'s `open`): its events then cover everything ' +
            'the list might not show yet.',
          contentType: 'text/event-stream',
          schema: eventSchema,
        },
        400: { description: '`invalid_request`: `types` names an unknown event type, or `after` / `Last-Event-ID` is not a position.' },
        401: { description: 'Missing or invalid API key.' },
        429: { description: '`too_many_streams`: the account has as many streams open as allowed.' },
        503: { description: '`streams_unavailable`: this server holds as many streams as it can.' },
      },
      async handle({ req, res, query, auth }) {
        const after = lastEventId(req.headers['last-event-id'] as string | undefined) ?? query.after;
        const stream = events.open(auth.accountId, res, query.types);
        // Stopping: no stream now; EventSource reconnects after `retry`, to a server that runs.
        if (!stream) return { headers: STREAM_HEADERS, body: preamble(RETRY_MS, after) };
        let seq: number;
        try {
          // Read after the stream began collecting live events, so nothing falls in between.
          const latest = await store.latestEventSeq();
          // A position past the latest comes from another database: start at the latest.
          seq = after === undefined ? latest : Math.min(after, latest);
        } catch (error) {
          stream.finish();
          throw error;
        }
        return { headers: STREAM_HEADERS, body: body(stream, seq) };
      },
    }),
  ];

  async function* body(stream: EventStream, seq: number): AsyncGenerator<Buffer> {
    try {
      yield preamble(RETRY_MS, seq);
      // The preamble and headers are out: from here the stream writes to the response itself (it
      // drops a client that falls behind rather than waiting for it), until it ends.
      events.begin(stream, seq);
      await stream.whenEnded();
    } finally {
      stream.finish();
    }
  }
}

/** EventSource sends back the last `id:` it saw; anything else is not ours to guess at. */
function lastEventId(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const parsed = eventSeqSchema.safeParse(header.trim());
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_request', 'Last-Event-ID: must be the id of an event this stream sent (a whole number).');
  }
  return parsed.data;
}
