import { join } from 'node:path';
import type { ConfigState } from '../daemon/index.js';
import { listRunRecords, readRunRecord, runDir } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';
import { listStepLogs, tailHumanLog } from '../humanize/index.js';
import type { CommandContext } from '../cli/context.js';
import { buildStatus } from '../cli/status-report.js';
import type { StatusReport, StatusTask } from '../cli/status-report.js';

/** The daemon serving the API, as `GET /api/v1/state` shows it. */
export interface DaemonInfo {
  host: string;
  pid: number;
  startedAt: string;
  /** adw-trigger.json when the configuration came from one, else null. */
  configFile: string | null;
  dashboard: string;
  /** Whether adw-trigger.json and the workflow files on disk are in force; null: not known. */
  readonly config: ConfigState | null;
}

/** `GET /api/v1/state`: the `status --json` object, the daemon, and merges waiting. */
export interface ApiState extends StatusReport {
  daemon: DaemonInfo;
  mergesWaiting: { id: string; section: string; branch: string }[];
}

/** Builds the state from the same report as `status --json`. */
export async function apiState(ctx: CommandContext, daemon: DaemonInfo): Promise<ApiState> {
  const { report, extras } = await buildStatus(ctx);
  const mergesWaiting = [...extras.records.values()]
    .filter((record) => record.status === 'merge-waiting')
    .map(({ id, section, branch }) => ({ id, section, branch }));
  return { ...report, daemon, mergesWaiting };
}

/** `GET /api/v1/tasks/:id`: the task's line, its run record, and each step with its log's tail. */
export interface TaskDetail {
  id: string;
  task: StatusTask | null;
  record: RunRecord | null;
  steps: { step: string; bytes: number; log: string; tail: string[] }[];
}

const TAIL_LINES = 20;

/** The detail of one task, or null when neither tasks.md nor `.adw/runs` knows the ID. */
export async function taskDetail(ctx: CommandContext, id: string): Promise<TaskDetail | null> {
  const adwDir = join(ctx.root, '.adw');
  const [{ report }, record] = await Promise.all([buildStatus(ctx), readRunRecord(adwDir, id)]);
  const task = report.tasks.find((candidate) => candidate.id === id) ?? null;
  if (task === null && record === null) return null;
  const logs = await listStepLogs(runDir(adwDir, id));
  const steps = await Promise.all(
    logs.map(async (log) => ({
      step: log.step,
      bytes: log.bytes,
      log: join('.adw', 'runs', id, `${log.step}.log`),
      tail: await tailHumanLog(log.path, TAIL_LINES, log.bytes),
    })),
  );
  return { id, task, record, steps };
}

/** Every run record, by ID (for the dashboard's running tasks). */
export async function runRecords(ctx: CommandContext): Promise<Map<string, RunRecord>> {
  return new Map((await listRunRecords(join(ctx.root, '.adw'))).map((r) => [r.id, r]));
}
