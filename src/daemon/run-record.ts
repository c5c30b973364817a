import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a run stands; `merge-waiting` is ✅ whose merge into the section branch waits. */
export type RunStatus =
  'starting' | 'running' | 'done' | 'merge-waiting' | 'failed' | 'released' | 'interrupted';

/** `.adw/runs/<ID>/run.json`: what the daemon knows of one run, for status and recovery. */
export interface RunRecord {
  id: string;
  task: string;
  section: string;
  branch: string;
  worktree: string;
  workflow: string;
  model: string;
  host: string;
  daemonPid: number;
  /** Identifies the daemon process beyond its pid (pids repeat across container restarts). */
  daemonInstance: string;
  agentPid: number | null;
  /** The agent's kernel start time, so recovery signals only the process it recorded. */
  agentStartTime: string | null;
  step: string | null;
  status: RunStatus;
  commit: string | null;
  error: string | null;
  startedAt: string;
  heartbeat: string;
  finishedAt: string | null;
  durationMs: number | null;
  costUsd: number | null;
  numTurns: number | null;
  usage: unknown;
  sessionId: string | null;
  /** An `onConflict: "resolve"` attempt, when the merge conflicted. */
  resolve?: unknown;
}

/** The folder that holds one task's run record and step logs. */
export function runDir(adwDir: string, id: string): string {
  return join(adwDir, 'runs', id);
}

/** Writes run.json atomically (temp + rename), so a reader never sees half a record. */
export async function writeRunRecord(adwDir: string, record: RunRecord): Promise<void> {
  const dir = runDir(adwDir, record.id);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.run.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify(record, null, 2) + '\n');
  await rename(temp, join(dir, 'run.json'));
}

/** Reads a run record; null when there is none or it cannot be read as one. */
export async function readRunRecord(adwDir: string, id: string): Promise<RunRecord | null> {
  try {
    const parsed = JSON.parse(
      await readFile(join(runDir(adwDir, id), 'run.json'), 'utf8'),
    ) as unknown;
    return isRunRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Every run record under `.adw/runs`. */
export async function listRunRecords(adwDir: string): Promise<RunRecord[]> {
  let ids: string[];
  try {
    ids = await readdir(join(adwDir, 'runs'));
  } catch {
    return [];
  }
  const records = await Promise.all(ids.map((id) => readRunRecord(adwDir, id)));
  return records.filter((record): record is RunRecord => record !== null);
}

function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<RunRecord>;
  return (
    typeof record.id === 'string' &&
    typeof record.host === 'string' &&
    typeof record.status === 'string'
  );
}

/** Who is running a task: written into every run record this daemon makes. */
export interface RunOwner {
  host: string;
  daemonInstance: string;
}

/** A fresh record for a task just claimed. */
export function newRunRecord(
  fields: Pick<RunRecord, 'id' | 'task' | 'section' | 'branch' | 'worktree' | 'workflow' | 'model'>,
  owner: RunOwner,
): RunRecord {
  const now = new Date().toISOString();
  return {
    ...fields,
    ...owner,
    daemonPid: process.pid,
    agentPid: null,
    agentStartTime: null,
    step: null,
    status: 'starting',
    commit: null,
    error: null,
    startedAt: now,
    heartbeat: now,
    finishedAt: null,
    durationMs: null,
    costUsd: null,
    numTurns: null,
    usage: null,
    sessionId: null,
  };
}
