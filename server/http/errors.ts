/**
 * The one error type handlers throw. `toErrorBody` (in respond.ts) turns it into
 * `{"error":{"code","message"}}`; anything else that escapes a handler becomes a 500
 * `internal_error` whose details go to the log only.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') =>
  new HttpError(404, 'not_found', `No such ${what}.`);
