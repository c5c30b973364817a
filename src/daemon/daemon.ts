import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import {
  agentSpecOf,
  CLAUDE_DEFAULT_MODEL,
  newRunToken,
  resolveModel,
  stepLimitsOf,
} from '../agents/index.js';
import type { AgentSpec } from '../agents/index.js';
import type { Config } from '../config/schema.js';
import type { GitRepo } from '../git/index.js';
import { linkExcludes } from '../hooks/link-dirs.js';
import { Lander } from '../land/lander.js';
import { formatTaskId } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';
import type { Workflow, WorkflowJob, WorkflowOutcome } from '../workflows/index.js';
import type { Claim } from './claims.js';
import { thisHost } from './daemon-record.js';
import type { DaemonEvent, DaemonEvents } from './events.js';
import { outcomeEvent } from './outcome-event.js';
import { HeldTasks } from './held-tasks.js';
import { MergeWaiter } from './merge-waiter.js';
import { outcomeEffect } from './outcome-edit.js';
import { RunningTask } from './running-task.js';
import { newRunRecord, runDir } from './run-record.js';
import { createScanner } from './scanner.js';
import { startServices } from './services.js';
import type { Services } from './services.js';
import { messageOf, runClaimedTask, taskBranch, taskWorktree } from './task-run.js';
import type { TaskOutcome, TaskRunner } from './task-run.js';

/** Everything the daemon needs, passed in so the wiring is visible. */
export interface DaemonDeps {
  config: Config;
  repo: GitRepo;
  /** Absolute path of tasks.md. */
  tasksPath: string;
  log: Logger;
  workflows: readonly Workflow[];
  runWorkflow: (job: WorkflowJob) => Promise<WorkflowOutcome>;
  /** The agent of every task; built from `config` when not given. */
  agent?: AgentSpec;
  /** Extra environment for every agent, on top of the daemon's own. */
  agentEnv?: Record<string, string>;
  poll?: boolean;
  heartbeatMs?: number;
  /** Milliseconds since the epoch; tests pass their own clock. */
  clock?: () => number;
  /** False: no file watcher (tests drive scans through the poll timer or `runOnce`). */
  watch?: boolean;
  /** Where claims, steps, outcomes and scans are announced (HTTP events, notifications). */
  events?: DaemonEvents;
  /** The dashboard's address, written into the daemon record for `status`. */
  dashboardUrl?: string;
  /** Runs each claimed task; the local run in a worktree of `repo` when not given. */
  runner?: TaskRunner;
}

/** Counts of how runs ended, for `--once` exit codes and logs. */
export interface DaemonSummary {
  done: number;
  failed: number;
  cancelled: number;
  released: number;
  /** Outcomes that could not be written into tasks.md (they are in their run records). */
  unwritten: number;
  /** An operational problem left unresolved at the end (file unreadable, not UTF-8, lock held). */
  problems: number;
}

/** A running daemon: `start` watches until `stop`; `runOnce` works until nothing more can start. */
export interface Daemon {
  start(): Promise<void>;
  runOnce(): Promise<DaemonSummary>;
  /** Stops once; every caller gets the same promise. Rejects when a cleanup failed. */
  stop(): Promise<void>;
  /** Reconciles tasks.md with the run records now (a record changed outside the daemon). */
  rescan(): void;
}

const ONCE_WRITE_ATTEMPTS = 10;

/** Wires watcher, claims, queue, task runs, write-back, heartbeat, recovery and shutdown. */
export function createDaemon(deps: DaemonDeps): Daemon {
  const { config, repo, tasksPath, log } = deps;
  const clock = deps.clock ?? Date.now;
  const adwDir = join(repo.root, '.adw');
  const owner = { host: thisHost(), daemonInstance: randomUUID() };
  const parseOptions: ParseOptions = {
    defaultSection: config.defaultSection,
    defaultModel: config.model ?? CLAUDE_DEFAULT_MODEL,
    defaultWorkflow: config.workflow,
    workflows: deps.workflows,
  };
  const workflows = new Map(deps.workflows.map((workflow) => [workflow.name, workflow]));
  const agent = deps.agent ?? agentSpecOf(config, repo.root);
  const limits = stepLimitsOf(config);
  const queue = new PQueue({ concurrency: config.concurrency });
  const abort = new AbortController();
  const held = new HeldTasks();
  const lander = new Lander({ config, repo, adwDir, tasksPath, parseOptions, log });
  const merges = new MergeWaiter(repo, adwDir, log, (section) => {
    lander.taskEnded(section, true);
  });
  const summary = { done: 0, failed: 0, cancelled: 0, released: 0 };
  let services: Services | null = null;
  let stopping: Promise<void> | null = null;
  const emit = (event: DaemonEvent): void => deps.events?.emit(event);
  /** A task was claimed since the queue was last idle (for the `queue.idle` event). */
  let busy = false;

  const scanner = createScanner({
    tasksPath,
    adwDir,
    parseOptions,
    log,
    held,
    merges,
    owner,
    clock,
    freeSlots: () => config.concurrency - held.inPhase('claimed', 'running').length,
    newId: (taken) => {
      for (;;) {
        const id = formatTaskId(randomBytes(4));
        if (!taken.has(id) && !held.has(id)) return id;
      }
    },
    recordClaims: async (claims) => {
      for (const claim of claims) {
        const running = new RunningTask(claim, newRecord(claim), adwDir, log);
        held.add(running);
        await running.save();
      }
    },
    dropClaims: async (claims) => {
      for (const claim of claims) {
        held.delete(claim.id);
        await rm(runDir(adwDir, claim.id), { recursive: true, force: true });
      }
    },
    onClaimed: enqueue,
    emit,
    // The outcome is in the file now: the section may be finished, and its merge may land.
    onWritten: ({ record }) => {
      if (record.status === 'released') return;
      lander.taskEnded(record.section, record.status === 'done');
    },
    onScanned: () => {
      if (busy && held.size === 0) {
        busy = false;
        emit({ type: 'queue.idle', done: summary.done, failed: summary.failed });
      }
    },
    stopping: () => stopping !== null,
  });

  function newRecord(claim: Claim): ReturnType<typeof newRunRecord> {
    return newRunRecord(
      {
        id: claim.id,
        task: claim.task.description,
        section: claim.task.section,
        branch: taskBranch(claim),
        worktree: taskWorktree(repo.root, config, claim.id),
        workflow: claim.task.workflow,
        model: resolveModel(claim.task, workflows.get(claim.task.workflow) ?? null, agent),
        runToken: newRunToken(),
        claimLine: claim.line,
        claimText: claim.originalText,
      },
      owner,
    );
  }

  async function enqueue(running: RunningTask): Promise<void> {
    const { claim } = running;
    // The marker is in the file now: a stale copy showing the line pending gets it back.
    running.record.status = 'starting';
    busy = true;
    await running.save();
    const { section, workflow, description } = claim.task;
    const model = running.record.model;
    log.info(
      { id: claim.id, section, line: claim.line, workflow, model },
      `claimed: ${description}`,
    );
    emit({ type: 'task.claimed', id: claim.id, section, line: claim.line, description });
    queue
      .add(() => runTask(running))
      .catch((error: unknown) => {
        log.error({ id: claim.id, err: error }, 'task run crashed');
      });
  }

  async function runTask(running: RunningTask): Promise<void> {
    const { claim, record } = running;
    const signal = AbortSignal.any([abort.signal, running.cancel.signal]);
    // A function, not a value: the signal flips while we await.
    const cancelled = (): boolean => running.cancel.signal.aborted;
    if (abort.signal.aborted) return;
    if (cancelled()) {
      await finish(running, { kind: 'cancelled', reason: messageOf(running.cancel.signal.reason) });
      return;
    }
    await running.started();
    log.info({ id: claim.id, branch: record.branch, worktree: record.worktree }, 'task started');
    let outcome: TaskOutcome;
    try {
      outcome = await (deps.runner ?? runClaimedTask)(claim, {
        config,
        repo,
        workflows,
        runWorkflow: deps.runWorkflow,
        runDir: runDir(adwDir, claim.id),
        agent,
        limits,
        token: record.runToken,
        agentEnv: deps.agentEnv ?? {},
        signal,
        onStep: (step) => {
          log.info({ id: claim.id, step }, 'step started');
          running.step(step);
          emit({ type: 'task.step', id: claim.id, step });
        },
        onSpawn: (pid) => {
          running.spawned(pid);
        },
        onProgress: (progress) => {
          Object.assign(record, progress);
          return running.save();
        },
      });
    } catch (error) {
      const reason = `internal error: ${messageOf(error)}`;
      outcome = { kind: 'failed', reason, commit: null, workflow: null };
      log.error({ id: claim.id, err: error }, 'task run threw');
    }
    if (outcome.kind === 'released' && cancelled()) {
      outcome = { kind: 'cancelled', reason: messageOf(running.cancel.signal.reason) };
    }
    await finish(running, outcome);
  }

  async function finish(running: RunningTask, outcome: TaskOutcome): Promise<void> {
    const { claim, record } = running;
    summary[outcome.kind]++;
    const effect = outcomeEffect(outcome);
    // Record before marker: from here on the outcome is recoverable from run.json.
    await running.finished(outcome, effect);
    const { durationMs, costUsd } = record;
    log[effect.level]({ id: claim.id, commit: effect.commit, durationMs, costUsd }, effect.message);
    if (outcome.kind === 'done' && outcome.mergeWaiting !== null) {
      merges.add(claim.id, claim.task.section, record.branch);
      log.warn(
        { id: claim.id, section: claim.task.section, worktree: outcome.mergeWaiting },
        'section branch is checked out in a worktree; its merge waits until it is not',
      );
    }
    emit(outcomeEvent(running, outcome));
    if (stopping === null) void scanner.request(true);
  }

  async function prepare(): Promise<void> {
    await repo.excludeDaemonFolders(config.worktreeDir, linkExcludes(config.linkDirs));
    services = await startServices({
      adwDir,
      tasksPath,
      owner,
      log,
      heartbeatMs: deps.heartbeatMs ?? 10_000,
      ...(deps.dashboardUrl === undefined ? {} : { dashboardUrl: deps.dashboardUrl }),
      beat: async () => {
        await Promise.all(held.all().map((running) => running.save()));
      },
    });
    await merges.load();
    await scanner.settleOrphans();
  }

  async function shutdown(): Promise<void> {
    const failures: unknown[] = [];
    const guarded = async (what: string, step: () => Promise<void>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
        log.error({ err: error }, `could not ${what} while stopping`);
      }
    };
    await guarded('stop watching', () => services?.stopWatching() ?? Promise.resolve());
    // Queued tasks never start; running ones see the abort, stop their agents and are released.
    queue.clear();
    abort.abort();
    await guarded('finish the last scan', async () => {
      await scanner.idle();
    });
    await guarded('stop the agents', () => queue.onIdle());
    for (const running of held.inPhase('claimed', 'running')) {
      await guarded('release a task', () => finish(running, { kind: 'released' }));
    }
    await guarded('write outcomes', () => scanner.writeNow());
    const unwritten = held.inPhase('outcome-pending').map((running) => running.id);
    if (unwritten.length > 0) {
      log.error(
        { ids: unwritten },
        'stopped with outcomes not written into tasks.md; see their run records',
      );
    }
    await guarded('finish landing', () => lander.idle());
    await guarded('stop the heartbeat', () => services?.stopHeartbeat() ?? Promise.resolve());
    log.info({ ...summary, unwritten: unwritten.length }, 'stopped');
    if (failures.length > 0) throw new AggregateError(failures, 'the daemon did not stop cleanly');
  }

  return {
    async start() {
      await prepare();
      services?.watch({
        watcher: deps.watch === false ? null : { poll: deps.poll ?? false },
        pollMs: config.pollInterval,
        onChange: () => void scanner.request(false),
        // Outcomes waiting (a conflict, a lock held) and merges waiting are retried at each poll.
        onPoll: () =>
          void scanner.request(held.inPhase('outcome-pending').length > 0 || merges.size > 0),
      });
      const { concurrency, agent } = config;
      log.info(
        { tasks: tasksPath, repo: repo.root, concurrency, agent, poll: deps.poll ?? false },
        'watching the tasks file',
      );
      await scanner.request(true);
    },

    async runOnce() {
      await prepare();
      // Each round claims what is runnable now; tasks finishing may unblock more. Outcomes that
      // cannot be written (read-only file, lock held, a conflict) are retried, then reported.
      for (let attempts = 0; attempts < ONCE_WRITE_ATTEMPTS;) {
        await scanner.request(true);
        await queue.onIdle();
        await scanner.idle();
        if (abort.signal.aborted) break;
        if (held.size === 0 && !scanner.unfinished()) break;
        if (held.inPhase('claimed', 'running').length === 0 && queue.size === 0) {
          attempts++;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      const unwritten = held.inPhase('outcome-pending').length;
      // Read before stopping: the last write attempt of `stop` may not take the lock at all.
      const problems = scanner.problems();
      await this.stop();
      return { ...summary, unwritten, problems };
    },

    rescan() {
      if (stopping === null) void scanner.request(true);
    },

    stop() {
      stopping ??= (async () => {
        await scanner.idle();
        await shutdown();
      })();
      return stopping;
    },
  };
}
