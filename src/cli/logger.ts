import { createRequire } from 'node:module';
import { destination, pino } from 'pino';
import type { Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export { LOG_LEVELS } from './log-levels.js';

// pino-pretty (and its dependencies) is loaded only for a terminal: a daemon under a service
// manager writes JSON and never needs it.
const require = createRequire(import.meta.url);

/**
 * The daemon's logger: JSON lines on stdout (what journald, Docker and log shippers read), or
 * pretty lines when stdout is a terminal. Pretty printing runs in-process, not as a transport
 * worker, so a log line is out before the process exits.
 */
export function createLogger(level: string, json = !process.stdout.isTTY): Logger {
  const options = { level, base: { pid: process.pid } };
  if (json) return pino(options, destination({ dest: 1, sync: true }));
  const pretty = require('pino-pretty') as typeof PinoPretty;
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
