import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchGraph, createRepository } from '../../src/git/demo-repository.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

describe('createRepository and branchGraph', () => {
  it('makes a repository on main with the files committed, and draws its branches', async () => {
    const dir = join(await tempDir(), 'demo');
    await createRepository(dir, { 'tasks.md': '[] a\n', '.adw/workflows/build.md': '# b\n' });
    expect(await git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await git(dir, 'ls-files')).toBe('.adw/workflows/build.md\ntasks.md');
    expect(await git(dir, 'status', '--porcelain')).toBe('');
    expect(await readFile(join(dir, 'tasks.md'), 'utf8')).toBe('[] a\n');
    await git(dir, 'branch', 'sec');
    expect(await branchGraph(dir)).toMatch(/^\* [0-9a-f]+ \(HEAD -> main, sec\) Initial commit$/);
  });
});
