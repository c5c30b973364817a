import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { isAdwError } from '../errors.js';
import { Lander } from '../land/lander.js';
import type { GitRepo } from '../git/index.js';
import { formatTaskId } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';
import type { Workflow, WorkflowJob, WorkflowOutcome } from '../workflows/index.js';
import { scanAndClaim } from './claim-scan.js';
import { serialRunner } from './serial.js';
import type { Claim } from './claims.js';
import { thisHost } from './daemon-record.js';
import { startHeartbeat } from './heartbeat.js';
import type { StopHeartbeat } from './heartbeat.js';
import { MergeWaiter } from './merge-waiter.js';
import { outcomeEffect } from './outcome-edit.js';
import { OutcomeWriter } from './outcome-writer.js';
import { RunningTask } from './running-task.js';
import { recoverInterrupted } from './recovery.js';
import { newRunRecord, runDir } from './run-record.js';
import { messageOf, runClaimedTask, taskBranch, taskWorktree } from './task-run.js';
import type { TaskOutcome } from './task-run.js';
import { watchTasksFile } from './watcher.js';
import type { StopWatching } from './watcher.js';

/** Everything the daemon needs, passed in so the wiring is visible. */
export interface DaemonDeps {
  config: Config;
  repo: GitRepo;
  /** Absolute path of tasks.md. */
  tasksPath: string;
  log: Logger;
  workflows: readonly Workflow[];
  runWorkflow: (job: WorkflowJob) => Promise<WorkflowOutcome>;
  /** Extra environment for every agent, on top of the daemon's own. */
  agentEnv?: Record<string, string>;
  poll?: boolean;
  heartbeatMs?: number;
}

/** Counts of how runs ended, for `--once` exit codes and logs. */
export interface DaemonSummary {
  done: number;
  failed: number;
  released: number;
  /** Outcomes that could not be written into tasks.md. */
  unwritten: number;
}

/** A running daemon: `start` watches until `stop`; `runOnce` works until nothing more can start. */
export interface Daemon {
  start(): Promise<void>;
  runOnce(): Promise<DaemonSummary>;
  stop(): Promise<void>;
}

const ONCE_WRITE_ATTEMPTS = 10;

/** Wires watcher, claims, queue, task runs, write-back, heartbeat, recovery and shutdown. */
export function createDaemon(deps: DaemonDeps): Daemon {
  const { config, repo, tasksPath, log } = deps;
  const adwDir = join(repo.root, '.adw');
  const owner = { host: thisHost(), daemonInstance: randomUUID() };
  const parseOptions: ParseOptions = {
    defaultSection: config.defaultSection,
    defaultModel: config.model,
    defaultWorkflow: config.workflow,
    workflows: deps.workflows,
  };
  const workflows = new Map(deps.workflows.map((workflow) => [workflow.name, workflow]));
  const queue = new PQueue({ concurrency: config.concurrency });
  const abort = new AbortController();
  const merges = new MergeWaiter(repo, adwDir, log);
  const summary: DaemonSummary = { done: 0, failed: 0, released: 0, unwritten: 0 };

  const outcomes = new OutcomeWriter(tasksPath, parseOptions, log);
  const claims = outcomes.held;
  const lander = new Lander({ config, repo, adwDir, tasksPath, parseOptions, log });

  const state = {
    lastHash: null as string | null,
    /** Something other than the file changed (a task ended): scan even if its bytes did not. */
    force: true,
    stopping: false,
    lastProblem: null as string | null,
    loggedDiagnostics: '[]',
  };
  let stopWatching: StopWatching | null = null;
  let stopHeartbeat: StopHeartbeat | null = null;
  let pollTimer: NodeJS.Timeout | undefined;

  /** Logs a problem once, not at every poll, until it changes or goes away. */
  function problem(message: string, fields: Record<string, unknown> = {}): void {
    if (message === state.lastProblem) return;
    state.lastProblem = message;
    log.error(fields, message);
  }

  function newId(taken: ReadonlySet<string>): string {
    for (;;) {
      const id = formatTaskId(randomBytes(4));
      if (!taken.has(id) && !claims.has(id)) return id;
    }
  }

  const scans = serialRunner(tick, {
    onError: (error) => {
      log.error({ err: error }, 'unexpected error while scanning the tasks file');
    },
    stopped: () => state.stopping,
  });
  const requestTick = scans.request;

  async function tick(): Promise<void> {
    if (state.stopping) return;
    await flushWrites();
    await merges.retry();
    const force = state.force;
    state.force = false;
    const result = await scanAndClaim({
      tasksPath,
      parseOptions,
      running: [...claims.values()].map((entry) => entry.claim),
      lastHash: state.lastHash,
      force,
      newId,
    });
    if (result.kind === 'unchanged') return;
    if (result.kind === 'problem') {
      // Scan again at the next poll even if the bytes stay the same (chmod, lock released).
      state.force = true;
      state.lastHash = result.hash;
      problem(result.message);
      return;
    }
    // Once per set of problems, not per scan: which lines the daemon leaves alone, and why.
    const diagnostics = JSON.stringify(result.diagnostics);
    if (diagnostics !== state.loggedDiagnostics) {
      state.loggedDiagnostics = diagnostics;
      for (const { line, column, severity, rule, message } of result.diagnostics) {
        log.warn({ line, column, severity, rule }, `${tasksPath}:${line}:${column} ${message}`);
      }
    }
    state.lastHash = result.hash;
    state.lastProblem = null;
    for (const id of result.restored) {
      log.warn(
        { id },
        'tasks.md showed a running task as not started (an older copy saved?); marker put back',
      );
    }
    for (const claim of result.claims) await enqueue(claim);
  }

  async function enqueue(claim: Claim): Promise<void> {
    const record = newRunRecord(
      {
        id: claim.id,
        task: claim.task.description,
        section: claim.task.section,
        branch: taskBranch(claim),
        worktree: taskWorktree(repo.root, config, claim.id),
        workflow: claim.task.workflow,
        model: claim.task.model,
      },
      owner,
    );
    const running = new RunningTask(claim, record, adwDir, log);
    claims.set(claim.id, running);
    await running.save();
    const { section, workflow, model } = claim.task;
    log.info(
      { id: claim.id, section, line: claim.line, workflow, model },
      `claimed: ${claim.task.description}`,
    );
    queue
      .add(() => runTask(running))
      .catch((error: unknown) => {
        log.error({ id: claim.id, err: error }, 'task run crashed');
      });
  }

  async function runTask(running: RunningTask): Promise<void> {
    const { claim, record } = running;
    if (abort.signal.aborted) return;
    await running.started();
    log.info({ id: claim.id, branch: record.branch, worktree: record.worktree }, 'task started');
    let outcome: TaskOutcome;
    try {
      outcome = await runClaimedTask(claim, {
        config,
        repo,
        workflows,
        runWorkflow: deps.runWorkflow,
        runDir: runDir(adwDir, claim.id),
        agentEnv: deps.agentEnv ?? {},
        signal: abort.signal,
        onStep: (step) => {
          log.info({ id: claim.id, step }, 'step started');
          running.step(step);
        },
        onSpawn: (pid) => {
          running.spawned(pid);
        },
      });
    } catch (error) {
      const reason = `internal error: ${messageOf(error)}`;
      outcome = { kind: 'failed', reason, commit: null, workflow: null };
      log.error({ id: claim.id, err: error }, 'task run threw');
    }
    await finish(running, outcome);
  }

  async function finish(running: RunningTask, outcome: TaskOutcome): Promise<void> {
    const { claim, record } = running;
    summary[outcome.kind]++;
    const effect = outcomeEffect(claim.id, outcome);
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
    outcomes.add(claim.id, effect);
    await flushWrites();
    if (outcome.kind !== 'released')
      lander.taskEnded(claim.task.section, outcome.kind === 'done' && !outcome.mergeWaiting);
    state.force = true;
    if (!state.stopping) void requestTick();
  }

  async function flushWrites(): Promise<void> {
    const result = await outcomes.flush();
    if (result === null) return;
    if ('problem' in result) problem(result.problem);
    else state.lastHash = result.hash;
  }

  async function prepare(): Promise<void> {
    await repo.ensureExcluded([`/${config.worktreeDir}/`, '/.adw/']);
    const now = new Date().toISOString();
    stopHeartbeat = await startHeartbeat(
      adwDir,
      {
        pid: process.pid,
        host: owner.host,
        instance: owner.daemonInstance,
        tasksFile: tasksPath,
        startedAt: now,
        heartbeat: now,
      },
      {
        intervalMs: deps.heartbeatMs ?? 10_000,
        log,
        beat: async () => {
          await Promise.all([...claims.values()].map((running) => running.save()));
        },
      },
    );
    await merges.load();
    const recovery = {
      tasksPath,
      adwDir,
      parseOptions,
      host: owner.host,
      instance: owner.daemonInstance,
      now: Date.now(),
      log,
    };
    await recoverInterrupted(recovery).catch((error: unknown) => {
      // A missing or unreadable file is reported by the first scan (and waited for).
      if (!isAdwError(error)) throw error;
    });
  }

  return {
    async start() {
      await prepare();
      const poll = deps.poll ?? false;
      stopWatching = watchTasksFile(tasksPath, () => void requestTick(), { poll });
      pollTimer = setInterval(() => {
        state.force ||= outcomes.pending.size > 0 || merges.size > 0;
        void requestTick();
      }, config.pollInterval);
      const { concurrency, agent } = config;
      log.info(
        { tasks: tasksPath, repo: repo.root, concurrency, agent, poll },
        'watching the tasks file',
      );
      await requestTick();
    },

    async runOnce() {
      await prepare();
      // Each round claims what is runnable now; tasks finishing may unblock more. Outcomes that
      // cannot be written (read-only file, lock held) are retried for a while, then reported.
      for (let unwritten = 0; unwritten < ONCE_WRITE_ATTEMPTS;) {
        state.force = true;
        await requestTick();
        await queue.onIdle();
        await scans.current();
        if (claims.size === 0 || abort.signal.aborted) break;
        if (queue.size === 0 && queue.pending === 0 && claims.size === outcomes.pending.size) {
          unwritten++;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      await this.stop();
      return { ...summary, unwritten: outcomes.pending.size };
    },

    async stop() {
      if (state.stopping) return;
      state.stopping = true;
      clearInterval(pollTimer);
      await stopWatching?.();
      // Queued tasks never start; running ones see the abort, stop their agents and are released.
      queue.clear();
      abort.abort();
      await scans.current();
      await queue.onIdle();
      for (const running of [...claims.values()]) {
        if (!outcomes.pending.has(running.claim.id)) await finish(running, { kind: 'released' });
      }
      await flushWrites();
      if (outcomes.pending.size > 0) {
        log.error(
          { ids: [...outcomes.pending.keys()] },
          'stopped with outcomes not written into tasks.md; see their run records',
        );
      }
      await lander.idle();
      await stopHeartbeat?.();
      log.info(summary, 'stopped');
    },
  };
}
