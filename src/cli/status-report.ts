import { join } from 'node:path';
import {
  daySpend,
  isActive,
  listRunRecords,
  liveness,
  observerHere,
  readLivePause,
  runOwnerOf,
} from '../runs/index.js';
import type { PauseState, RunRecord } from '../runs/index.js';
import { readFleetView } from '../fleet/fleet-view.js';
import type { FleetView } from '../fleet/fleet-view.js';
import { readTasksFile } from '../store/index.js';
import { blockedReason, parseTasks } from '../tasks/index.js';
import type { Diagnostic, TaskStatus } from '../tasks/index.js';
import { countCleanable, type CleanCount } from '../cleanup/clean-count.js';
import { sectionReports, type StatusSection } from '../land/section-report.js';
import { modelOfTask, type CommandContext } from './context.js';
import { statusCost, type StatusCost } from './status-cost.js';

/** One task in `status --json` (SPEC §6: these names are read by other tools). */
export interface StatusTask {
  line: number;
  section: string;
  status: TaskStatus;
  description: string;
  prompt: string;
  tags: string[];
  /** The model that runs it (resolveModel); null: the agent's own default. */
  model: string | null;
  workflow: string;
  id: string | null;
  commit: string | null;
  error: string | null;
  runnable: boolean;
  blockedBy: number | null;
  /** Why `blockedBy` keeps it waiting, e.g. `name build-api, ❌ failed`. */
  blockedReason: string | null;
  /** Its `name:` tag, and the names its `after:` tags wait on. */
  name: string | null;
  after: readonly string[];
}

/** One run under way in `status --json`. */
export interface StatusRun {
  id: string;
  step: string | null;
  startedAt: string;
  pid: number | null;
  costUsd: number | null;
  /** A fleet run: which attempt runs, on which worker (`host:pid`, null while queued). */
  attempt?: number;
  worker?: string | null;
}

/** `status --json`: the whole object of SPEC §6. */
export interface StatusReport {
  file: string;
  tasks: StatusTask[];
  diagnostics: Omit<Diagnostic, never>[];
  runs: StatusRun[];
  /** Each section with its landing state (`sections[].pr`: the pull request's URL). */
  sections: StatusSection[];
  /** What `clean --branches` would remove. */
  clean: CleanCount;
  /** What the recorded runs cost, and the runs with tokens but no price. */
  cost: StatusCost;
  /** Dispatch paused by the daemon serving the file (rate limit, permanent error, budget), or null. */
  pause: PauseState | null;
  /** The cost recorded today (local time) against `maxCostPerDay` (null: no limit). */
  spend: { todayUsd: number; maxCostPerDay: number | null };
  /** The workers of a fleet, as its coordinator last saw them (only with `start --queue`). */
  fleet?: FleetView;
}

/** Extra facts for the text view that the JSON contract does not carry. */
export interface StatusExtras {
  records: Map<string, RunRecord>;
  /** In-progress tasks with no live daemon behind them (no record, or the record's daemon is gone). */
  unowned: Set<string>;
}

/** Reads the task file and run records and builds the status report. */
export async function buildStatus(
  ctx: CommandContext,
): Promise<{ report: StatusReport; extras: StatusExtras }> {
  const snapshot = await readTasksFile(ctx.tasksPath);
  const parsed = parseTasks(snapshot.text, ctx.parseOptions);
  const diagnostics =
    snapshot.encodingError === null
      ? parsed.diagnostics
      : [snapshot.encodingError, ...parsed.diagnostics];
  const records = new Map(
    (await listRunRecords(join(ctx.root, '.adw'))).map((record) => [record.id, record]),
  );
  const runs: StatusRun[] = [];
  const unowned = new Set<string>();
  const now = Date.now();
  const observer = observerHere(now);
  for (const task of parsed.tasks) {
    if (task.status !== 'in_progress' || task.id === null) continue;
    const record = records.get(task.id);
    const live =
      record !== undefined && isActive(record) && liveness(runOwnerOf(record), observer) === 'live';
    if (record === undefined || !live) {
      unowned.add(task.id);
      continue;
    }
    runs.push({
      id: record.id,
      step: record.step,
      startedAt: record.startedAt,
      pid: record.agentPid,
      costUsd: record.costUsd,
      ...(record.fleet === undefined
        ? {}
        : { attempt: record.fleet.attempt, worker: record.fleet.worker }),
    });
  }
  const tasks = parsed.tasks.map((task) => ({
    line: task.line,
    section: task.section,
    status: task.status,
    description: task.description,
    prompt: task.prompt,
    tags: task.tags,
    model: modelOfTask(ctx, task),
    workflow: task.workflow,
    id: task.id,
    commit: task.commit,
    error: task.error,
    runnable: task.runnable,
    blockedBy: task.blockedBy,
    blockedReason: blockedReason(task, parsed.tasks),
    name: task.name,
    after: task.after,
  }));
  const adwDir = join(ctx.root, '.adw');
  const sections = await sectionReports(adwDir, parsed.tasks);
  const cleanInput = { repo: ctx.repo, config: ctx.loaded.config, file: parsed, records };
  const clean = await countCleanable(cleanInput);
  const pause = await readLivePause(adwDir, ctx.tasksPath, now);
  const spend = {
    todayUsd: daySpend([...records.values()], now),
    maxCostPerDay: ctx.loaded.config.maxCostPerDay ?? null,
  };
  const fleet = await readFleetView(adwDir);
  return {
    report: {
      file: ctx.tasksName,
      tasks,
      diagnostics,
      runs,
      sections,
      clean,
      cost: statusCost(records.values()),
      pause,
      spend,
      ...(fleet === null ? {} : { fleet }),
    },
    extras: { records, unowned },
  };
}
