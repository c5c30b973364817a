import { listDaemonRecords, thisHost } from './daemon-record.js';
import { listPauseRecords, type PauseState } from './dispatch-pause.js';
import { isAlive } from './processes.js';
import { STALE_HEARTBEAT_MS } from './recovery.js';

/**
 * The dispatch pause in force for `tasksPath`, as its daemon wrote it: only a live daemon's
 * (fresh heartbeat, pid alive when on this host), and a timed pause only until it ends.
 */
export async function readLivePause(
  adwDir: string,
  tasksPath: string,
  now: number,
): Promise<PauseState | null> {
  const host = thisHost();
  const live = new Set(
    (await listDaemonRecords(adwDir))
      .filter(
        (record) =>
          record.tasksFile === tasksPath &&
          now - Date.parse(record.heartbeat) <= STALE_HEARTBEAT_MS &&
          (record.host !== host || isAlive(record.pid)),
      )
      .map((record) => `${record.host}:${String(record.pid)}`),
  );
  for (const record of await listPauseRecords(adwDir)) {
    if (!live.has(`${record.host}:${String(record.pid)}`)) continue;
    if (record.until !== null && Date.parse(record.until) <= now) continue;
    const { kind, until, since, reason, hint } = record;
    return { kind, until, since, reason, hint };
  }
  return null;
}
