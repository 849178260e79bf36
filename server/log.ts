import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. What may go in: ids, route patterns, status codes, durations, counts.
 * What never does: request bodies, raw URLs of flow pages (they hold link tokens), Authorization
 * headers, names, e-mail addresses, image bytes. The redact list is a second line of defence.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'verify-now' },
      redact: {
        paths: ['authorization', '*.authorization', 'token', '*.token', 'sessionToken', '*.sessionToken', 'password', '*.password', 'email', '*.email'],
        censor: '[redacted]',
      },
    },
    // Written synchronously: pino's asynchronous default flushes at exit in a loop that retries
    // every failed write, so a process whose stdout reader had gone (a closed pipe) never exited.
    // Synchronously, a closed pipe just ends the logging, and nothing waits in memory at a crash.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
