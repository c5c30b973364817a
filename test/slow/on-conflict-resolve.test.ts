import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

// Two parallel tasks of one section that both rewrite line 1 of shared.txt: the second to merge conflicts.
async function clashRepo(): Promise<string> {
  return makeTaskRepo('## Git Worktree clash\n[] One version\n[] Another version\n', {
    agent: fakeAgent('resolve'),
    files: { 'shared.txt': 'original line\n' },
    config: { concurrency: 2, onConflict: 'resolve', retries: 0 },
  });
}

describe('onConflict: resolve', () => {
  it('has the agent resolve the conflict in the task worktree: both ✅, the section holds both changes', async () => {
    const repo = await clashRepo();
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_FAKE_FILE: 'shared.txt' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const tasks = markers(await readTasks(repo));
    expect(tasks.map((task) => task.emoji)).toEqual(['✅', '✅']);
    const merged = (await git(repo, 'show', 'clash:shared.txt')).split('\n').sort();
    expect(merged).toEqual(tasks.map((task) => `change by ${task.id!}`).sort());
    // The attempt is recorded: in run.json and in the resolve step's log.
    const records = await Promise.all(
      tasks.map(
        async (task) =>
          JSON.parse(await readFile(join(repo, '.adw', 'runs', task.id!, 'run.json'), 'utf8')) as {
            id: string;
            resolve?: { ok: boolean; paths: string[] };
          },
      ),
    );
    const resolved = records.filter((record) => record.resolve !== undefined);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.resolve).toMatchObject({ ok: true, paths: ['shared.txt'] });
    const log = await readFile(join(repo, '.adw', 'runs', resolved[0]!.id, 'resolve.log'), 'utf8');
    expect(log).toContain('resolving shared.txt');
  });

  it('fails the task naming the path when the agent leaves conflict markers; its branch is kept', async () => {
    const repo = await clashRepo();
    const sectionBefore = await git(repo, 'rev-parse', 'main');
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_FAKE_FILE: 'shared.txt', ADW_FAKE_RESOLVE: 'markers' },
    });
    expect(result.code).toBe(3);
    const tasks = markers(await readTasks(repo));
    expect(tasks.map((task) => task.emoji).sort()).toEqual(['✅', '❌']);
    const failed = tasks.find((task) => task.emoji === '❌')!;
    expect(failed.rest).toMatch(
      /Failed: merge conflict with clash in shared\.txt \(conflict markers left after the resolve step; branch clash-[0-9a-f]{8} kept\)$/,
    );
    expect(await git(repo, 'rev-parse', '--verify', `clash-${failed.id!}`)).toMatch(
      /^[0-9a-f]{40}$/,
    );
    // The section holds only the task that merged, without markers.
    const section = await git(repo, 'show', 'clash:shared.txt');
    expect(section).not.toMatch(/<{7}/);
    expect(sectionBefore).not.toBe(await git(repo, 'rev-parse', 'clash'));
  });
});
