// `npm run chaos -- --minutes N --seed S`: fault-injection trials against the built daemon until
// the time is up; prints the counts and the seed of every failing trial (exit 1 if any).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { faultCounts, runTrial } from './chaos-trial.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    seed: { type: 'string' },
    trials: { type: 'string' },
  },
});
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const agent = fileURLToPath(new URL('../test/fixtures/agents/log-commit.mjs', import.meta.url));
const until = Date.now() + Number(values.minutes) * 60_000;
let seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const maxTrials = values.trials === undefined ? Infinity : Number(values.trials);
const totals = {
  trials: 0,
  failed: 0,
  lostLines: 0,
  ranTwice: 0,
  leftInProgress: 0,
  falseDone: 0,
  agentsLeft: 0,
  disagree: 0,
};
const faults = faultCounts();
while (Date.now() < until && totals.trials < maxTrials) {
  const trial = await runTrial({ seed, cli, agent });
  totals.trials++;
  for (const [key, value] of Object.entries(trial.result)) totals[key] += value;
  for (const [key, value] of Object.entries(trial.counts)) faults[key] += value;
  if (trial.problems.length > 0) {
    totals.failed++;
    console.log(
      `trial seed ${seed} FAILED (repo kept at ${trial.repo}):\n  ${trial.problems.join('\n  ')}`,
    );
  } else {
    console.log(`trial seed ${seed} ok`);
  }
  seed = (seed + 1) % 2 ** 31;
}
console.log(JSON.stringify({ ...totals, faults }));
process.exitCode = totals.failed > 0 ? 1 : 0;
