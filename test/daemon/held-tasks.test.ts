import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { claimRunnable } from '../../src/daemon/claims.js';
import { HeldTasks } from '../../src/daemon/held-tasks.js';
import { outcomeEffect } from '../../src/daemon/outcome-edit.js';
import { RunningTask } from '../../src/daemon/running-task.js';
import type { TaskOutcome } from '../../src/daemon/task-run.js';
import { newRunRecord } from '../../src/runs/index.js';
import { tempDir } from '../helpers/temp.js';
import { options } from '../tasks/options.js';

// Held tasks with real run records in a temp folder: the registry derives the outcome counts.

const OUTCOMES: TaskOutcome[] = [
  { kind: 'done', commit: 'a'.repeat(40), mergeWaiting: null, workflow: null },
  { kind: 'failed', reason: 'agent made no changes', commit: null, workflow: null },
  { kind: 'cancelled', reason: 'cancel asked' },
  { kind: 'released' },
];

async function heldIn(count: number): Promise<{ held: HeldTasks; tasks: RunningTask[] }> {
  const adwDir = await tempDir('adw-held-');
  const lines = Array.from({ length: count }, (_, i) => `- [] task ${String(i)}\n`).join('');
  let next = 0;
  const newId = () => `T${String(next++)}`;
  const { claims } = claimRunnable(lines, options, newId, count);
  const held = new HeldTasks();
  const owner = { host: 'test', daemonInstance: 'test' };
  const tasks = claims.map((claim) => {
    const record = newRunRecord(
      {
        ...{ id: claim.id, task: claim.task.description, section: claim.task.section },
        ...{ branch: `adw-${claim.id}`, worktree: `/trees/${claim.id}`, workflow: 'build' },
        ...{ model: null, runToken: 'token', claimLine: claim.line, claimText: claim.originalText },
      },
      owner,
    );
    const task = new RunningTask(claim, record, adwDir, pino({ level: 'silent' }));
    held.add(task);
    return task;
  });
  return { held, tasks };
}

describe('HeldTasks: outcome counts', () => {
  it('counts each ended run once, whether its outcome is still held or let go', async () => {
    const { held, tasks } = await heldIn(6);
    expect(held.outcomes()).toEqual({ done: 0, failed: 0, cancelled: 0, released: 0 });
    for (const [index, outcome] of [...OUTCOMES, OUTCOMES[0]!].entries()) {
      await tasks[index]!.finished(outcome, outcomeEffect(outcome));
    }
    const counts = { done: 2, failed: 1, cancelled: 1, released: 1 };
    expect(held.outcomes()).toEqual(counts);
    // Written into tasks.md: let go, still counted.
    held.delete('T0');
    held.delete('T3');
    expect(held.size).toBe(4);
    expect(held.outcomes()).toEqual(counts);
  });

  it('does not count a task let go without an outcome (a claim dropped)', async () => {
    const { held } = await heldIn(2);
    held.delete('T0');
    expect(held.outcomes()).toEqual({ done: 0, failed: 0, cancelled: 0, released: 0 });
    expect(held.size).toBe(1);
  });
});
