import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { folderPattern, withDaemonBlock } from '../../src/git/exclude-block.js';
import { openRepo } from '../../src/git/index.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

async function repoWith(files: Record<string, string> = { 'README.md': '# r\n' }) {
  const dir = await realpath(await makeRepo(files));
  await git(dir, 'config', 'core.excludesFile', '/dev/null');
  return { dir, repo: await openRepo(dir, { env: gitEnv }) };
}

const excludeOf = (dir: string) => readFile(join(dir, '.git', 'info', 'exclude'), 'utf8');

describe('worktreeDir ownership', () => {
  it.each([
    ['the repository root', '.', 'it is the repository root'],
    ['the root spelled otherwise', 'src/..', 'it is the repository root'],
    ['a path outside', '../elsewhere', 'it is outside the repository'],
    ['an absolute path outside', '/tmp', 'it is outside the repository'],
    ['the git dir', '.git/trees', 'it is inside .git'],
    ['a tracked folder', 'src', 'git tracks files in it (src/main.ts)'],
    ['a tracked file', 'README.md', 'git tracks files in it (README.md)'],
  ])('refuses %s', async (_name, value, problem) => {
    const { dir, repo } = await repoWith({ 'README.md': '# r\n', 'src/main.ts': 'x\n' });
    const before = await excludeOf(dir);
    const error = await repo.excludeDaemonFolders(value).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isAdwError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toBe(
      `Expected \`worktreeDir\` to be a folder only the daemon uses, got \`${value}\`: ${problem}`,
    );
    expect(await excludeOf(dir)).toBe(before);
  });

  it('refuses a folder holding the user’s untracked files, and accepts the daemon’s worktrees', async () => {
    const { dir, repo } = await repoWith();
    await mkdir(join(dir, 'notes'));
    await writeFile(join(dir, 'notes', 'todo.txt'), 'mine\n');
    expect(await repo.worktreeDirProblem('notes')).toBe(
      'it holds notes/todo.txt, which is not a worktree of the daemon',
    );
    expect(await repo.worktreeDirProblem('trees')).toBeNull();
    await repo.addWorktree(join(dir, 'trees', 'a1'), 'adw-a1', 'HEAD');
    expect(await repo.worktreeDirProblem('trees')).toBeNull();
    await writeFile(join(dir, 'trees', 'stray.txt'), 'x');
    expect(await repo.worktreeDirProblem('trees')).toBe(
      'it holds trees/stray.txt, which is not a worktree of the daemon',
    );
  });

  it('"src" would hide new source files: refused, and git still sees them', async () => {
    const { dir, repo } = await repoWith({ 'src/main.ts': 'x\n' });
    await expect(repo.excludeDaemonFolders('src')).rejects.toThrow(/git tracks files in it/);
    await writeFile(join(dir, 'src', 'new.ts'), 'y\n');
    expect(await git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('?? src/new.ts');
  });
});

describe('excludeDaemonFolders', () => {
  it('writes only its own block, keeps the user’s lines, and follows a change of worktreeDir', async () => {
    const { dir, repo } = await repoWith();
    const exclude = join(dir, '.git', 'info', 'exclude');
    await writeFile(exclude, '# mine\n/trees/\n*.log');
    await Promise.all([repo.excludeDaemonFolders('trees'), repo.excludeDaemonFolders('trees')]);
    const first = await readFile(exclude, 'utf8');
    expect(first.startsWith('# mine\n/trees/\n*.log\n# adw-trigger:')).toBe(true);
    expect(first).toContain('\n/trees/\n/.adw/\n# end adw-trigger\n');
    await repo.excludeDaemonFolders('build/wt');
    const second = await readFile(exclude, 'utf8');
    // The user's own `/trees/` line stays; the daemon's entry moved with the setting.
    expect(second.startsWith('# mine\n/trees/\n*.log\n# adw-trigger:')).toBe(true);
    expect(second).toContain('\n/build/wt/\n/.adw/\n# end adw-trigger\n');
    expect(second.match(/adw-trigger/g)).toHaveLength(2);
  });

  it('creates info/exclude when it is missing, and the entries hide the folders', async () => {
    const { dir, repo } = await repoWith();
    await rm(join(dir, '.git', 'info'), { recursive: true, force: true });
    await repo.excludeDaemonFolders('trees');
    await mkdir(join(dir, 'trees', 'x'), { recursive: true });
    await writeFile(join(dir, 'trees', 'x', 'f'), 'f');
    await mkdir(join(dir, '.adw'));
    await writeFile(join(dir, '.adw', 'f'), 'f');
    expect(await git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('writes the exclude file git reads, from a linked worktree too', async () => {
    const { dir } = await repoWith();
    const linked = join(dir, 'trees', 'one');
    await git(dir, 'worktree', 'add', '-q', '-b', 'one', linked);
    for (const root of [dir, linked]) {
      const gitPath = await git(
        root,
        'rev-parse',
        '--path-format=absolute',
        '--git-path',
        'info/exclude',
      );
      expect(gitPath).toBe(join(dir, '.git', 'info', 'exclude'));
      await writeFile(gitPath, '');
      await (await openRepo(root, { env: gitEnv })).excludeDaemonFolders('trees');
      expect(await readFile(gitPath, 'utf8')).toContain('\n/trees/\n/.adw/\n');
    }
  });
});

describe('withDaemonBlock', () => {
  it('replaces the block in place and keeps every other byte', () => {
    const text =
      'a\r\nb\n# adw-trigger: folders the daemon creates (rewritten at each start)\n/x/\n# end adw-trigger\nc\n';
    expect(withDaemonBlock(text, ['/y/'])).toBe(
      'a\r\nb\n# adw-trigger: folders the daemon creates (rewritten at each start)\n/y/\n# end adw-trigger\nc\n',
    );
    expect(withDaemonBlock(withDaemonBlock('', ['/y/']), ['/y/'])).toBe(
      withDaemonBlock('', ['/y/']),
    );
  });

  it('escapes wildcards so the pattern names one folder', () => {
    expect(folderPattern('a*b/[c]')).toBe('/a\\*b/\\[c\\]/');
  });
});
