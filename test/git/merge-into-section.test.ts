import { readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepo, type GitRepo } from '../../src/git/index.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

// A repository with section branch `sec` and task worktrees trees/ID on branches sec-ID.
async function setup(
  files: Record<string, string> = { 'README.md': '# r\n', 'shared.txt': 'one\ntwo\n' },
) {
  const dir = await realpath(await makeRepo(files));
  const repo = await openRepo(dir, { env: gitEnv });
  await repo.ensureSectionBranch('sec', 'HEAD');
  await repo.excludeDaemonFolders('trees');
  return { dir, repo };
}

async function task(repo: GitRepo, id: string, edits: Record<string, string>): Promise<string> {
  const tree = join(repo.root, 'trees', id);
  await repo.addWorktree(tree, `sec-${id}`, 'sec');
  for (const [path, content] of Object.entries(edits)) await writeFile(join(tree, path), content);
  const { made } = await repo.commitAll(tree, `task ${id}`, { 'ADW-Id': id });
  return made!;
}

// Everything a merge must not touch: every worktree's HEAD, index and files.
async function worktreeStates(repo: GitRepo): Promise<string[]> {
  const trees = await repo.listWorktrees();
  return Promise.all(
    trees.map(
      async (w) =>
        `${w.path} ${w.branch ?? '-'} ${w.head} ${await git(w.path, 'status', '--porcelain')} ${await git(w.path, 'ls-files', '-s')}`,
    ),
  );
}

describe('mergeIntoSection', () => {
  it('fast-forwards the section branch to the task tip', async () => {
    const { repo } = await setup();
    const tip = await task(repo, 'a', { 'a.txt': 'a\n' });
    const before = await worktreeStates(repo);
    expect(await repo.mergeIntoSection('sec', 'sec-a')).toEqual({ kind: 'fast-forward', tip });
    expect(await repo.resolveRef('sec')).toBe(tip);
    expect(await worktreeStates(repo)).toEqual(before);
  });

  it('makes a merge commit for two tasks touching different files, touching no working tree', async () => {
    const { dir, repo } = await setup();
    const a = await task(repo, 'a', { 'a.txt': 'a\n' });
    const b = await task(repo, 'b', { 'b.txt': 'b\n' });
    await writeFile(join(dir, 'README.md'), '# user edit in progress\n');
    expect(await repo.mergeIntoSection('sec', 'sec-a')).toEqual({ kind: 'fast-forward', tip: a });
    const before = await worktreeStates(repo);
    const result = await repo.mergeIntoSection('sec', 'sec-b');
    expect(result.kind).toBe('merged');
    const tip = (result as { tip: string }).tip;
    expect(await repo.resolveRef('sec')).toBe(tip);
    expect(await git(dir, 'log', '-1', '--format=%P|%s', tip)).toBe(
      `${a} ${b}|Merge sec-b into sec`,
    );
    expect(await git(dir, 'ls-tree', '--name-only', tip)).toBe(
      'README.md\na.txt\nb.txt\nshared.txt',
    );
    expect(await worktreeStates(repo)).toEqual(before);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# user edit in progress\n');
  });

  it('reports up-to-date when the task tip is already in the section', async () => {
    const { repo } = await setup();
    const tip = await task(repo, 'a', { 'a.txt': 'a\n' });
    await repo.mergeIntoSection('sec', 'sec-a');
    expect(await repo.mergeIntoSection('sec', 'sec-a')).toEqual({ kind: 'up-to-date', tip });
  });

  it('reports the conflicting paths and moves nothing when two tasks change the same line', async () => {
    const { dir, repo } = await setup();
    await task(repo, 'a', { 'shared.txt': 'one\nTWO from a\n', 'a.txt': 'a\n' });
    const b = await task(repo, 'b', { 'shared.txt': 'one\nTWO from b\n', 'b.txt': 'b\n' });
    await repo.mergeIntoSection('sec', 'sec-a');
    const section = await repo.resolveRef('sec');
    const before = await worktreeStates(repo);
    expect(await repo.mergeIntoSection('sec', 'sec-b')).toEqual({
      kind: 'conflict',
      paths: ['shared.txt'],
    });
    expect(await repo.resolveRef('sec')).toBe(section);
    expect(await repo.resolveRef('sec-b')).toBe(b);
    expect(await worktreeStates(repo)).toEqual(before);
    expect(await git(dir, 'status', '--porcelain')).toBe('');
  });

  it('never moves a section branch that is checked out in a worktree', async () => {
    const { dir, repo } = await setup();
    await task(repo, 'a', { 'a.txt': 'a\n' });
    const section = await repo.resolveRef('sec');
    await git(dir, 'checkout', '-q', 'sec');
    const before = await worktreeStates(repo);
    expect(await repo.mergeIntoSection('sec', 'sec-a')).toEqual({
      kind: 'checked-out',
      worktree: dir,
    });
    expect(await repo.resolveRef('sec')).toBe(section);
    expect(await worktreeStates(repo)).toEqual(before);
  });

  it('merges many tasks of one section concurrently without losing any', async () => {
    const { dir, repo } = await setup();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(ids.map((id) => task(repo, id, { [`${id}.txt`]: `${id}\n` })));
    const results = await Promise.all(ids.map((id) => repo.mergeIntoSection('sec', `sec-${id}`)));
    expect(results.map((r) => r.kind).sort()).toEqual([
      'fast-forward',
      'merged',
      'merged',
      'merged',
      'merged',
      'merged',
    ]);
    const files = (await git(dir, 'ls-tree', '--name-only', 'sec')).split('\n');
    expect(files).toEqual(expect.arrayContaining(ids.map((id) => `${id}.txt`)));
  });

  it('waits for another process that holds the section ref locked, then merges', async () => {
    const { dir, repo } = await setup();
    const tip = await task(repo, 'a', { 'a.txt': 'a\n' });
    // What another daemon's update-ref holds while it moves the section.
    const lock = join(dir, await git(dir, 'rev-parse', '--git-path', 'refs/heads/sec.lock'));
    await writeFile(lock, '');
    const merge = repo.mergeIntoSection('sec', 'sec-a');
    await sleep(300);
    await rm(lock);
    expect(await merge).toEqual({ kind: 'fast-forward', tip });
    expect(await repo.resolveRef('sec')).toBe(tip);
  });

  it('gives up on a section ref lock that is never released, naming it, and moves nothing', async () => {
    const { dir, repo } = await setup();
    const before = await repo.resolveRef('sec');
    await task(repo, 'a', { 'a.txt': 'a\n' });
    await writeFile(
      join(dir, await git(dir, 'rev-parse', '--git-path', 'refs/heads/sec.lock')),
      '',
    );
    await expect(repo.mergeIntoSection('sec', 'sec-a')).rejects.toThrow(
      /Cannot move sec to [0-9a-f]{40}: .*sec\.lock/,
    );
    expect(await repo.resolveRef('sec')).toBe(before);
  });

  it('throws GIT_FAILED when the section or task branch does not exist', async () => {
    const { repo } = await setup();
    await expect(repo.mergeIntoSection('nope', 'sec')).rejects.toThrow(
      'Cannot merge into nope: the branch does not exist',
    );
    await expect(repo.mergeIntoSection('sec', 'sec-zz')).rejects.toThrow(
      'Cannot merge sec-zz: it does not name a commit',
    );
  });
});
