import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedMarker } from '../tasks/index.js';
import type { FailedAttempt } from '../workflows/types.js';
import { writeFileAtomic } from '../system/write-file-atomic.js';

/**
 * Where a run stands. `claimed`: written before the 🟡 reaches tasks.md (it may not have);
 * `merge-waiting` is ✅ whose merge into the section branch waits; `released`: given back to
 * `[]` unstarted; `retried`: a person asked for the task to run again.
 */
export type RunStatus =
  | 'claimed'
  | 'starting'
  | 'running'
  | 'done'
  | 'merge-waiting'
  | 'failed'
  | 'cancelled'
  | 'released'
  | 'interrupted'
  | 'retried';

/** Statuses of a run that may still have an agent: its owner settles it. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['claimed', 'starting', 'running'];

/** True while a run may still have an agent (not yet settled). */
export function isActive(record: Pick<RunRecord, 'status'>): boolean {
  return ACTIVE_STATUSES.includes(record.status);
}

/** `.adw/runs/<ID>/run.json`: what the daemon knows of one run, for status and recovery. */
export interface RunRecord {
  id: string;
  task: string;
  section: string;
  branch: string;
  worktree: string;
  workflow: string;
  /** The model that runs (resolveModel); null: the agent's own default. */
  model: string | null;
  /** In the environment of every process the agent starts (ADW_RUN_TOKEN): recovery stops them by it. */
  runToken: string | null;
  /** The line number and exact text of the task's line before the claim (null in old records). */
  claimLine: number | null;
  claimText: string | null;
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
  /** Failed agent attempts, in order: the class of each failure and how long the next one waited. */
  attempts?: FailedAttempt[];
  /** A run handed to a fleet worker: its queue job, attempt and worker. */
  fleet?: FleetRun;
}

/** Where a fleet run stands: the queue job, which attempt runs, on which worker. */
export interface FleetRun {
  jobId: string;
  attempt: number;
  worker: string | null;
  /** The commit the task started from. */
  base: string;
}

/** What a runner reports while a task runs, merged into its run record. */
export interface RunProgress {
  /** The host that runs the agent, when it is not the daemon's. */
  host?: string;
  costUsd?: number | null;
  fleet?: FleetRun;
}

/** The folder that holds one task's run record and step logs. */
export function runDir(adwDir: string, id: string): string {
  return join(adwDir, 'runs', id);
}

/** Writes run.json atomically (temp + rename), so a reader never sees half a record. */
export async function writeRunRecord(adwDir: string, record: RunRecord): Promise<void> {
  const path = join(runDir(adwDir, record.id), 'run.json');
  await writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
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

function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<RunRecord>;
  return (
    typeof record.id === 'string' &&
    typeof record.host === 'string' &&
    typeof record.status === 'string' &&
    STATUSES.has(record.status)
  );
}

const STATUSES = new Set<string>([
  ...ACTIVE_STATUSES,
  'done',
  'merge-waiting',
  'failed',
  'cancelled',
  'released',
  'interrupted',
  'retried',
]);

/** The marker tasks.md must show for a run, from its record: the record owns the marker. */
export function recordedMarker(record: RunRecord): RecordedMarker {
  const { id } = record;
  switch (record.status) {
    case 'claimed':
    case 'starting':
    case 'running':
      return { status: 'in_progress', id };
    case 'done':
    case 'merge-waiting':
      return record.commit === null
        ? { status: 'failed', id, reason: 'no commit recorded' }
        : { status: 'done', id, hash: record.commit };
    case 'failed':
    case 'cancelled':
    case 'interrupted':
      return { status: 'failed', id, reason: record.error ?? record.status };
    case 'released':
    case 'retried':
      return { status: 'pending' };
  }
}

/** Who is running a task: written into every run record this daemon makes. */
export interface RunOwner {
  host: string;
  daemonInstance: string;
}

/** A fresh record for a task just claimed. */
export function newRunRecord(
  fields: Pick<
    RunRecord,
    | 'id'
    | 'task'
    | 'section'
    | 'branch'
    | 'worktree'
    | 'workflow'
    | 'model'
    | 'runToken'
    | 'claimLine'
    | 'claimText'
  >,
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
    status: 'claimed',
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

/** `.adw/runs/<ID>/cancel`: written by `adw-trigger cancel`, read by the daemon holding the run. */
export function cancelRequestPath(adwDir: string, id: string): string {
  return join(runDir(adwDir, id), 'cancel');
}

/** True when a person asked for this run to be cancelled. */
export async function cancelRequested(adwDir: string, id: string): Promise<boolean> {
  return access(cancelRequestPath(adwDir, id)).then(
    () => true,
    () => false,
  );
}
