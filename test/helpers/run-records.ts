import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { newRunRecord, writeRunRecord } from '../../src/runs/index.js';
import type { RunRecord } from '../../src/runs/index.js';

/** The pid of a process that has ended: what a daemon killed with -9 leaves in its records. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

/** A run record of this host with the given fields (by default: a dead daemon's, claimed). */
export function runRecordOf(fields: Partial<RunRecord> & { id: string }): RunRecord {
  const { id } = fields;
  const base = newRunRecord(
    {
      id,
      task: 'x',
      section: 'adw',
      branch: `adw-${id}`,
      worktree: join('trees', id),
      workflow: 'build',
      model: 'sonnet',
      runToken: null,
      claimLine: null,
      claimText: null,
    },
    { host: hostname(), daemonInstance: 'gone' },
  );
  return { ...base, ...fields, daemonPid: fields.daemonPid ?? deadPid() };
}

/** Writes a run record into the repository's `.adw/runs`, as a daemon that crashed left it. */
export async function writeRecordIn(
  repo: string,
  fields: Partial<RunRecord> & { id: string },
): Promise<void> {
  await writeRunRecord(join(repo, '.adw'), runRecordOf(fields));
}
