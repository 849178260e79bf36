import { z } from 'zod';
import { idSchema, ID_PREFIXES } from './common.js';

export const accountSchema = z.object({
  id: idSchema(ID_PREFIXES.account),
  name: z.string(),
  credits: z.object({
    available: z.number().int().describe('Credits free to hold for new sessions.'),
    held: z.number().int().describe('Credits held by sessions in progress; charged on submit, released on expiry.'),
  }),
  embedOrigins: z
    .array(z.string())
    .describe("Origins whose pages may frame this account's verification flow (the widget's modal); `*` for any."),
});
export type Account = z.infer<typeof accountSchema>;

/**
 * An origin a merchant's page is served from: `https://shop.example` (a port is allowed, no path),
 * `http://` only for localhost while developing; or `*` for any site.
 */
export const embedOriginSchema = z.string().max(200).refine(
  (value) => {
    if (value === '*') return true;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    const isLocal = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return url.origin === value && (url.protocol === 'https:' || (url.protocol === 'http:' && isLocal));
  },
  { message: 'must be an origin like https://shop.example (no path; http:// only for localhost), or *' },
);

export const accountUpdateSchema = z.strictObject({
  embedOrigins: z.array(embedOriginSchema).max(50).describe("Replaces the list of origins allowed to frame the flow. `['*']` allows any site."),
});
export type AccountUpdate = z.infer<typeof accountUpdateSchema>;
