import type { z } from 'zod';
import { HttpError } from './errors.js';

/** Parses with a contract schema; a failure is a 400 whose message names each field. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : where}: ${issue.message}`)
    .join('; ');
  throw new HttpError(400, 'invalid_request', message);
}
