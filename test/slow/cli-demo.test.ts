import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

describe('adw-trigger demo', () => {
  it('runs the whole flow in a temporary repository: 4 ✅, the deploy task ❌, the branch graph and the path', async () => {
    const tmp = await tempDir('adw-demo-tmp-');
    const result = await runCli(['demo'], { cwd: tmp, env: { TMPDIR: tmp } });
    expect(result.code, result.stderr).toBe(0);

    // The repository landed in TMPDIR and the output names it.
    const [name, ...others] = await readdir(tmp);
    expect(others).toEqual([]);
    expect(name).toMatch(/^adw-trigger-demo-/);
    const repo = join(tmp, name!);
    expect(result.stdout).toContain(`Demo repository: ${repo}\n`);
    expect(result.stdout).toContain(`The repository is left at ${repo}. Look around:`);

    // The final tasks.md, as printed, is the file on disk: 4 ✅ and the deploy task ❌.
    const tasks = await readTasks(repo);
    const printed =
      /--- tasks\.md after the run ---\n([^]*?)\n--- branches ---\n([^]*?)\n\d+ tasks done/.exec(
        result.stdout,
      );
    expect(printed, result.stdout).not.toBeNull();
    expect(printed![1]).toBe(tasks);
    const found = markers(tasks);
    expect(found.map((task) => task.emoji)).toEqual(['✅', '✅', '✅', '✅', '❌']);
    expect(found[4]!.rest).toMatch(/^Deploy the docs to production \/\/ Failed: /);
    expect(result.stdout).toContain('4 tasks done, 1 failed');

    // The branch graph names the section branches and every task branch, all of which exist.
    const graph = printed![2]!;
    for (const branch of [
      'demo-greeting',
      'demo-docs',
      ...found.slice(0, 3).map((t) => `demo-greeting-${t.id!}`),
      ...found.slice(3).map((t) => `demo-docs-${t.id!}`),
    ]) {
      expect(graph).toContain(branch);
      expect(await git(repo, 'rev-parse', '--verify', `refs/heads/${branch}`)).toMatch(
        /^[0-9a-f]{40}$/,
      );
    }
    expect(graph).toMatch(/^\* /);
    // Each done task's work is on its section branch.
    expect(await git(repo, 'ls-tree', '-r', '--name-only', 'demo-greeting')).toContain('hello.txt');
    expect(await git(repo, 'ls-tree', '-r', '--name-only', 'demo-docs')).toContain('docs/usage.md');
    expect(existsSync(join(repo, 'trees', found[4]!.id!))).toBe(true);
  });
});
