import { describe, expect, it } from 'vitest';
import { GitCommandError, gitEnvironment, runGit } from '../../src/git/run-git.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

describe('runGit with silentCommand', () => {
  it('runs the command and returns its stdout without trace lines', async () => {
    const dir = await makeRepo();
    const head = await git(dir, 'rev-parse', 'HEAD');
    const env = gitEnvironment(gitEnv);
    const made = await runGit(dir, ['update-ref', 'refs/heads/x', head, ''], {
      env,
      silentCommand: true,
    });
    expect(made).toEqual({ stdout: '', exitCode: 0 });
    expect(await git(dir, 'rev-parse', 'x')).toBe(head);
    const printed = await runGit(dir, ['rev-parse', 'x'], { env, silentCommand: true });
    expect(printed.stdout.trim()).toBe(head);
  });

  it('keeps git’s error message and drops the trace lines from it', async () => {
    const dir = await makeRepo();
    const head = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    await git(dir, 'branch', 'x', head);
    // Compare-and-swap: `x` is not empty (''), so update-ref refuses and x stays.
    const error = await runGit(dir, ['update-ref', 'refs/heads/x', 'HEAD', ''], {
      env: gitEnvironment(gitEnv),
      silentCommand: true,
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
});
