import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { isAdwError } from '../errors.js';
import type { GitRepo } from '../git/index.js';
import { completeTask, failTask, formatTaskId, parseTasks, resetTask, sanitizeReason } from '../tasks/index.js';
import type { EditResult, ParseOptions } from '../tasks/index.js';
import { readTasksFile, updateTasksFile } from '../store/index.js';
import type { Workflow, WorkflowJob, WorkflowOutcome } from '../workflows/index.js';
import { claimRunnable, restoreMarkers } from './claims.js';
import type { Claim } from './claims.js';
import { removeDaemonRecord, thisHost, writeDaemonRecord } from './daemon-record.js';
import type { DaemonRecord } from './daemon-record.js';
import { processStartTime } from './processes.js';
import { recoverInterrupted } from './recovery.js';
import { runDir, writeRunRecord } from './run-record.js';
import type { RunRecord } from './run-record.js';
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

const ONCE_WRITE_ATTEMPTS = 10;

/** A running daemon: `start` watches until `stop`; `runOnce` works until nothing more can start. */
export interface Daemon {
  start(): Promise<void>;
  runOnce(): Promise<DaemonSummary>;
  stop(): Promise<void>;
  readonly summary: DaemonSummary;
}

interface Running {
  claim: Claim;
  record: RunRecord;
  /** The last write of the record: writes are chained so an older copy never lands last. */
  saving: Promise<void>;
}

/** Wires watcher, claims, queue, task runs, write-back, heartbeat, recovery and shutdown. */
export function createDaemon(deps: DaemonDeps): Daemon {
  const { config, repo, tasksPath, log } = deps;
  const adwDir = join(repo.root, '.adw');
  const host = thisHost();
  const instance = randomUUID();
  const parseOptions: ParseOptions = {
    defaultSection: config.defaultSection,
    defaultModel: config.model,
    defaultWorkflow: config.workflow,
    workflows: deps.workflows,
  };
  const workflows = new Map(deps.workflows.map((workflow) => [workflow.name, workflow]));
  const queue = new PQueue({ concurrency: config.concurrency });
  const abort = new AbortController();
  const summary: DaemonSummary = { done: 0, failed: 0, released: 0, unwritten: 0 };

  /** Claimed and not yet written back: the daemon's promise never to run these twice. */
  const claims = new Map<string, Running>();
  /** Outcomes whose write into tasks.md failed (read-only file, lock held): retried each tick. */
  const pendingWrites = new Map<string, { what: string; edit: (text: string) => EditResult }>();
  /** Done tasks whose section branch is checked out somewhere: merged when it no longer is. */
  const waitingMerges = new Map<string, { section: string; branch: string }>();

  let lastHash: string | null = null;
  let stateChanged = true;
  let stopping = false;
  let ticking: Promise<void> | null = null;
  let tickAgain = false;
  let lastProblem: string | null = null;
  let stopWatching: StopWatching | null = null;
  let pollTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  const daemonRecord: DaemonRecord = {
    pid: process.pid,
    host,
    instance,
    tasksFile: tasksPath,
    startedAt: new Date().toISOString(),
    heartbeat: new Date().toISOString(),
  };

  /** Logs a problem of the tasks file once, not at every poll, until it changes or goes away. */
  function problem(message: string, fields: Record<string, unknown> = {}): void {
    if (message === lastProblem) return;
    lastProblem = message;
    log.error(fields, message);
  }

  function newId(taken: ReadonlySet<string>): string {
    for (;;) {
      const id = formatTaskId(randomBytes(4));
      if (!taken.has(id) && !claims.has(id)) return id;
    }
  }

  /** Runs a tick now, or once more after the one under way: ticks never overlap. */
  function requestTick(): Promise<void> {
    if (ticking !== null) {
      tickAgain = true;
      return ticking;
    }
    ticking = (async () => {
      do {
        tickAgain = false;
        try {
          await tick();
        } catch (error) {
          log.error({ err: error }, 'unexpected error while scanning the tasks file');
        }
      } while (tickAgain && !stopping);
      ticking = null;
    })();
    return ticking;
  }

  async function tick(): Promise<void> {
    if (stopping) return;
    await flushWrites();
    await retryMerges();
    let snapshot;
    try {
      snapshot = await readTasksFile(tasksPath);
    } catch (error) {
      if (isAdwError(error, 'TASKS_FILE_MISSING')) {
        problem(`${error.message}; waiting for it to appear`);
        return;
      }
      throw error;
    }
    if (snapshot.hash === lastHash && !stateChanged) return;
    stateChanged = false;
    lastHash = snapshot.hash;
    if (snapshot.encodingError !== null) {
      problem(`${tasksPath}:${snapshot.encodingError.line}:${snapshot.encodingError.column} ${snapshot.encodingError.message}; the file is left alone`);
      return;
    }
    // Look before taking the lock: most scans find nothing to claim or restore.
    const running = [...claims.values()].map((entry) => entry.claim);
    const file = parseTasks(snapshot.text, parseOptions);
    const shown = new Set(file.tasks.filter((t) => t.status === 'in_progress').map((t) => t.id));
    if (!file.tasks.some((task) => task.runnable) && running.every((claim) => shown.has(claim.id))) {
      lastProblem = null;
      return;
    }

    let claimed: Claim[] = [];
    try {
      const result = await updateTasksFile(tasksPath, (text) => {
        // Inside the lock, on the file as it is now: put back markers an editor overwrote,
        // then claim. Both are compare-and-swaps on the line, so a stale parse claims nothing.
        const restored = restoreMarkers(text, parseOptions, running);
        for (const id of restored.restored) log.warn({ id }, 'tasks.md showed a running task as not started (an older copy was saved?); marker put back');
        const next = claimRunnable(restored.text, parseOptions, newId);
        claimed = next.claims;
        return next.text;
      });
      lastHash = result.snapshot.hash;
      lastProblem = null;
    } catch (error) {
      stateChanged = true;
      if (isAdwError(error)) {
        problem(`could not claim tasks: ${error.message}; retrying`);
        return;
      }
      throw error;
    }
    for (const claim of claimed) await enqueue(claim);
  }

  async function enqueue(claim: Claim): Promise<void> {
    const now = new Date().toISOString();
    const record: RunRecord = {
      id: claim.id,
      task: claim.task.description,
      section: claim.task.section,
      branch: taskBranch(claim),
      worktree: taskWorktree(repo.root, config, claim.id),
      workflow: claim.task.workflow,
      model: claim.task.model,
      host,
      daemonPid: process.pid,
      daemonInstance: instance,
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
    const running: Running = { claim, record, saving: Promise.resolve() };
    claims.set(claim.id, running);
    await saveRecord(running);
    log.info({ id: claim.id, section: claim.task.section, line: claim.line, workflow: claim.task.workflow, model: claim.task.model }, `claimed: ${claim.task.description}`);
    queue
      .add(() => runTask(running))
      .catch((error: unknown) => {
        log.error({ id: claim.id, err: error }, 'task run crashed');
      });
  }

  async function runTask(running: Running): Promise<void> {
    const { claim, record } = running;
    if (stopping) return;
    const started = Date.now();
    record.status = 'running';
    record.startedAt = new Date(started).toISOString();
    await saveRecord(running);
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
          record.step = step;
          log.info({ id: claim.id, step }, 'step started');
          void saveRecord(running);
        },
        onSpawn: (pid) => {
          record.agentPid = pid;
          void (async () => {
            record.agentStartTime = pid === null ? null : await processStartTime(pid);
            await saveRecord(running);
          })();
        },
      });
    } catch (error) {
      outcome = { kind: 'failed', reason: `internal error: ${messageOf(error)}`, commit: null, workflow: null };
      log.error({ id: claim.id, err: error }, 'task run threw');
    }
    record.durationMs = Date.now() - started;
    record.finishedAt = new Date().toISOString();
    await finish(running, outcome);
  }

  async function finish(running: Running, outcome: TaskOutcome): Promise<void> {
    const { claim, record } = running;
    if (outcome.kind !== 'released' && outcome.workflow !== null) {
      record.costUsd = outcome.workflow.costUsd;
      record.numTurns = outcome.workflow.numTurns;
      record.usage = outcome.workflow.usage;
      record.sessionId = outcome.workflow.sessionId;
    }
    let what: string;
    let edit: (text: string) => EditResult;
    if (outcome.kind === 'done') {
      summary.done++;
      record.status = outcome.mergeWaiting === null ? 'done' : 'merge-waiting';
      record.commit = outcome.commit;
      if (outcome.mergeWaiting !== null) {
        waitingMerges.set(claim.id, { section: claim.task.section, branch: record.branch });
        log.warn({ id: claim.id, section: claim.task.section, worktree: outcome.mergeWaiting }, 'section branch is checked out; its merge waits until it is not');
      }
      log.info({ id: claim.id, commit: outcome.commit, durationMs: record.durationMs, costUsd: record.costUsd }, 'task done');
      what = 'done';
      edit = (text) => completeTask(text, claim.id, outcome.commit);
    } else if (outcome.kind === 'failed') {
      summary.failed++;
      const reason = sanitizeReason(outcome.reason);
      record.status = 'failed';
      record.commit = outcome.commit;
      record.error = reason;
      log.warn({ id: claim.id, reason, durationMs: record.durationMs }, 'task failed');
      what = 'failed';
      edit = (text) => failTask(text, claim.id, reason);
    } else {
      summary.released++;
      record.status = 'released';
      log.info({ id: claim.id }, 'task released (daemon stopping); put back to []');
      what = 'released';
      edit = (text) => resetTask(text, claim.id);
    }
    await saveRecord(running);
    pendingWrites.set(claim.id, { what, edit });
    await flushWrites();
    stateChanged = true;
    if (!stopping) void requestTick();
  }

  /** Writes every pending outcome into tasks.md in one locked read-modify-write. */
  async function flushWrites(): Promise<void> {
    if (pendingWrites.size === 0) return;
    const batch = [...pendingWrites];
    try {
      const result = await updateTasksFile(tasksPath, (text) => {
        for (const [id, { what, edit }] of batch) {
          const edited = edit(text);
          if (edited.ok) text = edited.text;
          else log.warn({ id, outcome: what, reason: edited.reason }, `could not write the outcome into tasks.md: ${edited.message}`);
        }
        return text;
      });
      lastHash = result.snapshot.hash;
      // Only now is the task no longer ours: until its outcome is in the file, a stale copy
      // showing it pending must still get its marker back rather than be claimed again.
      for (const [id] of batch) {
        pendingWrites.delete(id);
        claims.delete(id);
      }
    } catch (error) {
      if (!isAdwError(error)) throw error;
      problem(`could not write outcomes into tasks.md: ${error.message}; retrying`, { ids: batch.map(([id]) => id) });
    }
  }

  async function retryMerges(): Promise<void> {
    for (const [id, { section, branch }] of waitingMerges) {
      const merge = await repo.mergeIntoSection(section, branch);
      if (merge.kind === 'checked-out') continue;
      waitingMerges.delete(id);
      if (merge.kind === 'conflict') log.warn({ id, section, paths: merge.paths }, 'waiting merge conflicts; task branch kept');
      else log.info({ id, section, tip: merge.tip }, 'waiting merge done');
    }
  }

  function saveRecord(running: Running): Promise<void> {
    running.saving = running.saving.then(async () => {
      running.record.heartbeat = new Date().toISOString();
      try {
        await writeRunRecord(adwDir, running.record);
      } catch (error) {
        log.error({ id: running.claim.id, err: error }, 'could not write run record');
      }
    });
    return running.saving;
  }

  async function heartbeat(): Promise<void> {
    daemonRecord.heartbeat = new Date().toISOString();
    await Promise.all([
      writeDaemonRecord(adwDir, daemonRecord).catch((error: unknown) => {
        log.error({ err: error }, 'could not write daemon record');
      }),
      ...[...claims.values()].map(saveRecord),
    ]);
  }

  async function prepare(): Promise<void> {
    await repo.ensureExcluded([`/${config.worktreeDir}/`, '/.adw/']);
    await heartbeat();
    heartbeatTimer = setInterval(() => void heartbeat(), deps.heartbeatMs ?? 10_000);
    try {
      await recoverInterrupted({ tasksPath, adwDir, parseOptions, host, instance, now: Date.now(), log });
    } catch (error) {
      if (!isAdwError(error, 'TASKS_FILE_MISSING')) throw error;
    }
  }

  return {
    summary,
    async start() {
      await prepare();
      stopWatching = watchTasksFile(tasksPath, () => void requestTick(), { poll: deps.poll ?? false });
      pollTimer = setInterval(() => {
        stateChanged = stateChanged || pendingWrites.size > 0 || waitingMerges.size > 0;
        void requestTick();
      }, config.pollInterval);
      log.info({ tasks: tasksPath, repo: repo.root, concurrency: config.concurrency, agent: config.agent, poll: deps.poll ?? false }, 'watching tasks file');
      await requestTick();
    },

    async runOnce() {
      await prepare();
      // Each round claims what is runnable now; tasks finishing may unblock more. Outcomes that
      // cannot be written (read-only file, lock held) are retried for a while, then reported.
      for (let unwritten = 0; unwritten < ONCE_WRITE_ATTEMPTS; ) {
        stateChanged = true;
        await requestTick();
        await queue.onIdle();
        if (ticking !== null) await ticking;
        if (claims.size === 0) break;
        if (queue.size === 0 && queue.pending === 0 && claims.size === pendingWrites.size) {
          unwritten++;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      const unwritten = pendingWrites.size;
      await this.stop();
      return { ...summary, unwritten };
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(pollTimer);
      await stopWatching?.();
      // Queued tasks never start; running ones see the abort, stop their agents and are released.
      queue.clear();
      abort.abort();
      if (ticking !== null) await ticking;
      await queue.onIdle();
      for (const running of [...claims.values()]) {
        if (!pendingWrites.has(running.claim.id)) await finish(running, { kind: 'released' });
      }
      await flushWrites();
      if (pendingWrites.size > 0) {
        log.error({ ids: [...pendingWrites.keys()] }, 'stopped with outcomes not written into tasks.md; see their run records');
      }
      clearInterval(heartbeatTimer);
      await removeDaemonRecord(adwDir, daemonRecord).catch(() => undefined);
      log.info(summary, 'stopped');
    },
  };
}
