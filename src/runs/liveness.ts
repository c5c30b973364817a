import { isAlive, thisHost } from '../system/processes.js';
import type { RunRecord } from './run-record.js';

/** A heartbeat older than this means the daemon that wrote it is gone (it beats every 10 s). */
export const STALE_HEARTBEAT_MS = 60_000;

/**
 * What can be said of a daemon from where one stands. `live`: it beats (and, on this host, its
 * process is there); `dead`: provably gone; `silent`: a daemon of another host whose heartbeat
 * is stale. Its pid means nothing here, so nothing of it may be settled or stopped from this
 * host, yet it is not shown as serving either.
 */
export type Liveness = 'live' | 'dead' | 'silent';

/** A daemon as its records name it. */
export interface DaemonIdentity {
  host: string;
  pid: number;
  instance: string;
  heartbeat: string;
}

/** Who is judging: this host, this daemon's instance (null outside a daemon) and the time. */
export interface Observer {
  host: string;
  instance: string | null;
  now: number;
}

/** The one rule of liveness, used by recovery, `status`, `health`, the API and `logs -f`. */
export function liveness(daemon: DaemonIdentity, observer: Observer): Liveness {
  const fresh = observer.now - Date.parse(daemon.heartbeat) <= STALE_HEARTBEAT_MS;
  if (daemon.host !== observer.host) return fresh ? 'live' : 'silent';
  // In a container the daemon is often the same pid after every restart: a daemon tells itself
  // from its predecessor by instance. Others in its process (the API) judge by heartbeat.
  if (daemon.pid === process.pid && observer.instance !== null) {
    return daemon.instance === observer.instance ? 'live' : 'dead';
  }
  if (!isAlive(daemon.pid)) return 'dead';
  return fresh ? 'live' : 'dead';
}

/** The daemon that owns a run record. */
export function runOwnerOf(
  record: Pick<RunRecord, 'host' | 'daemonPid' | 'daemonInstance' | 'heartbeat'>,
): DaemonIdentity {
  const { host, daemonPid: pid, daemonInstance: instance, heartbeat } = record;
  return { host, pid, instance, heartbeat };
}

/** A process of this host that is not a daemon (`status`, `health`, `logs`) looking at `now`. */
export function observerHere(now: number): Observer {
  return { host: thisHost(), instance: null, now };
}
