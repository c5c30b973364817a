import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Workflow } from '../workflows/index.js';
import type { ConfigState } from '../daemon/config-in-force.js';
import { writeFileAtomic } from '../system/write-file-atomic.js';
import { readJsonDir } from './json-dir.js';

/** `.adw/daemons/<host>-<pid>.json`: a running daemon and its heartbeat, read by `health`. */
export interface DaemonRecord {
  pid: number;
  host: string;
  instance: string;
  tasksFile: string;
  startedAt: string;
  heartbeat: string;
  /** The dashboard's address when the daemon serves one (`start --http`). */
  dashboard?: string;
  /** Whether adw-trigger.json and the workflow files on disk are the ones in force. */
  config?: ConfigState;
  /**
   * The configuration in force (secrets left out) while the files on disk are refused: `status`
   * reads the tasks with it, since the files do not load.
   */
  inForce?: { config: Omit<Config, 'httpToken'>; workflows: Workflow[] };
}

function recordPath(adwDir: string, host: string, pid: number): string {
  return join(adwDir, 'daemons', `${host}-${pid}.json`);
}

/** Writes (or refreshes) this daemon's record atomically. */
export async function writeDaemonRecord(adwDir: string, record: DaemonRecord): Promise<void> {
  await writeFileAtomic(recordPath(adwDir, record.host, record.pid), JSON.stringify(record) + '\n');
}

/** Removes this daemon's record on a clean stop. */
export async function removeDaemonRecord(adwDir: string, record: DaemonRecord): Promise<void> {
  await rm(recordPath(adwDir, record.host, record.pid), { force: true });
}

/** Every daemon record under `.adw/daemons` (unreadable ones skipped). */
export async function listDaemonRecords(adwDir: string): Promise<DaemonRecord[]> {
  return (await readJsonDir(join(adwDir, 'daemons'))) as DaemonRecord[];
}
