import { z } from 'zod';

/**
 * Sharing a link: the merchant gives an address or a number, we send the link. The recipient is
 * personal data: validated here, used for the one message, never stored or logged.
 */
export const SHARE_CHANNELS = ['email', 'sms'] as const;
export const shareChannelSchema = z.enum(SHARE_CHANNELS);
export type ShareChannel = z.infer<typeof shareChannelSchema>;

/**
 * An address a header cannot be smuggled into: the pattern admits no whitespace, so no CR/LF
 * (`a@b.example\r\nBcc: …` is refused before any mailer sees it). 254: RFC 5321's path limit.
 */
export const emailAddressSchema = z
  .email({ error: 'must be an email address like jane@example.com' })
  .max(254)
  .describe('The applicant’s email address.');

/**
 * E.164: `+`, a country code and the number, 8 to 15 digits in all. Spaces, dashes, dots and
 * brackets people type are dropped first: `+49 (170) 123-4567` becomes `+491701234567`.
 */
export const phoneNumberSchema = z
  .string()
  .max(40)
  .transform((value) => value.replace(/[\s\-().]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in international format, like +491701234567'))
  .describe('The applicant’s mobile number in international format (E.164); spaces and dashes are ignored.');

export const SHARE_MESSAGE_MAX = 500;

/**
 * The merchant's own words, plain text: line breaks kept (CRLF becomes LF), other control
 * characters refused. The HTML part escapes it.
 */
export const shareMessageSchema = z
  .string()
  .transform((value) => value.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .max(SHARE_MESSAGE_MAX, `must be at most ${SHARE_MESSAGE_MAX} characters`)
      .refine((value) => !/[\u0000-\u0008\u000B-\u001F\u007F]/.test(value), 'must be plain text (no control characters)'),
  )
  .describe(`A short note from you, quoted in the message (plain text, at most ${SHARE_MESSAGE_MAX} characters).`);

const emailShareSchema = z.strictObject({
  channel: z.literal('email'),
  to: emailAddressSchema,
  message: shareMessageSchema.optional(),
});

const smsShareSchema = z.strictObject({
  channel: z.literal('sms'),
  to: phoneNumberSchema,
  message: shareMessageSchema.optional(),
});

export const shareRequestSchema = z.discriminatedUnion('channel', [emailShareSchema, smsShareSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be "email" or "sms"' : undefined),
});
export type ShareRequest = z.infer<typeof shareRequestSchema>;

/** `smtp`/`provider`: handed to the configured transport; `outbox`: only written to a file (no transport configured). */
export const shareDeliverySchema = z.enum(['smtp', 'provider', 'outbox']);
export type ShareDelivery = z.infer<typeof shareDeliverySchema>;

export const shareResultSchema = z.object({
  channel: shareChannelSchema,
  delivered: shareDeliverySchema.describe(
    '`smtp` (email) or `provider` (SMS): sent through the configured transport; `outbox`: none is configured, the message was only written to the server’s outbox directory and nobody received it.',
  ),
  smsLink: z
    .string()
    .optional()
    .describe('SMS only: an `sms:` link with the same text, to send it from your own phone instead.'),
});
export type ShareResult = z.infer<typeof shareResultSchema>;

/** The `sms:` link alone: nothing is sent. */
export const smsLinkRequestSchema = z.strictObject({
  to: phoneNumberSchema.optional(),
  message: shareMessageSchema.optional(),
});
export type SmsLinkRequest = z.infer<typeof smsLinkRequestSchema>;

export const smsLinkSchema = z.object({
  smsLink: z.string().describe('`sms:+491701234567?&body=…` (or `sms:?&body=…` without a number): opens the phone’s messaging app with the text filled in.'),
  smsBody: z.string().describe('The text of the message.'),
});
export type SmsLink = z.infer<typeof smsLinkSchema>;
