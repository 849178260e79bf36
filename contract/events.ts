import { z } from 'zod';
import { idSchema, ID_PREFIXES, timestampSchema } from './common.js';
import { linkSchema } from './links.js';
import { EVENT_TYPES, eventTypeSchema, sessionSchema } from './sessions.js';

/**
 * An event as `GET /api/v1/events` sends it (the `data:` line of each server-sent event) and as
 * webhooks will post it. `data` is the session or link as the API showed it when the event was
 * written; erasing a session turns the data of all its events into the erased view.
 */
export const eventSchema = z.object({
  id: idSchema(ID_PREFIXES.event).describe('Unique: deduplicate by it.'),
  type: eventTypeSchema,
  createdAt: timestampSchema,
  data: z.union([sessionSchema, linkSchema]).describe('A session for `session.*` events, a link for `link.*` ones.'),
});
export type StreamEvent = z.infer<typeof eventSchema>;

/** An event's position in the stream: the SSE `id:` line, what `Last-Event-ID` and `after` take. */
export const eventSeqSchema = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the id of an event (a whole number)')
  .transform(Number)
  .describe('The `id:` of the last event received: the stream carries on after it.');

const typesSchema = z
  .string()
  .max(1000)
  .transform((text) => text.split(',').map((t) => t.trim()).filter((t) => t !== ''))
  .pipe(
    z.array(z.enum(EVENT_TYPES, { error: (issue) => `unknown event type "${String(issue.input)}"; known: ${EVENT_TYPES.join(', ')}` })).min(1),
  )
  .describe(`Comma-separated event types to receive (all when absent), of: ${EVENT_TYPES.join(', ')}.`);

export const eventStreamQuerySchema = z.strictObject({
  after: eventSeqSchema.optional(),
  types: typesSchema.optional(),
});
export type EventStreamQuery = z.infer<typeof eventStreamQuerySchema>;
