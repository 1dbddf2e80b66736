import pino, { Logger } from 'pino';

/**
 * Structured logs. Secrets must never be logged; the redact list is a second line of
 * defence for fields that could carry one if someone logs a whole object by mistake.
 * `destination` is stdout unless given (tests read the lines).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    redact: {
      paths: [
        'secret',
        'token',
        'scanToken',
        'js_code',
        'session_key',
        'access_token',
        '*.secret',
        '*.token',
        '*.scanToken',
        '*.js_code',
        '*.session_key',
        '*.access_token',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
