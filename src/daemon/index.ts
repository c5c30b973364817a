export { createDaemon } from './daemon.js';
export type { Daemon, DaemonDeps, DaemonSummary } from './daemon.js';
export { listDaemonRecords, thisHost } from './daemon-record.js';
export type { DaemonRecord } from './daemon-record.js';
export {
  cancelRequestPath,
  isActive,
  listRunRecords,
  readRunRecord,
  runDir,
  writeRunRecord,
} from './run-record.js';
export type { RunRecord, RunStatus } from './run-record.js';
export { isAlive } from './processes.js';
export { STALE_HEARTBEAT_MS } from './recovery.js';
export { createDaemonEvents } from './events.js';
export type { DaemonEvent, DaemonEventListener, DaemonEvents, DaemonEventType } from './events.js';
export { ConfigInForce, RESTART_KEYS } from './config-in-force.js';
export type { ConfigState, InForce, ReloadSource } from './config-in-force.js';
export { describePause } from './dispatch-pause.js';
export type { PauseKind, PauseState } from './dispatch-pause.js';
export { readLivePause } from './pause-view.js';
export { daySpend } from './day-spend.js';
