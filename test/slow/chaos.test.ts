import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module shared with `npm run chaos`; its shape is checked below.
import { runTrial } from '../../scripts/chaos-trial.mjs';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { CLI } from '../helpers/cli.js';

interface Trial {
  seed: number;
  repo: string;
  problems: string[];
  counts: { staleSaves: number; inPlaceSaves: number; checkouts: number };
  output: string;
}

const trial = runTrial as (options: {
  seed: number;
  cli: string;
  agent: string;
  actions?: number;
  faults?: boolean;
}) => Promise<Trial>;

function seedOf(name: string): number {
  const given = process.env[name];
  return given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
}

describe('stale copies and faults', () => {
  it('random older copies of tasks.md and appends: no task re-run, no line lost, markers agree with the records', async () => {
    const seed = seedOf('ADW_STALE_SEED');
    const result = await trial({
      seed,
      cli: CLI,
      agent: fakeAgent('log-commit'),
      actions: 14,
      faults: false,
    });
    expect(
      result.counts.staleSaves + result.counts.inPlaceSaves + result.counts.checkouts,
    ).toBeGreaterThan(0);
    expect(
      result.problems,
      `seed ${String(seed)} (ADW_STALE_SEED=${String(seed)} to replay)`,
    ).toEqual([]);
  });

  it('a short chaos run (kill -9, SIGTERM, a second daemon, stale saves): every promise holds', async () => {
    const seed = seedOf('ADW_CHAOS_SEED');
    const result = await trial({ seed, cli: CLI, agent: fakeAgent('log-commit'), actions: 10 });
    expect(
      result.problems,
      `seed ${String(seed)} (ADW_CHAOS_SEED=${String(seed)} to replay)`,
    ).toEqual([]);
  });
});
