import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from './snapshot.js';

describe('commands outside a git repository', () => {
  it.each([
    [['status']],
    [['status', '--json']],
    [['plan']],
    [['retry', '0c1d2e3f']],
    [['clean']],
    [['start', '--once']],
  ])('%j exits 1 saying it is not a git repository, and writes nothing', async (args) => {
    const dir = await tempDir('adw-plain-');
    await writeFile(join(dir, 'tasks.md'), '[❌, 0c1d2e3f] Broke // Failed: x\n');
    const before = await snapshotDir(dir);
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^adw-trigger: \S+ is not inside a git work tree/);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('check still works there (it needs no repository)', async () => {
    const dir = await tempDir('adw-plain-');
    await writeFile(join(dir, 'tasks.md'), '[] Fine\n');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
