import { z } from 'zod';
import { languageSchema, modeSchema, timestampSchema } from './common.js';
import { flowSchema } from './links.js';
import { PREVIEW_SCREENS, type PreviewScreen } from './preview.js';
import { documentTypeSchema, sessionIdSchema, sessionStatusSchema, stepSchema } from './sessions.js';

/** The applicant side: no account, a link token to start, then a session bearer token. */

export const LINK_REFUSALS = ['link_not_found', 'link_deactivated', 'link_expired', 'link_exhausted', 'no_credits'] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

/**
 * The flow's preview mode (contract/preview.ts): `GET /preview/flow?screen=…`. Both flows are
 * taken: `document+selfie` (its `+` sent as `%2B`, as URLSearchParams does) and `document_selfie`,
 * the one safe to type by hand (a bare `+` in a query string reads as a space).
 */
export const PREVIEW_FLOWS = { document: 'document', selfie: 'selfie', document_selfie: 'document+selfie', 'document+selfie': 'document+selfie' } as const;
const previewScreenSchema = z.enum(PREVIEW_SCREENS.map((s) => s.id) as [PreviewScreen, ...PreviewScreen[]]);

export const previewQuerySchema = z.strictObject({
  screen: previewScreenSchema.describe('Which screen (contract/preview.ts lists them).'),
  flow: z.enum(['document', 'selfie', 'document_selfie', 'document+selfie']).default('document_selfie'),
  language: languageSchema.default('en'),
  document: documentTypeSchema.default('id_card').describe('The document the applicant chose, where a screen shows it.'),
  merchant: z.string().trim().min(1).max(80).default('Demo shop').describe('The merchant name shown on the screen.'),
});
export type PreviewQuery = z.infer<typeof previewQuerySchema>;

/**
 * "Continue on your phone": a desktop applicant moves the same session to another device with a
 * one-time handoff token, carried in the URL's fragment (`#handoff=vnh_…`), which browsers never
 * send to a server, so it reaches no access log, proxy or Referer.
 */
export const HANDOFF_REFUSALS = ['handoff_not_found', 'handoff_used', 'handoff_expired'] as const;
export type HandoffRefusal = (typeof HANDOFF_REFUSALS)[number];

export const handoffSchema = z.object({
  url: z.string().describe("The link's URL with `#handoff=vnh_…`: open it on the other device (or scan `qrSvg`)."),
  expiresAt: timestampSchema.describe('The token works once, until then (10 minutes, or the end of the session if sooner).'),
  qrSvg: z.string().describe('`url` as an SVG QR code, to show on the desktop.'),
});
export type Handoff = z.infer<typeof handoffSchema>;

/** What a preview page carries for its script: the screen and its made-up content. */
export const flowPreviewSchema = z.object({
  screen: previewScreenSchema,
  documentType: documentTypeSchema,
  handoff: handoffSchema
    .optional()
    .describe('The phone and new-tab screens: a made-up URL (example.invalid) and its QR code, no real handoff.'),
});
export type FlowPreview = z.infer<typeof flowPreviewSchema>;

/**
 * What the flow page (/v/TOKEN) carries inline as JSON in `<script id="vn-page">`: what the flow
 * needs before its first request. The link token is not in it: the page reads it from its URL.
 */
export const flowPageDataSchema = z.object({
  language: languageSchema.describe("The link's language, else the browser's."),
  flow: flowSchema,
  merchant: z.string().describe('The merchant name shown to the applicant.'),
  languages: z.array(languageSchema).describe('Every language the flow speaks, for its language menu.'),
  refusal: z
    .enum(LINK_REFUSALS)
    .optional()
    .describe(
      'Set on a dead-link page: the flow then takes over only for a browser that holds an open session of this link (a reload after the last use was taken) or a handoff.',
    ),
  preview: flowPreviewSchema
    .optional()
    .describe('Set on a preview page (/preview/flow): the flow shows this one screen, and creates, sends and stores nothing.'),
});
export type FlowPageData = z.infer<typeof flowPageDataSchema>;

export const flowStartSchema = z.strictObject({
  token: z.string().min(1).max(200).describe('The token from the magic link (/v/TOKEN).'),
  resumeToken: z
    .string()
    .max(300)
    .optional()
    .describe('A session token this browser already holds for this link: resumes it without using another use.'),
});
export type FlowStart = z.infer<typeof flowStartSchema>;

export const themeSchema = z.object({
  displayName: z.string().describe('The merchant name shown to the applicant.'),
  accentColor: z.string().nullable(),
  logoUrl: z.string().nullable(),
});

export const flowSessionSchema = z.object({
  sessionId: sessionIdSchema,
  sessionToken: z.string().describe('Send as `Authorization: Bearer` on the flow endpoints. Keep it out of URLs.'),
  resumed: z.boolean(),
  status: sessionStatusSchema,
  flow: flowSchema,
  language: languageSchema,
  mode: modeSchema,
  steps: z.array(stepSchema),
  theme: themeSchema,
  redirectUrl: z.string().nullable(),
  expiresAt: timestampSchema,
});
export type FlowSession = z.infer<typeof flowSessionSchema>;

export const flowSubmitSchema = z.strictObject({
  documentType: documentTypeSchema.optional().describe('A passport has no back side. Default: id_card.'),
});
export type FlowSubmit = z.infer<typeof flowSubmitSchema>;

export const flowStatusSchema = z.object({
  sessionId: sessionIdSchema,
  status: sessionStatusSchema,
  steps: z.array(stepSchema),
  redirectUrl: z.string().nullable(),
  expiresAt: timestampSchema,
});
export type FlowStatus = z.infer<typeof flowStatusSchema>;

export const handoffRedeemSchema = z.strictObject({
  handoffToken: z.string().min(1).max(200).describe('The `handoff` value from the URL fragment (`vnh_…`).'),
});
export type HandoffRedeem = z.infer<typeof handoffRedeemSchema>;

/** Header carrying the capture's metrics as JSON (see captureMetricsSchema). */
export const CAPTURE_METRICS_HEADER = 'capture-metrics';
