import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { openRepo } from '../../src/git/index.js';
import { gitEnvironment } from '../../src/git/run-git.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

async function caught(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

describe('openRepo', () => {
  it('finds the repository root from the root and from a subdirectory', async () => {
    const dir = await makeRepo({ 'src/a.txt': 'a\n' });
    const root = await realpath(dir);
    expect((await openRepo(dir, { env: gitEnv })).root).toBe(root);
    expect((await openRepo(join(dir, 'src'), { env: gitEnv })).root).toBe(root);
  });

  it.each([
    ['a plain directory', async () => tempDir(), 'not a git repository'],
    [
      'a missing directory',
      async () => join(await tempDir(), 'nope'),
      'the directory does not exist',
    ],
    [
      'the .git directory',
      async () => join(await makeRepo(), '.git'),
      'must be run in a work tree',
    ],
  ])('throws NOT_A_REPO for %s, naming it', async (_name, make, found) => {
    const dir = await make();
    const error = await caught(openRepo(dir, { env: gitEnv }));
    expect(isAdwError(error, 'NOT_A_REPO')).toBe(true);
    expect(error.message).toContain(`${dir} is not inside a git work tree: `);
    expect(error.message).toContain(found);
  });

  it('works when the environment holds variables simple-git guards against, or a foreign GIT_DIR', async () => {
    const dir = await makeRepo();
    const other = await makeRepo();
    const env = {
      ...gitEnv,
      EDITOR: 'vim',
      PAGER: 'less',
      GIT_ASKPASS: '/usr/bin/true',
      GIT_DIR: join(other, '.git'),
      GIT_WORK_TREE: other,
    };
    const repo = await openRepo(dir, { env });
    expect(repo.root).toBe(await realpath(dir));
    expect(await repo.resolveRef('HEAD')).toBe(await git(dir, 'rev-parse', 'HEAD'));
  });
});

describe('gitEnvironment', () => {
  it('never prompts and drops variables that redirect git to another repository', () => {
    const env = gitEnvironment({
      PATH: '/bin',
      GIT_DIR: '/x',
      GIT_INDEX_FILE: '/y',
      GIT_TERMINAL_PROMPT: '1',
    });
    expect(env).toEqual({ PATH: '/bin', GIT_TERMINAL_PROMPT: '0' });
  });
});
