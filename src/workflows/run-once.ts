import { join } from 'node:path';
import type { AgentSpec } from '../agents/agent-spec.js';
import type { AgentInvocation } from '../agents/agent-argv.js';
import { costOf } from '../agents/resolve-model.js';
import { runAgent } from '../agents/run-agent.js';
import { addUsage } from '../agents/usage.js';
import type { AgentOutcome, AgentUsage } from '../agents/types.js';
import type { Step, WorkflowJob } from './types.js';

/** Running totals over every attempt of every step: each attempt was paid for. */
export class Totals {
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

/** One agent run and what it cost. */
export interface Ran {
  outcome: AgentOutcome;
  /** The agent's own cost, or the price table's for the tokens it reported. */
  costUsd: number | null;
}

/** Runs the agent (or sh command) of a step once, adding what it reported to the totals. */
export async function runOnce(
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
