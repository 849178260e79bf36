import { z } from 'zod';
import { idSchema, ID_PREFIXES, modeSchema, timestampSchema } from './common.js';

/** Dashboard sign-in: a merchant user's email and password (users are made by the admin CLI). */
export const loginSchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});
export type Login = z.infer<typeof loginSchema>;

/**
 * A signed-in dashboard browser. The cookie itself is HttpOnly; `csrfToken` goes back in the
 * `X-CSRF-Token` header of every write the cookie authenticates.
 */
export const dashboardSessionSchema = z.object({
  user: z.object({ id: idSchema(ID_PREFIXES.user), email: z.string(), accountId: idSchema(ID_PREFIXES.account) }),
  csrfToken: z.string(),
  expiresAt: timestampSchema.describe('The latest end of this sign-in; an idle one ends earlier.'),
});
export type DashboardSession = z.infer<typeof dashboardSessionSchema>;

export const apiKeySchema = z.object({
  id: idSchema(ID_PREFIXES.apiKey),
  prefix: z.string().describe('The key\'s first characters, to recognise it by; the key itself is never shown again.'),
  mode: modeSchema,
  createdAt: timestampSchema,
  revokedAt: timestampSchema.nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const apiKeyCreateSchema = z.strictObject({
  mode: modeSchema.default('live').describe('`test` keys make test links: their flow runs completely and nothing is billed.'),
});

export const apiKeyCreatedSchema = apiKeySchema.extend({
  key: z.string().describe('The key, shown this once: store it now.'),
});
