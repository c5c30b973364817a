import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { branchNameProblem, isValidBranchName } from '../../src/tasks/index.js';
import { makeRepo } from '../helpers/git.js';
import { gitEnv } from '../helpers/git.js';

const run = promisify(execFile);

const NAMES = [
  'feature-auth',
  'validation-workflow',
  'feature/auth',
  'a/b/c',
  'fix_1.2',
  'é-unicode',
  'emoji-🟡',
  '@',
  'a@b',
  'HEAD',
  'head',
  '-leading-dash',
  'trailing-dash-',
  '.hidden',
  'a/.hidden',
  'name.lock',
  'a/name.lock/b',
  'name.locked',
  'a..b',
  'a.b',
  'ends.',
  'a@{b',
  '@{-1}',
  '/leading',
  'trailing/',
  'a//b',
  'a b',
  'tab\there',
  'ctrl\u0001',
  'del\u007f',
  'tilde~1',
  'caret^',
  'colon:',
  'question?',
  'star*',
  'bracket[',
  'back\\slash',
  'braces{}',
  '',
];

async function gitAccepts(repo: string, name: string): Promise<boolean> {
  try {
    await run('git', ['check-ref-format', '--branch', name], { cwd: repo, env: gitEnv });
    return true;
  } catch {
    return false;
  }
}

describe('branch names', () => {
  it('agree with git check-ref-format --branch on every name of the table', async () => {
    const repo = await makeRepo();
    const verdicts = await Promise.all(NAMES.map((name) => gitAccepts(repo, name)));
    const ours = NAMES.map((name) => isValidBranchName(name));
    expect(Object.fromEntries(NAMES.map((name, index) => [name, ours[index]]))).toEqual(
      Object.fromEntries(NAMES.map((name, index) => [name, verdicts[index]])),
    );
    // Both verdicts occur, so the comparison means something.
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });

  it.each([
    ['', 'it is empty'],
    ['-x', 'it starts with "-"'],
    ['HEAD', 'it is "HEAD"'],
    ['x.', 'it ends with "."'],
    ['a..b', 'it contains ".."'],
    ['a@{b', 'it contains "@{"'],
    ['a\u0001', 'it contains a control character'],
    // Git cannot even be asked about this one: no argument holds a NUL.
    ['a\0b', 'it contains a control character'],
    ['a b', 'it contains " "'],
    ['a//b', 'it has an empty path component'],
    ['a/.b', 'its component ".b" starts with "."'],
    ['a.lock', 'its component "a.lock" ends with ".lock"'],
  ])('%j is refused because %s', (name, reason) => {
    expect(branchNameProblem(name)).toContain(reason);
  });
});
