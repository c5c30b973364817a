import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

describe('adw-trigger logs', () => {
  it('prints every step of a finished run as readable lines, or one step with --step', async () => {
    const repo = await makeTaskRepo('[] Quick task\n', {
      agent: fakeAgent('scripted'),
      config: { retries: 0 },
    });
    expect((await runCli(['start', '--once'], { cwd: repo })).code).toBe(0);
    const id = markers(await readTasks(repo))[0]?.id ?? '';
    const all = await runCli(['logs', id], { cwd: repo });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(
      /^── implement ──\n● session started \(model fake-model\)\n💬 Working on: .*\n→ Bash: ls -la\n {2}← README.md \(\+1 lines\)\n✔ result: success, 3 turns, \$0\.25\n {2}Committed agent-\w+\.txt\n$/,
    );
    const one = await runCli(['logs', id, '--step', 'implement'], { cwd: repo });
    expect(one.stdout).toBe(all.stdout.replace('── implement ──\n', ''));
    // A finished run: -f prints it all and ends at once with the outcome.
    const followed = await runCli(['logs', id, '-f'], { cwd: repo });
    expect(followed.stdout).toMatch(
      new RegExp(`^── implement ──\\n[^]*── ${id} done ✅ [0-9a-f]{9}\\n$`),
    );
  });

  it.each([
    [['logs', '0badc0de'], 1, 'no run of task 0badc0de in'],
    [['logs', 'not/an/id'], 2, 'Expected a task ID such as 1a2b3c4d, got `not/an/id`'],
    [
      ['logs', '0badc0de', '--step', '../run'],
      2,
      'Expected --step to be a step name such as implement, got `../run`',
    ],
  ])('%j exits %i: %s', async (args, code, message) => {
    const repo = await makeTaskRepo('[] A task\n', { agent: fakeAgent('commit') });
    const result = await runCli(args, { cwd: repo });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
