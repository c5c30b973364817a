import type { Task } from '../tasks/index.js';
import type { ChecksRecord } from './section-state.js';

/** What the body says about the section's checks, when they failed. */
export interface FailedChecks {
  command: string;
  reason: string;
  tail: string;
}

const TAIL_LINES = 30;

function cost(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : ` ($${value.toFixed(2)})`;
}

/**
 * The body of a section's pull request: the failing check first (when there is one), then one
 * line per task of the section with its ✅ commit or ❌ reason and what it cost, and the total.
 */
export function prBody(
  section: string,
  tasks: readonly Task[],
  costs: ReadonlyMap<string, number | null>,
  failed: FailedChecks | null,
): string {
  const out: string[] = [];
  if (failed !== null) {
    const tail = failed.tail.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
    out.push(`**Section checks failed:** \`${failed.command}\` (${failed.reason})`, '');
    out.push('```', tail, '```', '');
  }
  out.push(`Tasks of section \`${section}\`:`, '');
  let total = 0;
  for (const task of tasks) {
    const spent = task.id === null ? null : (costs.get(task.id) ?? null);
    total += spent ?? 0;
    if (task.status === 'done')
      out.push(
        `- ✅ ${task.description}${task.commit === null ? '' : ` (${task.commit})`}${cost(spent)}`,
      );
    else if (task.status === 'failed')
      out.push(`- ❌ ${task.description}: ${task.error ?? 'failed'}${cost(spent)}`);
    else out.push(`- ${task.status.replace('_', ' ')}: ${task.description}`);
  }
  out.push('', `Total cost: $${total.toFixed(2)}`);
  return out.join('\n') + '\n';
}

/** The failed-checks part of the body, from the recorded checks and their log's tail. */
export function failedChecks(checks: ChecksRecord | null, tail: string): FailedChecks | null {
  if (checks?.status !== 'failed') return null;
  return { command: checks.command ?? '', reason: checks.reason ?? 'failed', tail };
}
