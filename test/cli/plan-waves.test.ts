import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWaves } from '../../src/cli/plan.js';
import { blockedReason, claimTask, completeTask, parseTasks } from '../../src/tasks/index.js';
import type { ParseOptions, Task } from '../../src/tasks/index.js';
import { options } from '../tasks/options.js';

// The plan by simulation: claim and complete every runnable task on the text with the daemon's own
// edits, wave after wave (quadratic, but obviously the daemon's rules).
function simulate(
  text: string,
  parseOptions: ParseOptions,
): { waves: number[][]; left: Task[]; tasks: Task[] } {
  const waves: number[][] = [];
  const planned = new Set<number>();
  for (let counter = 0; ;) {
    const runnable = parseTasks(text, parseOptions).tasks.filter((task) => task.runnable);
    if (runnable.length === 0) break;
    for (const task of runnable) {
      const id = `plan${String(counter++)}`;
      const claimed = claimTask(text, task, id);
      const done = claimed.ok ? completeTask(claimed.text, id, '0000000000') : claimed;
      if (done.ok) text = done.text;
      planned.add(task.line);
    }
    waves.push(runnable.map((task) => task.line));
  }
  const { tasks } = parseTasks(text, parseOptions);
  const left = tasks.filter((task) => !planned.has(task.line) && task.status !== 'done');
  return { waves, left, tasks };
}

const line = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('[] a', '[⏰] b') },
  fc.constantFrom(
    '[⏰] c #workflow:nope',
    '[] #opus',
    '[✅ abcd, d1] d',
    '[x] e',
    '[🟡, r1] f',
    '[❌, f1] g // Failed: x',
    '## Git Worktree one',
    '## Git Worktree two',
    '',
  ),
  // Named dependencies: names used twice, unknown, waiting on a failed task, cycles.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '[] n1 #name:p',
      '[⏰] n2 #name:q',
      '[] w1 #after:p',
      '[⏰] w2 #after:q',
      '[] w3 #after:p,q #name:r',
      '[] w4 {after:r}',
      '[] c1 #name:p #after:r',
      '[❌, f2] nf #name:q // Failed: x',
      '[✅ abcd, d2] nd {name:r}',
    ),
  },
);

describe('planWaves', () => {
  it('gives the waves and the left-over tasks of the simulation, in one pass', () => {
    let multiWave = 0;
    let waitedOnName = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const text = lines.join('\n') + '\n';
        const expected = simulate(text, options);
        const { waves, left, tasks } = planWaves(text, options);
        if (waves.length > 1) multiWave += 1;
        const later = waves.slice(1).flat();
        if (later.some((task) => task.after.length > 0 && task.status === 'pending'))
          waitedOnName += 1;
        expect(waves.map((wave) => wave.map((task) => task.line))).toEqual(expected.waves);
        const shape =
          (all: Task[]) =>
          (task: Task): unknown => [
            task.line,
            task.status,
            task.hasError,
            task.blockedBy,
            blockedReason(task, all),
          ];
        expect(left.map(shape(tasks))).toEqual(expected.left.map(shape(expected.tasks)));
      }),
      { numRuns: 800 },
    );
    expect(multiWave).toBeGreaterThan(50);
    // Runs where a name alone held a task back are rarer (about 2–5%): enough to matter, not to
    // count on more than a few.
    expect(waitedOnName).toBeGreaterThan(5);
  });
});
