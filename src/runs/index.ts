export {
  ACTIVE_STATUSES,
  cancelRequested,
  cancelRequestPath,
  isActive,
  newRunRecord,
  readRunRecord,
  recordedMarker,
  runDir,
  writeRunRecord,
} from './run-record.js';
export type { FleetRun, RunOwner, RunProgress, RunRecord, RunStatus } from './run-record.js';
export { listRunRecords } from './list-run-records.js';
export { listDaemonRecords, removeDaemonRecord, writeDaemonRecord } from './daemon-record.js';
export { thisHost } from '../system/processes.js';
export type { DaemonRecord } from './daemon-record.js';
export { liveness, observerHere, runOwnerOf, STALE_HEARTBEAT_MS } from './liveness.js';
export type { DaemonIdentity, Liveness, Observer } from './liveness.js';
export { describePause, listPauseRecords, readLivePause } from './pause-record.js';
export type { PauseKind, PauseRecord, PauseState } from './pause-record.js';
export { daySpend } from './day-spend.js';
