import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { ConfigState, InForce } from './config-in-force.js';
import { writeDaemonRecord } from '../runs/index.js';
import type { DaemonRecord } from '../runs/index.js';
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
  /** Writes the daemon record now with the state of the configuration (for `status`). */
  showConfig(state: ConfigState, inForce: InForce): Promise<void>;
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
  config: ConfigState;
}): Promise<Services> {
  const { adwDir, tasksPath, owner, log } = options;
  const now = new Date().toISOString();
  // One object: the heartbeat refreshes it, `showConfig` changes its config and writes it at once.
  const record: DaemonRecord = {
    pid: process.pid,
    host: owner.host,
    instance: owner.daemonInstance,
    tasksFile: tasksPath,
    startedAt: now,
    heartbeat: now,
    ...(options.dashboardUrl === undefined ? {} : { dashboard: options.dashboardUrl }),
    config: options.config,
  };
  const stopBeat = await startHeartbeat(adwDir, record, {
    intervalMs: options.heartbeatMs,
    log,
    beat: options.beat,
  });
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
    async showConfig(state, inForce) {
      record.config = state;
      if (state.inForce) delete record.inForce;
      else {
        // Every key but the secret: the record is a plain file any local user of the repo reads.
        const config: Omit<Config, 'httpToken'> & { httpToken?: string | undefined } = {
          ...inForce.config,
        };
        delete config.httpToken;
        record.inForce = { config, workflows: [...inForce.workflows] };
      }
      await writeDaemonRecord(adwDir, record).catch((error: unknown) => {
        log.error({ err: error }, 'could not write the daemon record');
      });
    },
  };
}
