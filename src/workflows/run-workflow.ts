import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { agentInvocation, type AgentInvocation } from '../agents/agent-argv.js';
import type { AgentSpec, StepLimits } from '../agents/agent-spec.js';
import { isRootRefusal } from '../agents/claude-stream.js';
import {
  describeFailure,
  describeInterruption,
  lastOutputLine,
} from '../agents/describe-failure.js';
import { costOf, resolveModel } from '../agents/resolve-model.js';
import { runAgent } from '../agents/run-agent.js';
import { addUsage } from '../agents/usage.js';
import type { AgentOutcome, AgentUsage } from '../agents/types.js';
import { renderTemplate, type TemplateValues } from './render-template.js';
import type { Step, StepOutcome, WorkflowJob, WorkflowOutcome } from './types.js';

/** How much of a non-claude agent's output `{{STEP.output}}` carries. */
const OUTPUT_FOR_NEXT_STEP = 4 * 1024;

// Running totals over every attempt of every step: each attempt was paid for.
class Totals {
  costUsd: number | null = null;
  numTurns: number | null = null;
  usage: AgentUsage | null = null;
  sessionId: string | null = null;

  add(outcome: AgentOutcome, costUsd: number | null): void {
    const result = outcome.result;
    if (result === null) return;
    if (costUsd !== null) this.costUsd = (this.costUsd ?? 0) + costUsd;
    if (result.numTurns !== null) this.numTurns = (this.numTurns ?? 0) + result.numTurns;
    if (result.sessionId !== null) this.sessionId = result.sessionId;
    if (result.usage !== null) this.usage = addUsage(this.usage, result.usage);
  }
}

interface StepRun {
  ok: boolean;
  error: string | null;
  attempts: number;
  costUsd: number | null;
  output: string;
}

// A failure another attempt cannot fix: a limit, a stop, a missing executable, the root refusal.
function isFinal(outcome: AgentOutcome): boolean {
  return (
    outcome.stoppedBy === 'stepTimeout' ||
    outcome.stoppedBy === 'abort' ||
    outcome.spawnError !== null ||
    isRootRefusal(outcome.output)
  );
}

function stepEnv(job: WorkflowJob, step: Step): Record<string, string> {
  return {
    ...job.env,
    ADW_ID: job.task.id,
    ADW_SECTION: job.task.section,
    ADW_STEP: step.name,
    ADW_WORKTREE: job.worktree,
    ADW_BRANCH: job.branch,
  };
}

interface Ran {
  outcome: AgentOutcome;
  /** The agent's own cost, or the price table's for the tokens it reported. */
  costUsd: number | null;
}

async function runOnce(
  job: WorkflowJob,
  step: Step,
  invocation: AgentInvocation & { reader: 'plain' | AgentSpec['kind']; model: string | null },
  totals: Totals,
): Promise<Ran> {
  const outcome = await runAgent({
    argv: invocation.argv,
    stdin: invocation.stdin,
    reader: invocation.reader,
    cwd: job.worktree,
    env: stepEnv(job, step),
    stepTimeoutMs: job.limits.stepTimeoutMs,
    idleTimeoutMs: job.limits.idleTimeoutMs,
    logFile: join(job.runDir, `${step.name}.log`),
    ...(job.signal === undefined ? {} : { signal: job.signal }),
    ...(job.token === undefined ? {} : { token: job.token }),
    onSpawn: (pid) => job.onSpawn?.(pid),
  });
  if (outcome.spawnError === null) job.onSpawn?.(null);
  const usage = outcome.result?.usage ?? null;
  const costUsd = outcome.result?.costUsd ?? costOf(usage, invocation.model, job.agent.prices);
  totals.add(outcome, costUsd);
  return { outcome, costUsd };
}

// A validation step: the command comes from the workflow file; task text reaches it only as
// environment variables, never as shell source.
async function runShStep(
  job: WorkflowJob,
  step: Step,
  limits: StepLimits,
  totals: Totals,
): Promise<StepRun> {
  const { outcome } = await runOnce(
    job,
    step,
    { argv: ['/bin/sh', '-c', step.template], stdin: '', reader: 'plain', model: null },
    totals,
  );
  const output = outcome.output.slice(-OUTPUT_FOR_NEXT_STEP);
  if (outcome.exitCode === 0 && describeInterruption(outcome, step.name, limits) === null) {
    return { ok: true, error: null, attempts: 1, costUsd: null, output };
  }
  const interruption = describeInterruption(outcome, step.name, limits);
  const line = lastOutputLine(outcome.output);
  const how =
    outcome.exitCode === null
      ? `was killed by ${outcome.signal ?? 'a signal'}`
      : `exited with code ${outcome.exitCode}`;
  const error = interruption ?? `step ${step.name} ${how}${line === null ? '' : `: ${line}`}`;
  return { ok: false, error, attempts: 1, costUsd: null, output };
}

async function runAgentStep(
  job: WorkflowJob,
  step: Step,
  values: TemplateValues,
  limits: StepLimits,
  totals: Totals,
): Promise<StepRun> {
  const prompt = renderTemplate(step.template, values);
  const model = resolveModel(job.task, job.workflow, job.agent);
  const maxAttempts = 1 + job.limits.retries;
  let costUsd: number | null = null;
  let error = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const attemptPrompt =
      attempt === 1 ? prompt : `${prompt}\n\nThe previous attempt failed: ${error}`;
    if (attempt > 1) {
      await appendFile(
        join(job.runDir, `${step.name}.log`),
        `\n[adw-trigger] attempt ${attempt} of ${maxAttempts}; the previous attempt failed: ${error}\n`,
      );
    }
    const ran = await runOnce(
      job,
      step,
      { ...agentInvocation(job.agent, attemptPrompt, model), reader: job.agent.kind, model },
      totals,
    );
    const outcome = ran.outcome;
    if (ran.costUsd !== null) costUsd = (costUsd ?? 0) + ran.costUsd;
    if (outcome.ok) {
      // The agent's final answer: claude's result, codex's last message, a plain agent's stdout.
      const output = outcome.answer ?? '';
      return { ok: true, error: null, attempts: attempt, costUsd, output };
    }
    error = describeFailure(outcome, step.name, limits);
    if (isFinal(outcome)) return { ok: false, error, attempts: attempt, costUsd, output: '' };
  }
  return { ok: false, error, attempts: maxAttempts, costUsd, output: '' };
}

/**
 * Runs the steps of a workflow for one task in its worktree, in order, stopping at the first
 * failure. An agent failing is an outcome (ok: false, error: one line), never an exception.
 */
export async function runWorkflow(job: WorkflowJob): Promise<WorkflowOutcome> {
  await mkdir(job.runDir, { recursive: true });
  const limits = job.limits;
  const totals = new Totals();
  const outputs: Record<string, string> = {};
  const steps: StepOutcome[] = [];
  let error: string | null = null;
  for (const step of job.workflow.steps) {
    if (job.signal?.aborted === true) {
      error = `step ${step.name} was stopped`;
      break;
    }
    job.onStep?.(step.name);
    const started = Date.now();
    const values: TemplateValues = {
      task: job.task.prompt,
      details: job.task.details.join('\n'),
      id: job.task.id,
      section: job.task.section,
      branch: job.branch,
      worktree: job.worktree,
      outputs,
    };
    const run =
      step.kind === 'sh'
        ? await runShStep(job, step, limits, totals)
        : await runAgentStep(job, step, values, limits, totals);
    steps.push({
      name: step.name,
      ok: run.ok,
      durationMs: Date.now() - started,
      attempts: run.attempts,
      costUsd: run.costUsd,
    });
    if (!run.ok) {
      error = run.error;
      break;
    }
    error = (await job.afterStep?.(step.name)) ?? null;
    if (error !== null) break;
    outputs[step.name] = run.output;
  }
  return {
    ok: error === null,
    error,
    costUsd: totals.costUsd,
    numTurns: totals.numTurns,
    usage: totals.usage,
    sessionId: totals.sessionId,
    steps,
  };
}
