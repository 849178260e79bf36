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
    destination,
  );
}
