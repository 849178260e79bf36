import { z } from 'zod';

/** Languages the applicant-facing pages speak. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'lt', 'nl', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];
export const languageSchema = z.enum(LANGUAGES);

/** Live objects are billed; test objects (made with a `vn_test_` key) run fully and cost nothing. */
export const modeSchema = z.enum(['live', 'test']);
export type Mode = z.infer<typeof modeSchema>;

/** Public ids: a type prefix and 16 random bytes in base64url (22 characters). */
export const ID_PREFIXES = {
  account: 'acc_',
  apiKey: 'key_',
  link: 'lnk_',
  session: 'ses_',
  event: 'evt_',
  user: 'usr_',
  userSession: 'uss_',
  handoff: 'hnd_',
  webhookEndpoint: 'whe_',
  webhookDelivery: 'whd_',
} as const;

export const idSchema = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9_-]{22}$`), `must be an id starting with ${prefix}`);

export const timestampSchema = z.iso.datetime({ offset: true });

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('Stable, snake_case: for programs.'),
    message: z.string().describe('A sentence for people.'),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });
