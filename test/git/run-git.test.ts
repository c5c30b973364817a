import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitCommandError, gitEnvironment, runGit } from '../../src/git/run-git.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

describe('runGit', () => {
  it('runs a command that prints nothing, and one that prints, returning their stdout', async () => {
    const dir = await makeRepo();
    const head = await git(dir, 'rev-parse', 'HEAD');
    const env = gitEnvironment(gitEnv);
    const made = await runGit(dir, ['update-ref', 'refs/heads/x', head, ''], { env });
    expect(made).toEqual({ stdout: '', exitCode: 0 });
    expect(await git(dir, 'rev-parse', 'x')).toBe(head);
    const printed = await runGit(dir, ['rev-parse', 'x'], { env });
    expect(printed.stdout.trim()).toBe(head);
  });

  it('rejects a failed command with git’s own message, code and outputs', async () => {
    const dir = await makeRepo();
    const head = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    await git(dir, 'branch', 'x', head);
    // Compare-and-swap: `x` is not empty (''), so update-ref refuses and x stays.
    const error = await runGit(dir, ['update-ref', 'refs/heads/x', 'HEAD', ''], {
      env: gitEnvironment(gitEnv),
    }).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e,
    );
    if (!(error instanceof GitCommandError)) throw new Error(`unexpected ${String(error)}`);
    expect(error.stderr).not.toContain('trace:');
    expect(error.message).toBe(
      "fatal: update_ref failed for ref 'refs/heads/x': cannot lock ref 'refs/heads/x': reference already exists",
    );
    expect(await git(dir, 'rev-parse', 'x')).toBe(head);
  });

  it('resolves an exit code the caller expects as an answer, with its output', async () => {
    const dir = await makeRepo();
    const env = gitEnvironment(gitEnv);
    const unset = await runGit(dir, ['config', '--get', 'adw.unset'], { env, okExitCodes: [1] });
    expect(unset).toEqual({ stdout: '', exitCode: 1 });
    const error = await runGit(dir, ['config', '--get', 'adw.unset'], { env }).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).exitCode).toBe(1);
  });

  it('passes arguments as they are: a name with spaces, quotes and `$` reaches git intact', async () => {
    const dir = await makeRepo();
    const env = gitEnvironment(gitEnv);
    const value = `a b "c" $(touch x) ; d`;
    await runGit(dir, ['config', 'adw.name', value], { env });
    expect((await runGit(dir, ['config', '--get', 'adw.name'], { env })).stdout).toBe(`${value}\n`);
  });

  it('says git could not start when it is not on PATH or the folder is gone, and changes nothing', async () => {
    const dir = await makeRepo();
    const head = await git(dir, 'rev-parse', 'HEAD');
    const env = { ...gitEnvironment(gitEnv), PATH: '/nonexistent' };
    await expect(runGit(dir, ['update-ref', 'refs/heads/y', head, ''], { env })).rejects.toThrow(
      'git could not start: spawn git ENOENT',
    );
    const gone = join(dir, 'gone');
    await expect(runGit(gone, ['status'], { env: gitEnvironment(gitEnv) })).rejects.toThrow(
      /^git could not start: spawn git ENOENT/,
    );
    await expect(git(dir, 'rev-parse', '--verify', '--quiet', 'refs/heads/y')).rejects.toThrow();
  });

  it('says which signal ended a git that was killed', async () => {
    const dir = await makeRepo();
    // A git on PATH that is killed as it starts: what a git ended by the OOM killer looks like.
    const bin = join(dir, '.fake-bin');
    await mkdir(bin);
    await writeFile(join(bin, 'git'), '#!/bin/sh\necho "about to die" >&2\nkill -KILL $$\n');
    await chmod(join(bin, 'git'), 0o755);
    const env = { ...gitEnvironment(gitEnv), PATH: `${bin}:${gitEnv.PATH ?? ''}` };
    await expect(runGit(dir, ['status'], { env })).rejects.toThrow(
      'git was ended by SIGKILL: about to die',
    );
  });
});
