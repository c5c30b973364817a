import { describe, expect, it } from 'vitest';
import { isValidBranchName } from '../../src/git/branch-name.js';

describe('isValidBranchName', () => {
  it.each(['feature-auth', 'adw', 'feat/login', 'v1.2', 'a_b', 'émoji-🟡'])(
    'accepts %s',
    async (name) => {
      expect(await isValidBranchName(name)).toBe(true);
    },
  );

  it.each([
    '',
    'bad..name',
    '-leading-dash',
    'HEAD',
    'has space',
    'trailing.',
    'a.lock',
    'x~1',
    'a:b',
    'q?',
    'end/',
    'a\0b',
  ])('rejects %j', async (name) => {
    expect(await isValidBranchName(name)).toBe(false);
  });
});
