import { mkdir } from 'node:fs/promises';
import type { StepLimits } from '../agents/agent-spec.js';
import type { ClassifiedFailure } from '../agents/classify-failure.js';
import { describeInterruption, lastOutputLine } from '../agents/describe-failure.js';
import { runAgentStep, type StepRun } from './agent-step.js';
import type { TemplateValues } from './render-template.js';
import { runOnce, Totals } from './run-once.js';
import type { Step, StepOutcome, WorkflowJob, WorkflowOutcome } from './types.js';

/** How much of a non-claude agent's output `{{STEP.output}}` carries. */
const OUTPUT_FOR_NEXT_STEP = 4 * 1024;

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
  let failure: ClassifiedFailure | undefined;
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
        : await runAgentStep(job, step, values, totals);
    steps.push({
      name: step.name,
      ok: run.ok,
      durationMs: Date.now() - started,
      attempts: run.attempts,
      costUsd: run.costUsd,
    });
    if (!run.ok) {
      error = run.error;
      failure = run.failure;
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
    ...(failure === undefined ? {} : { failure }),
  };
}
