import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from './snapshot.js';

const COMMANDS: Record<string, string[]> = {
  start: [
    '--once',
    '--poll',
    '--repo',
    '--tasks',
    '--concurrency',
    '--step-timeout',
    '--log-level',
  ],
  status: ['--json', '--watch', '--repo', '--tasks'],
  check: ['[file]', '--repo'],
  plan: ['--json', '--repo', '--tasks'],
  retry: ['<id>', '--done', '--repo', '--tasks'],
  cancel: ['<id>', '--repo', '--tasks'],
  clean: ['--dry-run', '--repo', '--tasks'],
  init: ['--repo'],
  demo: ['--json-logs'],
  config: ['--json', '--repo', '--concurrency', '--agent'],
  health: ['--repo'],
};

describe('adw-trigger --help', () => {
  it('lists every command and exits 0', async () => {
    const result = await runCli(['--help'], { cwd: await tempDir() });
    expect(result.code).toBe(0);
    for (const name of Object.keys(COMMANDS))
      expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it.each(Object.entries(COMMANDS))(
    '%s --help answers with its options and exits 0',
    async (name, options) => {
      const result = await runCli([name, '--help'], { cwd: await tempDir() });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: adw-trigger ${name} `));
      for (const option of options) expect(result.stdout).toContain(option);
    },
  );

  it('answers `help COMMAND` like `COMMAND --help`', async () => {
    const dir = await tempDir();
    const help = await runCli(['help', 'retry'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['retry', '--help'], { cwd: dir })).stdout);
  });
});

describe('adw-trigger usage errors', () => {
  it('exits 2 on an unknown command and lists the commands that exist', async () => {
    const dir = await tempDir();
    const result = await runCli(['frobnicate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).toContain(`commands: ${Object.keys(COMMANDS).join(', ')}`);
    expect(await snapshotDir(dir)).toEqual(new Map());
  });

  it('suggests the closest command for a typo', async () => {
    const dir = await tempDir();
    const result = await runCli(['stauts'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(Did you mean status?)');
    expect(await snapshotDir(dir)).toEqual(new Map());
  });

  it('exits 2 on an unknown flag, naming it, and runs nothing', async () => {
    const dir = await tempDir();
    const result = await runCli(['init', '--frobnicate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--frobnicate'");
    expect(result.stdout).toBe('');
    // init did not run: it wrote nothing.
    expect(await snapshotDir(dir)).toEqual(new Map());
  });

  it('exits 2 on a flag value that is missing', async () => {
    const dir = await tempDir();
    const result = await runCli(['init', '--repo'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--repo <dir>' argument missing");
    expect(await snapshotDir(dir)).toEqual(new Map());
  });
});

describe('adw-trigger --version', () => {
  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], { cwd: await tempDir() });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${pkg.version}\n`);
    }
  });
});
