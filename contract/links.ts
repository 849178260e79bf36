import { z } from 'zod';
import { idSchema, ID_PREFIXES, languageSchema, modeSchema, pageOf, pageQuerySchema, timestampSchema } from './common.js';

export const FLOWS = ['document', 'selfie', 'document+selfie'] as const;
export const flowSchema = z.enum(FLOWS);
export type Flow = z.infer<typeof flowSchema>;

/** Derived from a link's fields, never stored. */
export const LINK_STATUSES = ['active', 'expired', 'exhausted', 'deactivated'] as const;
export const linkStatusSchema = z.enum(LINK_STATUSES);
export type LinkStatus = z.infer<typeof linkStatusSchema>;

export const linkIdSchema = idSchema(ID_PREFIXES.link);

const metadataSchema = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 keys')
  .describe('Your own key/value pairs, returned as given (at most 20 keys).');

const redirectUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .describe('Where the applicant is sent after submitting.');

export const MAX_USAGE_LIMIT = 1_000_000;

export const linkCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  flow: flowSchema,
  usageLimit: z
    .number()
    .int()
    .min(1)
    .max(MAX_USAGE_LIMIT)
    .nullable()
    .describe('1: single-use; N ≥ 2: multi-use; null: unlimited.'),
  expiresAt: timestampSchema.nullable().optional().describe('Must be in the future; never movable later.'),
  language: languageSchema.default('en'),
  redirectUrl: redirectUrlSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type LinkCreate = z.infer<typeof linkCreateSchema>;

/** What may change after creation: nothing that extends a link's life. */
export const linkUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  redirectUrl: redirectUrlSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
});
export type LinkUpdate = z.infer<typeof linkUpdateSchema>;
/** Fields that can never be changed; an attempt answers 409 `link_immutable`. */
export const IMMUTABLE_LINK_FIELDS = ['usageLimit', 'expiresAt', 'flow', 'uses', 'status', 'language'] as const;

export const linkSchema = z.object({
  id: linkIdSchema,
  url: z.string().describe('The magic link to share.'),
  name: z.string(),
  flow: flowSchema,
  usageLimit: z.number().int().nullable(),
  uses: z.number().int(),
  remainingUses: z.number().int().nullable(),
  expiresAt: timestampSchema.nullable(),
  language: languageSchema,
  redirectUrl: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  status: linkStatusSchema,
  mode: modeSchema,
  createdAt: timestampSchema,
  deactivatedAt: timestampSchema.nullable(),
});
export type Link = z.infer<typeof linkSchema>;

export const linkStatsSchema = z.object({
  funnel: z.object({
    opened: z.number().int().describe('Views of the link\'s page (browsers, and link scanners in mail clients too).'),
    started: z.number().int().describe('Sessions started (each took a use).'),
    captured: z.number().int().describe('Sessions with every photo taken.'),
    submitted: z.number().int().describe('Sessions sent for verification.'),
    approved: z.number().int(),
  }),
  perDay: z
    .array(z.object({ day: z.string().describe('YYYY-MM-DD, UTC.'), sessions: z.number().int() }))
    .describe('Sessions started on each of the last 30 days (UTC), oldest first, days without any included.'),
});
export type LinkStats = z.infer<typeof linkStatsSchema>;

export const linkListQuerySchema = z.strictObject({
  ...pageQuerySchema,
  status: linkStatusSchema.optional(),
  flow: flowSchema.optional(),
});
export type LinkListQuery = z.infer<typeof linkListQuerySchema>;
export const linkPageSchema = pageOf(linkSchema);

export const linkParamsSchema = z.object({ id: linkIdSchema });
