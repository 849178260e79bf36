import { z } from 'zod';
import { idSchema, ID_PREFIXES, languageSchema, modeSchema, pageOf, pageQuerySchema, timestampSchema } from './common.js';
import { flowSchema, linkIdSchema } from './links.js';

export const SESSION_STATUSES = ['created', 'in_progress', 'submitted', 'review', 'approved', 'denied', 'expired'] as const;
export const sessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const CAPTURE_KINDS = ['document_front', 'document_back', 'selfie'] as const;
export const captureKindSchema = z.enum(CAPTURE_KINDS);
export type CaptureKind = z.infer<typeof captureKindSchema>;

export const DOCUMENT_TYPES = ['id_card', 'passport', 'driving_licence'] as const;
export const documentTypeSchema = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof documentTypeSchema>;

export const sessionIdSchema = idSchema(ID_PREFIXES.session);

const unit = z.number().min(0).max(1);
const pointSchema = z.strictObject({ x: unit, y: unit });
const boxSchema = z.strictObject({ x: unit, y: unit, width: unit, height: unit });

/**
 * What the browser measured when it took a capture, sent with the upload (header
 * `Capture-Metrics`, JSON). Coordinates are fractions of the image's width and height.
 */
export const captureMetricsSchema = z.strictObject({
  source: z.enum(['camera', 'upload']).optional(),
  autoCaptured: z.boolean().optional(),
  documentType: documentTypeSchema.optional(),
  sharpness: z.number().min(0).max(1e6).optional().describe('Variance of the Laplacian.'),
  glare: unit.optional().describe('Share of saturated pixels inside the document.'),
  brightness: unit.optional(),
  motion: unit.optional(),
  fill: unit.optional().describe('Share of the frame the document covers.'),
  quad: z.array(pointSchema).length(4).optional().describe('Document corners, clockwise from top left.'),
  faces: z.array(boxSchema.extend({ score: unit })).max(10).optional(),
});
export type CaptureMetrics = z.infer<typeof captureMetricsSchema>;

export const captureSchema = z.object({
  kind: captureKindSchema,
  contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  metrics: captureMetricsSchema,
  uploadedAt: timestampSchema,
});
export type Capture = z.infer<typeof captureSchema>;

export const stepSchema = z.object({
  kind: captureKindSchema,
  required: z.boolean(),
  done: z.boolean(),
});
export type Step = z.infer<typeof stepSchema>;

export const creditStateSchema = z.enum(['held', 'charged', 'released', 'none']);
export type CreditState = z.infer<typeof creditStateSchema>;

export const decisionStatusSchema = z.enum(['approved', 'denied']);

export const sessionSchema = z.object({
  id: sessionIdSchema,
  linkId: linkIdSchema,
  status: sessionStatusSchema,
  mode: modeSchema,
  flow: flowSchema,
  language: languageSchema,
  documentType: documentTypeSchema.nullable(),
  steps: z.array(stepSchema),
  captures: z.array(captureSchema),
  checks: z.array(z.object({ name: z.string(), result: z.enum(['pass', 'fail', 'unknown']) })),
  credit: creditStateSchema,
  decision: z
    .object({ status: decisionStatusSchema, note: z.string().nullable(), decidedAt: timestampSchema })
    .nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  expiresAt: timestampSchema,
  submittedAt: timestampSchema.nullable(),
  erasedAt: timestampSchema.nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

export const EVENT_TYPES = [
  'session.created',
  'session.in_progress',
  'session.submitted',
  'session.review',
  'session.approved',
  'session.denied',
  'session.expired',
  'session.erased',
  'session.handed_off',
  'link.created',
  'link.updated',
  'link.exhausted',
  'link.expired',
  'link.deactivated',
] as const;
export const eventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventTypeSchema>;

export const timelineEntrySchema = z.object({ id: z.string(), type: eventTypeSchema, createdAt: timestampSchema });
export const sessionDetailSchema = sessionSchema.extend({ timeline: z.array(timelineEntrySchema) });
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

export const sessionListQuerySchema = z.strictObject({
  ...pageQuerySchema,
  link: linkIdSchema.optional(),
  status: sessionStatusSchema.optional(),
});
export type SessionListQuery = z.infer<typeof sessionListQuerySchema>;
export const sessionPageSchema = pageOf(sessionSchema);

export const decisionSchema = z.strictObject({
  status: decisionStatusSchema,
  note: z.string().trim().max(2000).optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

export const sessionParamsSchema = z.object({ id: sessionIdSchema });
export const captureParamsSchema = z.object({ id: sessionIdSchema, kind: captureKindSchema });
