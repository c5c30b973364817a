import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { commitsOn } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks, runJson } from '../helpers/task-repo.js';

// Budgets enforced by the daemon from the cost an agent reports (a claude-style result line).

describe('budgets', () => {
  it('maxCostPerTask: a task whose reported cost passes it is stopped, ❌ naming the key, nothing merged', async () => {
    const repo = await makeTaskRepo('[] Expensive work\n', {
      agent: fakeAgent('cost-commit'),
      config: { retries: 2, maxCostPerTask: 0.5 },
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env: { FAKE_COST: '0.6' } });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    const [task] = markers(await readTasks(repo));
    expect(task?.rest).toBe(
      'Expensive work // Failed: cost $0.60 passed maxCostPerTask ($0.50): the task was stopped',
    );
    const record = await runJson(repo, task!.id!);
    expect(record).toMatchObject({ status: 'failed', costUsd: 0.6 });
    // Not retried: a second attempt would only spend more.
    expect(record.attempts).toBeUndefined();
    expect(await commitsOn(repo, 'adw')).toEqual([]);
  });

  it('maxCostPerTask: a task within it is ✅', async () => {
    const repo = await makeTaskRepo('[] Cheap work\n', {
      agent: fakeAgent('cost-commit'),
      config: { maxCostPerTask: 0.5 },
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env: { FAKE_COST: '0.4' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(markers(await readTasks(repo))[0]?.emoji).toBe('✅');
  });

  it("maxCostPerDay: dispatch pauses once the day's recorded cost reaches it; status shows the spend", async () => {
    const repo = await makeTaskRepo('[] One\n[] Two\n[] Three\n', {
      agent: fakeAgent('cost-commit'),
      config: { concurrency: 1, maxCostPerDay: 1 },
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env: { FAKE_COST: '0.6' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [one, two, three] = markers(await readTasks(repo));
    expect([one?.emoji, two?.emoji, three?.emoji]).toEqual(['✅', '✅', '']);
    expect(three).toMatchObject({ id: null, rest: 'Three' });
    expect(await readdir(join(repo, '.adw', 'runs'))).toHaveLength(2);
    expect(result.stdout).toContain('paused: maxCostPerDay reached ($1.20 of $1.00 today)');
    const status = await runCli(['status'], { cwd: repo });
    expect(status.stdout).toContain('Spent today: $1.20 of $1.00 (maxCostPerDay)');
    const json = JSON.parse((await runCli(['status', '--json'], { cwd: repo })).stdout) as {
      spend: unknown;
    };
    expect(json.spend).toEqual({ todayUsd: 1.2, maxCostPerDay: 1 });
  });
});
