import { z } from 'zod';
import { idSchema, ID_PREFIXES, pageOf, pageQuerySchema, timestampSchema } from './common.js';
import { EVENT_TYPES, eventTypeSchema } from './sessions.js';

/** The event a "send test event" delivers; never written to the events table. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const webhookEndpointIdSchema = idSchema(ID_PREFIXES.webhookEndpoint);
export const webhookDeliveryIdSchema = idSchema(ID_PREFIXES.webhookDelivery);

const urlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .refine((u) => !/^https?:\/\/[^/]*@/i.test(u), 'must not carry a user name or password')
  .describe('Where events are POSTed. Public addresses only (see the README\'s SSRF rules); redirects are not followed.');

const eventTypesSchema = z
  .union([z.tuple([z.literal('*')]), z.array(eventTypeSchema).min(1).max(EVENT_TYPES.length)])
  .describe(`The event types to receive, or ["*"] for all (the default), of: ${EVENT_TYPES.join(', ')}.`);

export const webhookEndpointCreateSchema = z.strictObject({
  url: urlSchema,
  eventTypes: eventTypesSchema.default(['*']),
  description: z.string().trim().max(200).optional(),
  enabled: z.boolean().default(true),
});
export type WebhookEndpointCreate = z.infer<typeof webhookEndpointCreateSchema>;

export const webhookEndpointUpdateSchema = z.strictObject({
  url: urlSchema.optional(),
  eventTypes: eventTypesSchema.optional(),
  description: z.string().trim().max(200).nullable().optional(),
  enabled: z.boolean().optional().describe('true re-enables an endpoint that was disabled after a long run of failures.'),
});
export type WebhookEndpointUpdate = z.infer<typeof webhookEndpointUpdateSchema>;

export const webhookRotateSchema = z.strictObject({
  graceHours: z
    .number()
    .min(0)
    .max(168)
    .default(24)
    .describe('How long the old secret keeps signing beside the new one (two v1= in the header); 0 ends it now.'),
});

export const webhookEndpointSchema = z.object({
  id: webhookEndpointIdSchema,
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().describe('Why the server disabled it (a long run of failures); null otherwise.'),
  secretPrefix: z.string().describe('The start of the signing secret, to tell secrets apart; the whole one is shown only once.'),
  previousSecretExpiresAt: timestampSchema.nullable().describe('While a rotation lasts: until when the old secret also signs.'),
  consecutiveFailures: z.number().int(),
  createdAt: timestampSchema,
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookEndpointWithSecretSchema = webhookEndpointSchema.extend({
  secret: z.string().describe('whsec_…: shown this once. Verify signatures with it.'),
});

export const webhookEndpointListSchema = z.object({ data: z.array(webhookEndpointSchema) });

export const webhookAttemptSchema = z.object({
  attempt: z.number().int(),
  at: timestampSchema,
  statusCode: z.number().int().nullable().describe('null: no HTTP answer (see error).'),
  latencyMs: z.number().int(),
  error: z.string().nullable().describe('timeout, connection_failed, blocked_address, …'),
  responseBody: z.string().nullable().describe('The first 1,024 characters of the answer.'),
});

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const webhookDeliverySchema = z.object({
  id: webhookDeliveryIdSchema,
  endpointId: webhookEndpointIdSchema,
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  nextAttemptAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
  attempts: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
export const webhookDeliveryPageSchema = pageOf(webhookDeliverySchema);

export const webhookDeliveryListQuerySchema = z.strictObject({
  ...pageQuerySchema,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});

export const webhookEndpointParamsSchema = z.object({ id: webhookEndpointIdSchema });
export const webhookDeliveryParamsSchema = z.object({ id: webhookEndpointIdSchema, deliveryId: webhookDeliveryIdSchema });
