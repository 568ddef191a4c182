import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets are redacted by path so a stray `log.info({ req })`
 * cannot leak a token or password.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: [
        'password',
        '*.password',
        'apiKey',
        '*.apiKey',
        'refreshToken',
        '*.refreshToken',
        'accessToken',
        '*.accessToken',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'headers["x-gateway-secret"]',
        'variables.input.password',
        'variables.password',
        'variables.refreshToken',
      ],
      censor: '[redacted]',
    },
  });
}
