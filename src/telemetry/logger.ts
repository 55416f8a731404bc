import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Field names are fixed across the code base: per review `uid`,
 * `kind`, `namespace`, `name`, `operation`; per scaler tick `target`, `tick`; errors
 * under `err`. Certificates and keys are redacted should they ever be passed in.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'hydra-route' },
      redact: { paths: ['key', 'cert', '*.key', '*.cert', 'tls.key', 'privateKey'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
