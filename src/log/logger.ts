import pino from 'pino';
import type { LogLevel } from '../config';

/** A structured logger: one JSON object per line (time, level, msg, then fields), by pino. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}

/**
 * Creates a JSON-lines logger on pino: ISO times, level names, no pid or hostname (a container's
 * log shipper adds its own).
 * @param level minimum level written; @default "info"
 * @param write where lines go; @default stdout, synchronously (nothing is lost on exit)
 */
export function createLogger(
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
  write?: (line: string) => void,
): Logger {
  const destination = write
    ? { write: (chunk: string) => chunk.split('\n').filter(Boolean).forEach(write) }
    : pino.destination({ dest: 1, sync: true });
  return wrap(
    pino(
      {
        level,
        base,
        messageKey: 'msg',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
  );
}

/** A logger that writes nothing, for tests that do not read logs. */
export const silentLogger: Logger = createLogger('error', {}, () => undefined);
