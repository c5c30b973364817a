import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

const TASKS = '# Tasks\n\n[] Add a hello file\n\n## Git Worktree feature\n\n[] Add a login form\n';

async function branches(repo: string): Promise<string> {
  return git(repo, 'for-each-ref', '--format=%(refname)', 'refs/heads');
}

// `start --once` refuses before claiming anything: exit code, one clear line, tasks.md
// byte-identical, no branch, no worktree.
async function expectRefused(
  repo: string,
  code: number,
  message: RegExp,
  args: string[] = [],
): Promise<void> {
  const before = await readFile(join(repo, 'tasks.md'));
  const refs = await branches(repo).catch(() => '');
  const result = await runCli(['start', '--once', ...args], { cwd: repo });
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect((await readFile(join(repo, 'tasks.md'))).equals(before)).toBe(true);
  expect(await branches(repo).catch(() => '')).toBe(refs);
  expect(existsSync(join(repo, 'trees')) && !existsSync(join(repo, 'trees-file'))).toBe(false);
}

describe('start --once: preflight before anything is claimed', () => {
  it.each<[string, Record<string, unknown>, number, RegExp]>([
    [
      'claude not installed',
      { agent: 'claude', claudeBin: 'adw-no-such-claude' },
      1,
      /^adw-trigger: agent executable not found: adw-no-such-claude \(not in PATH: /,
    ],
    [
      'a command that does not exist, named by its full path',
      { command: ['/nonexistent/agent'] },
      1,
      /^adw-trigger: agent executable not found: \/nonexistent\/agent$/m,
    ],
    ['a base ref that names nothing', { baseRef: 'nope' }, 1, /baseRef `nope` names no commit/],
    [
      'defaultSection "-rf"',
      { defaultSection: '-rf' },
      2,
      /Expected `defaultSection` to be a valid git branch name/,
    ],
    ['baseRef "--orphan"', { baseRef: '--orphan' }, 2, /Expected `baseRef` to be a git revision/],
    ['a 300-character section', { defaultSection: 'x'.repeat(300) }, 2, /defaultSection/],
    ['pollInterval 1 ms', { pollInterval: 1 }, 2, /at least 100ms/],
    ['concurrency 1e9', { concurrency: 1e9 }, 2, /from 1 to 256/],
    [
      'a model that is an option',
      { model: '--dangerously-skip-permissions' },
      2,
      /Expected `model`/,
    ],
  ])('%s', async (_name, config, code, message) => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit'), config });
    await expectRefused(repo, code, message);
  });

  it('trees existing as a file', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    await writeFile(join(repo, 'trees'), 'not a folder\n');
    const before = await readFile(join(repo, 'tasks.md'));
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^adw-trigger: worktreeDir .*trees exists and is not a folder\n$/,
    );
    expect((await readFile(join(repo, 'tasks.md'))).equals(before)).toBe(true);
    expect(await branches(repo)).toBe('refs/heads/main');
  });

  it('a repository with no commit', async () => {
    const repo = await tempDir('adw-empty-');
    await git(repo, 'init', '-q', '-b', 'main');
    await writeFile(join(repo, 'tasks.md'), TASKS);
    await writeFile(
      join(repo, 'adw-trigger.json'),
      JSON.stringify({ agent: 'command', command: [fakeAgent('commit')] }),
    );
    await expectRefused(repo, 1, /has no commit yet: commit something first/);
  });

  it('a relative command[0] resolves against the repository root, not the worktree', async () => {
    const repo = await makeTaskRepo('[] Add a hello file\n', {
      agent: fakeAgent('commit'),
      config: { command: ['./my-agent.mjs'] },
    });
    // Not committed: it exists only at the root, never in a task's worktree.
    await copyFile(fakeAgent('commit'), join(repo, 'my-agent.mjs'));
    // The stand-in's git helper goes beside it.
    await copyFile(
      join(dirname(fakeAgent('commit')), 'agent-git.mjs'),
      join(repo, 'agent-git.mjs'),
    );
    await writeFile(join(repo, '.git', 'info', 'exclude'), 'my-agent.mjs\nagent-git.mjs\n');
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(markers(await readTasks(repo))[0]?.emoji).toBe('✅');
  });
});

describe('start --once: operational errors exit 1', () => {
  it('a tasks.md that is not UTF-8', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const bytes = Buffer.concat([Buffer.from('[] caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    await writeFile(join(repo, 'tasks.md'), bytes);
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect((await readFile(join(repo, 'tasks.md'))).equals(bytes)).toBe(true);
    expect(await branches(repo)).toBe('refs/heads/main');
  });

  it('a tasks.md lock held by a live process', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    // This test process is the live holder.
    const holder = { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };
    await writeFile(join(repo, 'tasks.md.lock'), JSON.stringify(holder));
    const before = await readFile(join(repo, 'tasks.md'));
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect((await readFile(join(repo, 'tasks.md'))).equals(before)).toBe(true);
    // The last word says why it ends with 1: the lock and its holder, not "retrying".
    const output = result.stdout + result.stderr;
    const givingUp = output.split('\n').find((line) => line.includes('giving up'));
    expect(givingUp).toContain(`still unresolved: Timed out`);
    expect(givingUp).toContain(`held by pid ${String(process.pid)}`);
    expect(givingUp).not.toContain('retrying');
  });
});
