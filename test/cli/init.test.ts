import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from './snapshot.js';

const EXAMPLE = new URL('../../tasks.example.md', import.meta.url);

async function emptyRepo(): Promise<string> {
  const dir = await tempDir('adw-init-');
  await git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

describe('adw-trigger init', () => {
  it('writes tasks.md (the example) and a valid adw-trigger.json in an empty git repository', async () => {
    const dir = await emptyRepo();
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote ${join(dir, 'tasks.md')}\n`);
    expect(result.stdout).toContain(`wrote ${join(dir, 'adw-trigger.json')}\n`);
    const written = await readFile(join(dir, 'tasks.md'), 'utf8');
    expect(written).toContain((await readFile(EXAMPLE, 'utf8')).trimEnd());
    // The examples cannot run by accident: nothing in the file is a task.
    const plan = await runCli(['status', '--json'], { cwd: dir });
    expect((JSON.parse(plan.stdout) as { tasks: unknown[] }).tasks).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'adw-trigger.json'), 'utf8'))).toEqual(
      expect.any(Object),
    );
    // Both are what the other commands accept.
    expect((await runCli(['config'], { cwd: dir })).code).toBe(0);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.code).toBe(0);
  });

  it('keeps both files unchanged when run again, and says so', async () => {
    const dir = await emptyRepo();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'tasks.md'), '[] My own task\n');
    const before = await snapshotDir(dir);
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`kept ${join(dir, 'tasks.md')}: it exists already\n`);
    expect(again.stdout).toContain(`kept ${join(dir, 'adw-trigger.json')}: it exists already\n`);
    expect(again.stdout).not.toContain('wrote');
    expect(await readFile(join(dir, 'tasks.md'), 'utf8')).toBe('[] My own task\n');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('from a subfolder writes at the root of the repository, without suggesting git init', async () => {
    const dir = await emptyRepo();
    await mkdir(join(dir, 'src', 'deep'), { recursive: true });
    const result = await runCli(['init'], { cwd: join(dir, 'src', 'deep') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote ${join(dir, 'tasks.md')}\n`);
    expect(result.stdout).not.toContain('git init');
    expect(existsSync(join(dir, 'src', 'deep', 'tasks.md'))).toBe(false);
  });
});
