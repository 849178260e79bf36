/**
 * A message that could not be delivered, said for people: what failed and whether trying again
 * may help. Its message never holds the recipient (the mail server's own reply often does), so it
 * can go to the merchant as a 502 and its `code` to the log.
 */
export class ShareFailure extends Error {
  override readonly name = 'ShareFailure';

  constructor(
    message: string,
    /** The transport's error code (`ECONNECTION`, `EAUTH`, `http_503`, …): safe to log. */
    readonly code: string,
  ) {
    super(message);
  }
}
