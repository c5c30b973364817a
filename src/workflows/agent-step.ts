import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentInvocation } from '../agents/agent-argv.js';
import type { StepLimits } from '../agents/agent-spec.js';
import { retryDelay, sleep } from '../agents/backoff.js';
import { isRootRefusal } from '../agents/claude-stream.js';
import { classifyFailure, type ClassifiedFailure } from '../agents/classify-failure.js';
import { describeFailure } from '../agents/describe-failure.js';
import { permanentReason } from '../agents/permanent-reason.js';
import { resolveModel } from '../agents/resolve-model.js';
import type { AgentOutcome } from '../agents/types.js';
import { renderTemplate, type TemplateValues } from './render-template.js';
import { runOnce, type Totals } from './run-once.js';
import type { Step, WorkflowJob } from './types.js';

/** How one step went. */
export interface StepRun {
  ok: boolean;
  error: string | null;
  attempts: number;
  costUsd: number | null;
  output: string;
  /** The classified agent failure that ended the step, if one did. */
  failure?: ClassifiedFailure;
}

/** Claude's result when `--max-budget-usd` stopped it (it reports no error: we do). */
const BUDGET_SUBTYPE = 'error_max_budget_usd';

// A failure another attempt cannot fix: a limit, a stop, a missing executable, the root refusal.
function isFinal(outcome: AgentOutcome): boolean {
  return (
    outcome.stoppedBy === 'stepTimeout' ||
    outcome.stoppedBy === 'abort' ||
    outcome.spawnError !== null ||
    isRootRefusal(outcome.output)
  );
}

function usd(value: number): string {
  return `$${value < 0.01 ? value.toPrecision(2) : value.toFixed(2)}`;
}

/** The reason of a task stopped by its budget, naming the key. */
export function budgetReason(costUsd: number | null, maxCostUsd: number): string {
  const spent = costUsd === null ? '' : `cost ${usd(costUsd)} `;
  return `${spent}passed maxCostPerTask (${usd(maxCostUsd)}): the task was stopped`;
}

// The task's budget left for the next attempt, or null when there is no budget.
function budgetLeft(limits: StepLimits, totals: Totals): number | null {
  if (limits.maxCostUsd === null) return null;
  return Math.max(limits.maxCostUsd - (totals.costUsd ?? 0), Number.MIN_VALUE);
}

function overBudget(limits: StepLimits, totals: Totals, outcome: AgentOutcome): boolean {
  if (limits.maxCostUsd === null) return false;
  return (
    outcome.result?.subtype === BUDGET_SUBTYPE ||
    (totals.costUsd !== null && totals.costUsd > limits.maxCostUsd)
  );
}

async function note(job: WorkflowJob, step: Step, text: string): Promise<void> {
  await appendFile(join(job.runDir, `${step.name}.log`), `\n[adw-trigger] ${text}\n`);
}

// Waits out a rate limit: with the daemon's pause (shared by every task), or on our own.
async function waitRateLimit(
  job: WorkflowJob,
  failure: ClassifiedFailure,
  n: number,
): Promise<number> {
  const started = Date.now();
  const { limits } = job;
  if (job.pause !== undefined) {
    job.pause.rateLimited(failure.resetAt, failure.message ?? 'rate limit');
    await job.pause.ready(job.signal);
  } else {
    const backoff = retryDelay(n, limits.retryBackoffMs, limits.maxRetryBackoffMs);
    await sleep(failure.resetAt === null ? backoff : failure.resetAt - Date.now(), job.signal);
  }
  return Date.now() - started;
}

/**
 * Runs an agent step: transient failures (5xx, network) are re-run up to `retries` times after an
 * exponential backoff, other failures of the task at once, each with the error appended to the
 * prompt; a rate limit pauses dispatch and the step runs again after it, not counted as an
 * attempt; a permanent failure (key, request, model) and a passed budget end it at once.
 */
export async function runAgentStep(
  job: WorkflowJob,
  step: Step,
  values: TemplateValues,
  totals: Totals,
): Promise<StepRun> {
  const { limits } = job;
  const prompt = renderTemplate(step.template, values);
  const model = resolveModel(job.task, job.workflow, job.agent);
  const maxAttempts = 1 + limits.retries;
  let costUsd: number | null = null;
  let error = '';
  let attempt = 1;
  let transient = 0;
  let rateLimits = 0;
  // A function, not a value: the signal flips while we await.
  const aborted = (): boolean => job.signal?.aborted === true;
  for (;;) {
    await job.pause?.ready(job.signal);
    const attemptPrompt =
      attempt === 1 ? prompt : `${prompt}\n\nThe previous attempt failed: ${error}`;
    const budget = job.agent.kind === 'claude' ? budgetLeft(limits, totals) : null;
    const invocation = agentInvocation(job.agent, attemptPrompt, model, budget);
    const ran = await runOnce(job, step, { ...invocation, reader: job.agent.kind, model }, totals);
    const { outcome } = ran;
    if (ran.costUsd !== null) costUsd = (costUsd ?? 0) + ran.costUsd;
    const done = { attempts: attempt, costUsd, output: '' };
    if (overBudget(limits, totals, outcome)) {
      return { ok: false, error: budgetReason(totals.costUsd, limits.maxCostUsd ?? 0), ...done };
    }
    if (outcome.ok) {
      // The agent's final answer: claude's result, codex's last message, a plain agent's stdout.
      return { ok: true, error: null, ...done, output: outcome.answer ?? '' };
    }
    const kind = job.agent.kind;
    const failure = classifyFailure({ kind, outcome, now: Date.now() });
    error =
      failure.class === 'permanent'
        ? permanentReason(failure, kind, model)
        : describeFailure(outcome, step.name, limits);
    const record = { step: step.name, attempt, class: failure.class, error };
    const at = new Date().toISOString();
    if (failure.class === 'permanent' || isFinal(outcome) || aborted()) {
      job.onAttemptFailed?.({ ...record, at, waitMs: null });
      return { ok: false, error, ...done, failure };
    }
    if (failure.class === 'rate-limit') {
      rateLimits += 1;
      await note(
        job,
        step,
        `rate limit: ${failure.message ?? error}; waiting for the pause to end`,
      );
      const waited = await waitRateLimit(job, failure, rateLimits);
      job.onAttemptFailed?.({ ...record, at, waitMs: waited });
      if (aborted()) return { ok: false, error, ...done, failure };
      continue;
    }
    if (attempt >= maxAttempts) {
      job.onAttemptFailed?.({ ...record, at, waitMs: null });
      return { ok: false, error, ...done, failure };
    }
    let waitMs = 0;
    if (failure.class === 'transient') {
      transient += 1;
      waitMs = retryDelay(transient, limits.retryBackoffMs, limits.maxRetryBackoffMs);
    }
    job.onAttemptFailed?.({ ...record, at, waitMs });
    attempt += 1;
    const wait = waitMs > 0 ? ` after ${String(waitMs)} ms (${failure.class} error)` : '';
    await note(
      job,
      step,
      `attempt ${attempt} of ${maxAttempts}${wait}; the previous attempt failed: ${error}`,
    );
    await sleep(waitMs, job.signal);
  }
}
