import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { claudeBin, claudeEnv } from '../helpers/claude.js';
import { startCli, waitFor } from '../helpers/cli.js';
import { startFakeAnthropic } from '../helpers/fake-anthropic.js';
import type { FakeAnthropic } from '../helpers/fake-anthropic.js';
import { makeRepo } from '../helpers/git.js';
import { markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

// `adw-trigger logs ID -f` on a task run by the real Claude Code CLI against the stand-in API.

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

it('logs -f prints humanized lines while claude works and exits when the run ends', async () => {
  const gate = join(await tempDir('adw-gate-'), 'gate');
  // The agent's one command waits for the gate: lines printed before it opens came live.
  fake.scenarios.set('gated', [
    {
      tool: 'Bash',
      input: {
        command: `while [ ! -f '${gate}' ]; do sleep 0.1; done; printf 'hi\\n' > hi.txt && git add -A && git commit -q -m hi`,
      },
    },
    { text: 'Greeting committed' },
  ]);
  const settings = {
    agent: 'claude',
    claudeBin,
    retries: 0,
    stepTimeout: '120s',
    idleTimeout: '90s',
  };
  const repo = await makeRepo({
    'README.md': '# test\n',
    'adw-trigger.json': JSON.stringify(settings),
  });
  await writeFile(join(repo, 'tasks.md'), '[] Add a greeting SCENARIO:gated\n');
  const env = await claudeEnv(fake.url);
  const daemon = startCli(['start', '--once'], { cwd: repo, env });
  const id = await waitFor(
    async () => markers(await readTasks(repo))[0]?.id,
    60_000,
    () => `the task to be claimed (${daemon.output()})`,
  );

  const logs = startCli(['logs', id, '-f'], { cwd: repo, env });
  await waitFor(
    () => logs.output().includes("→ Bash: while [ ! -f '"),
    90_000,
    () => `the Bash call in logs -f (printed: ${logs.output()}; daemon: ${daemon.output()})`,
  );
  // Seen while the agent still waits: the line came as it was written, not after the run.
  expect(markers(await readTasks(repo))[0]?.emoji).toBe('🟡');
  expect(logs.output()).toContain('── implement ──\n● session started');
  expect(logs.output()).not.toContain('{"type"');

  await writeFile(gate, '');
  const result = await logs.done;
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('💬 Greeting committed\n');
  expect(result.stdout).toMatch(/✔ result: success, 2 turns, \$\d+\.\d+\n {2}Greeting committed\n/);
  expect(result.stdout).toMatch(new RegExp(`── ${id} done ✅ [0-9a-f]{9}\\n$`));
  expect((await daemon.done).code).toBe(0);
});
