import type { Logger } from 'pino';
import { removeDaemonRecord, writeDaemonRecord } from '../runs/index.js';
import type { DaemonRecord } from '../runs/index.js';

/** Stops the heartbeat and removes the daemon record (a clean stop). */
export type StopHeartbeat = () => Promise<void>;

/**
 * Beats every `intervalMs`: refreshes this daemon's record (read by `health`) and calls `beat`
 * (the run records of running tasks, read by recovery and `status`). A daemon whose beat is
 * older than a minute is taken for dead.
 */
export async function startHeartbeat(
  adwDir: string,
  record: DaemonRecord,
  options: { intervalMs: number; log: Logger; beat: () => Promise<void> },
): Promise<StopHeartbeat> {
  const once = async (): Promise<void> => {
    record.heartbeat = new Date().toISOString();
    await Promise.all([
      writeDaemonRecord(adwDir, record).catch((error: unknown) => {
        options.log.error({ err: error }, 'could not write the daemon record');
      }),
      options.beat(),
    ]);
  };
  await once();
  const timer = setInterval(() => void once(), options.intervalMs);
  return async () => {
    clearInterval(timer);
    await removeDaemonRecord(adwDir, record).catch(() => undefined);
  };
}
