/** A heartbeat older than this means the daemon that wrote it is gone (it beats every 10 s). */
export const STALE_HEARTBEAT_MS = 60_000;
