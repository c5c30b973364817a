import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from './snapshot.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix: string | null;
}

// `config --json` and `config` in `dir`, which must change nothing there and exit 0.
async function preflightOf(dir: string): Promise<{ checks: Check[]; text: string }> {
  const before = await snapshotDir(dir);
  const json = await runCli(['config', '--json'], { cwd: dir });
  expect(json.code, json.stderr).toBe(0);
  const text = await runCli(['config'], { cwd: dir });
  expect(text.code, text.stderr).toBe(0);
  expect(await snapshotDir(dir)).toEqual(before);
  return {
    checks: (JSON.parse(json.stdout) as { preflight: Check[] }).preflight,
    text: text.stdout,
  };
}

describe('adw-trigger config: what start checks before claiming', () => {
  it('shows each check as ok with what it found', async () => {
    const agent = fakeAgent('commit');
    const repo = await makeTaskRepo('[] A task\n', { agent });
    const { checks, text } = await preflightOf(repo);
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['repository', true],
      ['baseRef', true],
      ['worktreeDir', true],
      ['agent', true],
      ['saves', true],
      ['git', true],
    ]);
    expect(checks.every((check) => check.fix === null)).toBe(true);
    expect(checks[4]?.detail).toBe(
      `the kernel's write lease on ${join(repo, 'tasks.md')}: a save is read once no process holds it open for writing`,
    );
    expect(checks[3]?.detail).toBe(`command agent: ${process.execPath}`);
    expect(checks[5]?.detail).toBe('commands started with posix_spawn');
    expect(text).toMatch(/^preflight \(checked by start before it claims anything\):$/m);
    expect(text).toMatch(/^ {2}ok {7}repository {3}\S+ at [0-9a-f]{9}$/m);
    expect(text).toMatch(/^ {2}ok {7}baseRef {6}HEAD is [0-9a-f]{9}$/m);
    expect(text).not.toContain('problem');
  });

  it('says when saves are judged by the quiet window instead of the kernel, and why', async () => {
    const repo = await makeTaskRepo('[] A task\n', { agent: fakeAgent('commit') });
    const env = { ADW_TRIGGER_WRITE_LEASE: 'off' };
    const json = await runCli(['config', '--json'], { cwd: repo, env });
    expect(json.code, json.stderr).toBe(0);
    const saves = (JSON.parse(json.stdout) as { preflight: Check[] }).preflight.find(
      (check) => check.name === 'saves',
    );
    expect(saves).toEqual({
      name: 'saves',
      ok: true,
      detail: 'a 100 ms quiet window before each rewrite (ADW_TRIGGER_WRITE_LEASE=off)',
      fix: null,
    });
    const text = await runCli(['config'], { cwd: repo, env });
    expect(text.stdout).toMatch(/^ {2}ok {7}saves {8}a 100 ms quiet window before each rewrite/m);
  });

  it("says when git is started with Node's spawn instead of posix_spawn, and why", async () => {
    const repo = await makeTaskRepo('[] A task\n', { agent: fakeAgent('commit') });
    const env = { ADW_TRIGGER_POSIX_SPAWN: 'off' };
    const json = await runCli(['config', '--json'], { cwd: repo, env });
    expect(json.code, json.stderr).toBe(0);
    const checks = (JSON.parse(json.stdout) as { preflight: Check[] }).preflight;
    expect(checks.find((check) => check.name === 'git')).toEqual({
      name: 'git',
      ok: true,
      detail: "commands started with Node's spawn (ADW_TRIGGER_POSIX_SPAWN=off)",
      fix: null,
    });
  });

  it.each<[string, Record<string, unknown>, string, RegExp, RegExp]>([
    [
      'an agent not installed',
      { agent: 'claude', claudeBin: 'adw-no-such-claude' },
      'agent',
      /^agent executable not found: adw-no-such-claude \(not in PATH: /,
      /set `claudeBin` \(or `agent`\)/,
    ],
    [
      'a command that does not exist',
      { command: ['/nonexistent/agent'] },
      'agent',
      /^agent executable not found: \/nonexistent\/agent$/,
      /set `command`/,
    ],
    [
      'a base ref that names nothing',
      { baseRef: 'nope' },
      'baseRef',
      /^baseRef `nope` names no commit in /,
      /set `baseRef` to a branch, tag or commit/,
    ],
  ])('%s: a problem with its fix', async (_name, config, name, detail, fix) => {
    const repo = await makeTaskRepo('[] A task\n', { agent: fakeAgent('commit'), config });
    const { checks, text } = await preflightOf(repo);
    const check = checks.find((candidate) => candidate.name === name);
    expect(check?.ok).toBe(false);
    expect(check?.detail).toMatch(detail);
    expect(check?.fix).toMatch(fix);
    expect(checks.filter((candidate) => !candidate.ok)).toHaveLength(1);
    expect(text).toMatch(
      new RegExp(`^ {2}problem {2}${name} +agent executable|^ {2}problem {2}${name} +baseRef`, 'm'),
    );
    expect(text).toMatch(/^ +fix: /m);
  });

  it('trees existing as a file', async () => {
    const repo = await makeTaskRepo('[] A task\n', { agent: fakeAgent('commit') });
    await writeFile(join(repo, 'trees'), 'not a folder\n');
    const { checks } = await preflightOf(repo);
    expect(checks.find((check) => check.name === 'worktreeDir')).toMatchObject({
      ok: false,
      detail: `worktreeDir ${join(repo, 'trees')} exists and is not a folder`,
      fix: 'move that file away, or set `worktreeDir` to another folder',
    });
  });

  it('a repository with no commit, and a folder that is no repository', async () => {
    const empty = await tempDir('adw-empty-');
    await git(empty, 'init', '-q', '-b', 'main');
    const { checks } = await preflightOf(empty);
    expect(checks[0]).toMatchObject({
      name: 'repository',
      ok: false,
      fix: 'commit something first (git commit --allow-empty -m init)',
    });
    expect(checks.map((check) => check.name)).not.toContain('baseRef');

    const plain = await tempDir('adw-plain-');
    const outside = await preflightOf(plain);
    expect(outside.checks).toEqual([
      expect.objectContaining({ name: 'repository', ok: false }) as unknown,
    ]);
    expect(outside.text).toMatch(
      /^ {2}problem {2}repository {2}.+\n +fix: run it in a git repository/m,
    );
  });
});
