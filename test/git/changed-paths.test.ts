import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenChange } from '../../src/git/agent-watch.js';
import { firstForbidden } from '../../src/git/changed-paths.js';
import { openRepo } from '../../src/git/index.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

describe('firstForbidden', () => {
  it.each([
    [['src/a.ts', 'tasks.md'], 'tasks.md'],
    [['.adw/runs/x/run.json'], '.adw/runs/x/run.json'],
    [['.adwise/notes.md', 'docs/tasks.md', 'src/.adw/x'], null],
  ])('%j → %s', (paths, expected) => {
    expect(firstForbidden(paths, ['tasks.md'], ['.adw'])).toBe(expected);
  });
});

describe('forbiddenChange', () => {
  it('finds the tasks file wherever it is configured, and .adw/, on a real branch', async () => {
    const dir = await realpath(await makeRepo({ 'README.md': '# r\n', 'plan/tasks.md': '[] x\n' }));
    const repo = await openRepo(dir, { env: gitEnv });
    const base = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'checkout', '-q', '-b', 'task');
    await writeFile(join(dir, 'plan', 'tasks.md'), '[] x\n[] injected\n');
    await git(dir, 'commit', '-q', '-am', 'edit the task list');
    const edited = await git(dir, 'rev-parse', 'HEAD');
    expect(await forbiddenChange(repo, base, edited, 'plan/tasks.md')).toBe('plan/tasks.md');
    expect(await forbiddenChange(repo, base, edited, join(dir, 'plan', 'tasks.md'))).toBe(
      'plan/tasks.md',
    );
    expect(await forbiddenChange(repo, base, edited, 'tasks.md')).toBeNull();
    expect(await forbiddenChange(repo, base, edited, '/elsewhere/tasks.md')).toBeNull();
    await mkdir(join(dir, '.adw'));
    await writeFile(join(dir, '.adw', 'forged.json'), '{}');
    await git(dir, 'add', '-f', '.adw/forged.json');
    await git(dir, 'commit', '-q', '-m', 'forge a record');
    const tip = await git(dir, 'rev-parse', 'HEAD');
    expect(await forbiddenChange(repo, edited, tip, 'tasks.md')).toBe('.adw/forged.json');
  });
});
