import { z } from 'zod';
import { idSchema, ID_PREFIXES } from './common.js';

export const accountSchema = z.object({
  id: idSchema(ID_PREFIXES.account),
  name: z.string(),
  credits: z.object({
    available: z.number().int().describe('Credits free to hold for new sessions.'),
    held: z.number().int().describe('Credits held by sessions in progress; charged on submit, released on expiry.'),
  }),
});
export type Account = z.infer<typeof accountSchema>;
