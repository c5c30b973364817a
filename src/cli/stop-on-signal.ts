import type { Logger } from 'pino';

/** A service's stop on SIGINT or SIGTERM: `stopped` settles once its stop has run. */
export interface SignalStop {
  stopped: Promise<void>;
  /** True once a signal came. */
  received(): boolean;
}

/**
 * Stops a service on the first SIGINT or SIGTERM: logs `stopping` with the signal, then runs
 * `stop`. A stop that fails is logged and makes the exit code 1 (not a clean exit); a second
 * signal exits at once.
 */
export function stopOnSignal(log: Logger, stopping: string, stop: () => Promise<void>): SignalStop {
  let received = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      received = true;
      log.info({ signal }, stopping);
      stop().then(resolve, (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { stopped, received: () => received };
}
