export { createDaemon } from './daemon.js';
export type { Daemon, DaemonDeps, DaemonSummary } from './daemon-deps.js';
export { createDaemonEvents } from './events.js';
export type { DaemonEvent, DaemonEventListener, DaemonEvents, DaemonEventType } from './events.js';
export { ConfigInForce, RESTART_KEYS } from './config-in-force.js';
export type { ConfigState, InForce, ReloadSource } from './config-in-force.js';
