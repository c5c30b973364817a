import { formatDuration } from '../config/duration.js';
import { isRootRefusal, ROOT_REFUSAL_REASON } from './claude-stream.js';
import type { StepLimits } from './agent-spec.js';
import type { AgentOutcome } from './types.js';

/** The limits a step ran under, to name them in a timeout reason. */
type NamedLimits = Pick<StepLimits, 'stepTimeoutMs' | 'idleTimeoutMs'>;

const MAX_LINE = 160;

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/** The last output line that says something: not blank, not a JSON event of a stream. */
export function lastOutputLine(output: string): string | null {
  const lines = output.split('\n');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('{')) continue;
    return oneLine(line);
  }
  return null;
}

/** Why the run was stopped by us (limit, abort) or could not start; null when it ran to its end. */
export function describeInterruption(
  outcome: AgentOutcome,
  stepName: string,
  limits: NamedLimits,
): string | null {
  if (outcome.spawnError !== null) return outcome.spawnError;
  switch (outcome.stoppedBy) {
    case 'stepTimeout':
      return `step ${stepName} timed out after ${formatDuration(limits.stepTimeoutMs)} (stepTimeout)`;
    case 'idleTimeout':
      return `step ${stepName} printed nothing for ${formatDuration(limits.idleTimeoutMs)} (idleTimeout)`;
    case 'abort':
      return `step ${stepName} was stopped`;
    case null:
      return null;
  }
}

/** One human reason for a failed agent run, e.g. `step implement timed out after 30m (stepTimeout)`. */
export function describeFailure(
  outcome: AgentOutcome,
  stepName: string,
  limits: NamedLimits,
): string {
  const interruption = describeInterruption(outcome, stepName, limits);
  if (interruption !== null) return interruption;
  if (isRootRefusal(outcome.output)) return ROOT_REFUSAL_REASON;
  const result = outcome.result;
  if (result?.isError === true) {
    const text = result.text === null ? '' : oneLine(result.text);
    return `agent reported an error: ${text === '' ? (result.subtype ?? 'unknown error') : text}`;
  }
  const line = lastOutputLine(outcome.output);
  const suffix = line === null ? '' : `: ${line}`;
  if (outcome.exitCode !== null && outcome.exitCode !== 0) {
    return `agent exited with code ${outcome.exitCode}${suffix}`;
  }
  if (outcome.signal !== null) return `agent was killed by ${outcome.signal}${suffix}`;
  return 'agent reported WORK_RESULT:failed';
}
