import { describe, expect, it } from 'vitest';
import { parseWorktreeList } from '../../src/git/worktree-list.js';

describe('parseWorktreeList', () => {
  it('reads main, branch, detached, locked and bare entries of `worktree list --porcelain -z`', () => {
    const output = [
      'worktree /r',
      'HEAD aaa',
      'branch refs/heads/main',
      '',
      'worktree /r/trees/with\nnewline',
      'HEAD bbb',
      'branch refs/heads/sec/x-1',
      'locked because',
      '',
      'worktree /r/trees/d',
      'HEAD ccc',
      'detached',
      'prunable gitdir file points to non-existent location',
      '',
      'worktree /bare',
      'bare',
      '',
    ].join('\0');
    expect(parseWorktreeList(output)).toEqual([
      { path: '/r', branch: 'main', head: 'aaa' },
      { path: '/r/trees/with\nnewline', branch: 'sec/x-1', head: 'bbb' },
      { path: '/r/trees/d', branch: null, head: 'ccc' },
      { path: '/bare', branch: null, head: '' },
    ]);
  });

  it('returns nothing for empty output', () => {
    expect(parseWorktreeList('')).toEqual([]);
  });
});
