export { createDaemon } from './daemon.js';
export type { Daemon, DaemonDeps, DaemonSummary } from './daemon.js';
export { createDaemonEvents } from './events.js';
export type { DaemonEvent, DaemonEventListener, DaemonEvents, DaemonEventType } from './events.js';
