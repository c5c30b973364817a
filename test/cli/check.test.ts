import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from './snapshot.js';

const EXAMPLE = fileURLToPath(new URL('../../tasks.example.md', import.meta.url));

const BAD = `# Tasks
[] A fine task
[🟢] An unknown marker
[✅ zzz, abcd1234] A malformed hash

## Git Worktree bad..name
[] In a section with an invalid name
`;

describe('adw-trigger check', () => {
  it('exits 0 and prints nothing for a good file (tasks.example.md)', async () => {
    const dir = await tempDir();
    const result = await runCli(['check', EXAMPLE], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('prints FILE:LINE:COL severity rule message lines and exits 1 on errors', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), BAD);
    const before = await snapshotDir(dir);
    const result = await runCli(['check', 'tasks.md'], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines)
      expect(line).toMatch(/^tasks\.md:\d+:\d+ (error|warning) [a-z0-9-]+ \S.*$/);
    expect(lines).toContainEqual(expect.stringMatching(/^tasks\.md:3:1 error unknown-marker .*🟢/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^tasks\.md:4:\d+ error malformed-hash .*zzz/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^tasks\.md:6:\d+ error invalid-section-name .*bad\.\.name/),
    );
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('exits 1 with a message naming the path when the file is missing', async () => {
    const dir = await tempDir();
    const before = await snapshotDir(dir);
    const result = await runCli(['check', 'missing-tasks.md'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/missing-tasks\.md does not exist/);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('exits 1 with a clear message when a folder is where the file should be', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'tasks.md'));
    const before = await snapshotDir(dir);
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tasks\.md: expected a file, found a directory/);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('reports a non-UTF-8 file with a diagnostic naming the line, exits 1, and leaves the file unchanged', async () => {
    const dir = await tempDir();
    const bytes = Buffer.concat([
      Buffer.from('# Tasks\n[] Fine\n[] Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' au lait\n'),
    ]);
    await writeFile(join(dir, 'tasks.md'), bytes);
    const before = await snapshotDir(dir);
    const result = await runCli(['check', 'tasks.md'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^tasks\.md:3:\d+ error invalid-utf8 Not valid UTF-8/m);
    expect(await readFile(join(dir, 'tasks.md'))).toEqual(bytes);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('exits 0 and prints nothing for an empty file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
