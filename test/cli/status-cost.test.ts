import { describe, expect, it } from 'vitest';
import { costLine, statusCost } from '../../src/cli/status-cost.js';
import { runCli } from '../helpers/cli.js';
import { runRecordOf, writeRecordIn } from '../helpers/run-records.js';
import { makeTaskRepo, readTasks } from '../helpers/task-repo.js';
import { fakeAgent } from '../fixtures/agents/paths.js';

const usage = (inputTokens: number, outputTokens: number) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
});

describe('status: cost of the recorded runs', () => {
  it.each<[string, Parameters<typeof runRecordOf>[0][], string | null]>([
    ['no run', [], null],
    ['a run that reported nothing', [{ id: 'a1' }], null],
    ['a priced run', [{ id: 'a1', costUsd: 0.42, usage: usage(10, 5) }], 'Cost: $0.42 over 1 run'],
    [
      'a priced run at $0 (a free model) is priced, not tokens only',
      [{ id: 'a1', costUsd: 0, usage: usage(10, 5) }],
      'Cost: $0.00 over 1 run',
    ],
    [
      'codex runs without a price',
      [
        { id: 'a1', model: 'gpt-5', usage: usage(1000, 500) },
        { id: 'a2', model: null, usage: usage(2, 3) },
      ],
      "Cost: 2 runs tokens only, no price: 1,505 tokens (gpt-5, the agent's default model; a price per model in `prices` gives them a cost)",
    ],
    [
      'both kinds',
      [
        { id: 'a1', costUsd: 1.5 },
        { id: 'a2', costUsd: 0.25 },
        { id: 'a3', model: 'gpt-5', usage: usage(7, 3) },
      ],
      'Cost: $1.75 over 2 runs; 1 run tokens only, no price: 10 tokens (gpt-5; a price per model in `prices` gives them a cost)',
    ],
    [
      'a damaged usage counts as nothing',
      [
        { id: 'a1', usage: 'lots' },
        { id: 'a2', usage: { inputTokens: -5, outputTokens: 'x' } },
        { id: 'a3', usage: usage(0, 0) },
      ],
      null,
    ],
  ])('%s', (_name, records, line) => {
    expect(costLine(statusCost(records.map(runRecordOf)))).toBe(line);
  });

  it('status says "tokens only" for a codex run without a price, and --json carries the numbers', async () => {
    const repo = await makeTaskRepo('# Tasks\n\n[✅ 1234abcd5, a1b2c3d4] Done by codex\n', {
      agent: fakeAgent('commit'),
    });
    await writeRecordIn(repo, {
      id: 'a1b2c3d4',
      status: 'done',
      model: 'gpt-5',
      usage: usage(1200, 300),
    });
    const before = await readTasks(repo);
    const text = await runCli(['status'], { cwd: repo });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'Cost: 1 run tokens only, no price: 1,500 tokens (gpt-5; a price per model in `prices` gives them a cost)',
    );
    expect(text.stdout).not.toContain('$');
    const json = await runCli(['status', '--json'], { cwd: repo });
    expect((JSON.parse(json.stdout) as { cost: unknown }).cost).toEqual({
      usd: 0,
      pricedRuns: 0,
      tokensOnlyRuns: 1,
      tokensOnly: 1500,
      unpricedModels: ['gpt-5'],
    });
    expect(await readTasks(repo)).toBe(before);
  });
});
