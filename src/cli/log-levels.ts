/** The log levels `--log-level` accepts (here, not beside the logger, so options load no pino). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
