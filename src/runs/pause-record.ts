import { join } from 'node:path';
import { listDaemonRecords } from './daemon-record.js';
import { readJsonDir } from './json-dir.js';
import { liveness, observerHere } from './liveness.js';

/** Why dispatch is paused: an agent's rate limit, a permanent error seen twice, the day's budget. */
export type PauseKind = 'rate-limit' | 'permanent' | 'budget';

/** A pause of all dispatch, as `status`, the HTTP state and the dashboard show it. */
export interface PauseState {
  kind: PauseKind;
  /** When dispatch resumes by itself (ISO); null: only once resumed (the cause fixed, a restart). */
  until: string | null;
  since: string;
  /** What paused it, one line. */
  reason: string;
  /** How to resume it. */
  hint: string;
}

/** `.adw/pauses/<host>-<pid>.json`: the pause of one daemon, for `status` in another process. */
export interface PauseRecord extends PauseState {
  host: string;
  pid: number;
}

function hhmm(time: number): string {
  const date = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The one line of `status`: `paused: rate limit until 14:05`, `paused: authentication failed…`. */
export function describePause(state: PauseState): string {
  const until = state.until === null ? '' : ` until ${hhmm(Date.parse(state.until))}`;
  switch (state.kind) {
    case 'rate-limit':
      return `paused: rate limit${until}`;
    case 'budget':
      return `paused: ${state.reason}${until}`;
    case 'permanent':
      return `paused: ${state.reason}`;
  }
}

/** Every pause record under `.adw/pauses` (unreadable ones skipped). */
export async function listPauseRecords(adwDir: string): Promise<PauseRecord[]> {
  return (await readJsonDir(join(adwDir, 'pauses'))) as PauseRecord[];
}

/**
 * The dispatch pause in force for `tasksPath`, as its daemon wrote it: only a live daemon's
 * (fresh heartbeat, pid alive when on this host), and a timed pause only until it ends.
 */
export async function readLivePause(
  adwDir: string,
  tasksPath: string,
  now: number,
): Promise<PauseState | null> {
  const observer = observerHere(now);
  const live = new Set(
    (await listDaemonRecords(adwDir))
      .filter((record) => record.tasksFile === tasksPath && liveness(record, observer) === 'live')
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
