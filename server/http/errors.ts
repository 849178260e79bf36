/**
 * The one error type handlers throw. `sendError` (in respond.ts) turns it into
 * `{"error":{"code","message"}}`; anything else that escapes a handler becomes a 500
 * `internal_error` whose details go to the log only.
 *
 * It carries no stack: it is an answer to a client, not a fault, and refusing a flood of forged
 * tokens should not pay for capturing one each time.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  private json: string | undefined;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  /** `{"error":{"code","message"}}`, serialised once: a shared refusal is sent many times. */
  get body(): string {
    return (this.json ??= JSON.stringify({ error: { code: this.code, message: this.message } }));
  }
}

export const notFound = (what = 'resource') =>
  new HttpError(404, 'not_found', `No such ${what}.`);
