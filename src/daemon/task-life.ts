import type { Logger } from 'pino';
import { stepLimitsOf } from '../agents/index.js';
import { runDir } from '../runs/index.js';
import type { ConfigInForce } from './config-in-force.js';
import type { DaemonDeps } from './daemon-deps.js';
import { gateBeforeStart, settleOutcome } from './dispatch-gate.js';
import type { DispatchPause } from './dispatch-pause.js';
import type { DaemonEvent } from './events.js';
import type { MergeWaiter } from './merge-waiter.js';
import { outcomeEffect } from './outcome-edit.js';
import { outcomeEvent } from './outcome-event.js';
import type { RunningTask } from './running-task.js';
import { messageOf } from './task-run.js';
import type { TaskOutcome, TaskRunner } from './task-run.js';

/** What running and finishing a held task needs from the daemon around it. */
export interface TaskLifeContext {
  deps: Pick<DaemonDeps, 'repo' | 'runWorkflow' | 'agentEnv'>;
  live: ConfigInForce;
  adwDir: string;
  log: Logger;
  runClaimed: TaskRunner;
  /** The daemon's shutdown: aborted, running tasks stop and queued ones never start. */
  abort: AbortSignal;
  pause: DispatchPause;
  merges: MergeWaiter;
  emit: (event: DaemonEvent) => void;
  /** After an outcome is recorded: the day's budget is checked and tasks.md scanned again. */
  afterFinish: () => Promise<void>;
}

/** A held task's life after its claim: `run` it from the queue, `finish` it with an outcome. */
export interface TaskLife {
  run(running: RunningTask): Promise<void>;
  finish(running: RunningTask, outcome: TaskOutcome): Promise<void>;
}

/** Runs held tasks to their outcome and records it, for the daemon's queue and its shutdown. */
export function createTaskLife(ctx: TaskLifeContext): TaskLife {
  const { deps, live, adwDir, log, runClaimed, abort, pause, merges, emit } = ctx;
  const { repo } = deps;

  async function runTask(running: RunningTask): Promise<void> {
    const { claim, record } = running;
    const signal = AbortSignal.any([abort, running.cancel.signal]);
    // A function, not a value: the signal flips while we await.
    const cancelled = (): boolean => running.cancel.signal.aborted;
    if (abort.aborted) return;
    if (cancelled()) {
      await finish(running, { kind: 'cancelled', reason: messageOf(running.cancel.signal.reason) });
      return;
    }
    // A rate-limit pause is waited out here; shutdown then releases the task, as any queued one.
    const gated = await gateBeforeStart(pause, signal);
    if (signal.aborted) {
      if (cancelled()) await finish(running, { kind: 'cancelled', reason: 'cancel asked' });
      return;
    }
    if (gated !== null) {
      await finish(running, gated);
      return;
    }
    await running.started();
    log.info({ id: claim.id, branch: record.branch, worktree: record.worktree }, 'task started');
    // The configuration in force now is this task's to the end, whatever reloads meanwhile.
    const inForce = live.current();
    let outcome: TaskOutcome;
    try {
      outcome = await runClaimed(claim, {
        config: inForce.config,
        repo,
        workflows: new Map(inForce.workflows.map((workflow) => [workflow.name, workflow])),
        runWorkflow: deps.runWorkflow,
        runDir: runDir(adwDir, claim.id),
        agent: inForce.agent,
        limits: stepLimitsOf(inForce.config),
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
        pause,
        onAttemptFailed: (attempt) => {
          running.attemptFailed(attempt);
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
    if (outcome.kind === 'released' && outcome.kept === true) {
      // Nothing to record: the record stays active and the 🟡 in place for the next start.
      running.handOver();
      log.warn(
        { id: claim.id },
        `task not settled (${outcome.reason ?? ''}): claim kept for the next start`,
      );
      return;
    }
    await finish(running, settleOutcome(pause, outcome));
  }

  async function finish(running: RunningTask, outcome: TaskOutcome): Promise<void> {
    const { claim, record } = running;
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
    await ctx.afterFinish();
  }

  return { run: runTask, finish };
}
