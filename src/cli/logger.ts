import { destination, pino } from 'pino';
import type { Logger } from 'pino';
import pretty from 'pino-pretty';

/** The log levels `--log-level` accepts. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * The daemon's logger: JSON lines on stdout (what journald, Docker and log shippers read), or
 * pretty lines when stdout is a terminal. Pretty printing runs in-process, not as a transport
 * worker, so a log line is out before the process exits.
 */
export function createLogger(level: string, json = !process.stdout.isTTY): Logger {
  const options = { level, base: { pid: process.pid } };
  if (json) return pino(options, destination({ dest: 1, sync: true }));
  return pino(
    options,
    pretty({
      colorize: process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
      sync: true,
    }),
  );
}
