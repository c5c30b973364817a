import { readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { openRepo } from '../../src/git/index.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

async function worktree(envOverride?: NodeJS.ProcessEnv) {
  const dir = await realpath(await makeRepo());
  const repo = await openRepo(dir, { env: envOverride ?? gitEnv });
  await repo.addWorktree('trees/t1', 'sec-t1', 'main');
  return { dir, repo, tree: join(dir, 'trees', 't1') };
}

describe('commitAll', () => {
  it('commits every change with the message and the trailers, returning the new sha and HEAD', async () => {
    const { repo, tree } = await worktree();
    await writeFile(join(tree, 'new.txt'), 'new\n');
    await writeFile(join(tree, 'README.md'), '# changed\n');
    const committed = await repo.commitAll(tree, '#123 Add a login form', {
      'ADW-Id': '1a2b3c4d',
    });
    const sha = await git(tree, 'rev-parse', 'HEAD');
    expect(committed).toEqual({ made: sha, head: { branch: 'sec-t1', commit: sha } });
    expect(await git(tree, 'log', '-1', '--format=%B')).toBe(
      '#123 Add a login form\n\nADW-Id: 1a2b3c4d',
    );
    expect(await git(tree, 'log', '-1', '--format=%(trailers:key=ADW-Id,valueonly)')).toBe(
      '1a2b3c4d',
    );
    expect(await git(tree, 'show', '--name-only', '--format=', 'HEAD')).toBe('README.md\nnew.txt');
    expect(await git(tree, 'status', '--porcelain')).toBe('');
    expect(await repo.resolveRef('sec-t1')).toBe(sha);
  });

  it('makes no commit when nothing changed, and says where HEAD is', async () => {
    const { repo, tree } = await worktree();
    const before = await git(tree, 'rev-parse', 'HEAD');
    expect(await repo.commitAll(tree, 'nothing', { 'ADW-Id': 'x' })).toEqual({
      made: null,
      head: { branch: 'sec-t1', commit: before },
    });
    expect(await git(tree, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('says when HEAD is detached, before and after a commit', async () => {
    const { repo, tree } = await worktree();
    await git(tree, 'switch', '-q', '--detach');
    const before = await git(tree, 'rev-parse', 'HEAD');
    expect((await repo.commitAll(tree, 'nothing', {})).head).toEqual({
      branch: null,
      commit: before,
    });
    await writeFile(join(tree, 'f.txt'), 'f\n');
    const committed = await repo.commitAll(tree, 'work', {});
    const after = await git(tree, 'rev-parse', 'HEAD');
    expect(after).not.toBe(before);
    expect(committed).toEqual({ made: after, head: { branch: null, commit: after } });
  });

  it('counts a renamed file as a change', async () => {
    const { repo, tree } = await worktree();
    await git(tree, 'mv', 'README.md', 'READ.md');
    const committed = await repo.commitAll(tree, 'rename', {});
    expect(committed.made).toBe(await git(tree, 'rev-parse', 'HEAD'));
    expect(await git(tree, 'show', '--name-status', '--format=', 'HEAD')).toBe(
      'R100\tREADME.md\tREAD.md',
    );
  });

  it('commits untracked files even when status.showUntrackedFiles is no', async () => {
    const { dir, repo, tree } = await worktree();
    await git(dir, 'config', 'status.showUntrackedFiles', 'no');
    await writeFile(join(tree, 'untracked.txt'), 'u\n');
    const { made } = await repo.commitAll(tree, 'work', {});
    expect(made).toBe(await git(tree, 'rev-parse', 'HEAD'));
    expect(await git(tree, 'show', '--name-only', '--format=', 'HEAD')).toBe('untracked.txt');
  });

  it('commits a deletion and a file the agent already staged', async () => {
    const { repo, tree } = await worktree();
    await git(tree, 'rm', '-q', 'README.md');
    const { made } = await repo.commitAll(tree, 'remove', {});
    expect(made).toBe(await git(tree, 'rev-parse', 'HEAD'));
    expect(await git(tree, 'show', '--name-status', '--format=', 'HEAD')).toBe('D\tREADME.md');
    expect((await repo.commitAll(tree, 'again', {})).made).toBeNull();
  });

  it('commits with the fallback identity when the repository configures none', async () => {
    const env: NodeJS.ProcessEnv = { ...gitEnv };
    for (const key of Object.keys(env))
      if (/^GIT_(AUTHOR|COMMITTER)_/.test(key)) Reflect.deleteProperty(env, key);
    env.EMAIL = '';
    const { dir, repo, tree } = await worktree(env);
    await git(dir, 'config', '--unset', 'user.name');
    await git(dir, 'config', '--unset', 'user.email');
    await writeFile(join(tree, 'f.txt'), 'f\n');
    await repo.commitAll(tree, 'work', { 'ADW-Id': 'abc' });
    expect(await git(tree, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe(
      'adw-trigger <adw-trigger@localhost>|adw-trigger <adw-trigger@localhost>',
    );
  });

  it('keeps the configured identity when there is one', async () => {
    const env: NodeJS.ProcessEnv = { ...gitEnv };
    for (const key of Object.keys(env))
      if (/^GIT_(AUTHOR|COMMITTER)_/.test(key)) Reflect.deleteProperty(env, key);
    const { repo, tree } = await worktree(env);
    await writeFile(join(tree, 'f.txt'), 'f\n');
    await repo.commitAll(tree, 'work', {});
    expect(await git(tree, 'log', '-1', '--format=%an <%ae>|%B')).toBe(
      'Test <test@example.com>|work',
    );
  });

  it('throws GIT_FAILED with the hook output when a pre-commit hook rejects the commit', async () => {
    const { dir, repo, tree } = await worktree();
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, '#!/bin/sh\necho "lint failed: bad style" >&2\nexit 1\n', {
      mode: 0o755,
    });
    await writeFile(join(tree, 'f.txt'), 'f\n');
    const before = await git(tree, 'rev-parse', 'HEAD');
    const error = await repo.commitAll(tree, 'work', {}).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    expect(isAdwError(error, 'GIT_FAILED')).toBe(true);
    expect(error.message).toBe(`Cannot commit in ${tree}: lint failed: bad style`);
    expect(await git(tree, 'rev-parse', 'HEAD')).toBe(before);
    expect(await readFile(join(tree, 'f.txt'), 'utf8')).toBe('f\n');
  });
});
