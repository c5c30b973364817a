import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

// What a daemon said beyond info (its log is JSON on stdout), for the message of a failed exit.
function warnings(run: { stdout: string; stderr: string }): string {
  const said = run.stdout.split('\n').filter((line) => /"level":(4|5|6)\d/.test(line));
  return [...said, run.stderr].join('\n');
}

function taskList(count: number): string {
  return `# Tasks\n\n${Array.from({ length: count }, (_, i) => `[] Task number ${i + 1}\n`).join('')}`;
}

describe('races', () => {
  it('two daemons started together on one file with 50 tasks run every task exactly once', async () => {
    const log = join(await tempDir(), 'starts.log');
    const repo = await makeTaskRepo(taskList(50), {
      agent: fakeAgent('log-commit'),
      config: { concurrency: 4 },
    });
    const env = { ADW_FAKE_LOG: log };
    const [first, second] = await Promise.all([
      runCli(['start', '--once'], { cwd: repo, env }),
      runCli(['start', '--once'], { cwd: repo, env }),
    ]);
    expect(first.code, warnings(first)).toBe(0);
    expect(second.code, warnings(second)).toBe(0);
    const tasks = markers(await readTasks(repo));
    expect(tasks).toHaveLength(50);
    expect(tasks.every((t) => t.emoji === '✅')).toBe(true);
    const started = (await readFile(log, 'utf8')).trim().split('\n');
    expect(started).toHaveLength(50);
    expect(new Set(started)).toEqual(new Set(tasks.map((t) => t.id)));
    // Two daemons now share the backlog (each claims its free slots), so their merges into one
    // section race; a loaded machine needs room for that.
  }, 360_000);

  it('a writer appending lines throughout a run of 30 tasks loses none of them', async () => {
    const repo = await makeTaskRepo(taskList(30), {
      agent: fakeAgent('log-commit'),
      config: { concurrency: 4 },
    });
    const daemon = startCli(['start', '--once'], { cwd: repo });
    const appended: string[] = [];
    const state = { finished: false };
    void daemon.done.then(() => {
      state.finished = true;
    });
    for (let i = 0; !state.finished; i++) {
      const line = `appended by hand ${i}`;
      appended.push(line);
      await appendFile(join(repo, 'tasks.md'), `${line}\n`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const result = await daemon.done;
    expect(result.code, result.stderr).toBe(0);
    const after = await readTasks(repo);
    expect(appended.length).toBeGreaterThan(10);
    expect(appended.filter((line) => !after.includes(`${line}\n`))).toEqual([]);
    const tasks = markers(after);
    expect(tasks).toHaveLength(30);
    expect(tasks.every((t) => t.emoji === '✅')).toBe(true);
  });
});
