import type { Logger } from 'pino';
import { startHeartbeat } from './heartbeat.js';
import { watchTasksFile } from './watcher.js';
import type { StopWatching } from './watcher.js';

/** The daemon's background services: heartbeat, file watcher and poll timer. */
export interface Services {
  /** Starts the watcher (unless null) and the safety-net rescan timer. */
  watch(options: {
    watcher: { poll: boolean } | null;
    pollMs: number;
    onChange: () => void;
    onPoll: () => void;
  }): void;
  stopWatching(): Promise<void>;
  stopHeartbeat(): Promise<void>;
}

/** Starts the heartbeat (daemon record and the run records of held tasks); watching comes later. */
export async function startServices(options: {
  adwDir: string;
  tasksPath: string;
  owner: { host: string; daemonInstance: string };
  log: Logger;
  heartbeatMs: number;
  beat: () => Promise<void>;
  /** The dashboard's address, for `status`. */
  dashboardUrl?: string;
}): Promise<Services> {
  const { adwDir, tasksPath, owner, log } = options;
  const now = new Date().toISOString();
  const stopBeat = await startHeartbeat(
    adwDir,
    {
      pid: process.pid,
      host: owner.host,
      instance: owner.daemonInstance,
      tasksFile: tasksPath,
      startedAt: now,
      heartbeat: now,
      ...(options.dashboardUrl === undefined ? {} : { dashboard: options.dashboardUrl }),
    },
    { intervalMs: options.heartbeatMs, log, beat: options.beat },
  );
  let stopWatcher: StopWatching | null = null;
  let timer: NodeJS.Timeout | undefined;
  return {
    watch({ watcher, pollMs, onChange, onPoll }) {
      if (watcher !== null) stopWatcher = watchTasksFile(tasksPath, onChange, watcher);
      timer = setInterval(onPoll, pollMs);
    },
    async stopWatching() {
      clearInterval(timer);
      await stopWatcher?.();
    },
    stopHeartbeat: stopBeat,
  };
}
