import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent, type FakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, type CliResult } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

const TASKS = `# Tasks

## Git Worktree alpha
[] MISBEHAVE first task
[] Second task
`;

// A run that never ends (a merge waiting forever) is a finding, not a hung suite: stop it.
async function startOnce(repo: string): Promise<CliResult> {
  const run = startCli(['start', '--once'], { cwd: repo });
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 90_000);
  const result = await run.done;
  clearTimeout(timer);
  return result;
}

// A repository whose tasks.md is committed (so every worktree holds a copy), run once.
async function runScenario(agent: FakeAgent, branches: string[] = []) {
  const repo = await makeTaskRepo(TASKS, { agent: fakeAgent(agent) });
  await git(repo, 'add', 'tasks.md');
  await git(repo, 'commit', '-q', '-m', 'tasks');
  for (const branch of branches) await git(repo, 'branch', branch);
  const first = await startOnce(repo);
  const [bad, good] = markers(await readTasks(repo));
  return { repo, first, bad: bad!, good: good! };
}

async function files(repo: string, ref: string): Promise<string[]> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', ref)).split('\n');
}

async function checkedOut(repo: string): Promise<string[]> {
  const list = await git(repo, 'worktree', 'list', '--porcelain');
  return [...list.matchAll(/^branch refs\/heads\/(.+)$/gm)].map((match) => match[1]!);
}

// The section holds exactly the work the daemon merged: the second task's file, no stray one.
async function expectSectionClean(repo: string, goodId: string): Promise<void> {
  const tree = await files(repo, 'alpha');
  expect(tree).toContain(`agent-${goodId}.txt`);
  expect(tree.filter((path) => /^(stray|detached|elsewhere)-/.test(path))).toEqual([]);
  expect(await git(repo, 'log', '--format=%s', 'alpha')).not.toMatch(/agent: (stray|detached)/);
}

// A later task of the same section runs and merges like any other.
async function expectLaterTaskMerges(repo: string): Promise<void> {
  await appendFile(join(repo, 'tasks.md'), '[] Later task\n');
  const result = await startOnce(repo);
  const later = markers(await readTasks(repo)).at(-1)!;
  expect(later.emoji, result.stdout + result.stderr).toBe('✅');
  expect(await files(repo, 'alpha')).toContain(`agent-${later.id!}.txt`);
}

describe('agents that leave their branch', () => {
  it('checks out the section branch and commits: fails, section put back, commit kept', async () => {
    const { repo, first, bad, good } = await runScenario('checkout-section');
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(bad.emoji).toBe('❌');
    const kept = `refs/adw/kept/${bad.id!}/alpha`;
    expect(bad.rest).toContain('agent left its branch (now on alpha)');
    expect(bad.rest).toContain(kept);
    expect(good.emoji).toBe('✅');
    await expectSectionClean(repo, good.id!);
    expect(await files(repo, kept)).toContain(`stray-${bad.id!}.txt`);
    expect(await checkedOut(repo)).not.toContain('alpha');
    await expectLaterTaskMerges(repo);
  });

  it('detaches HEAD and commits: fails, the detached commit is kept under a ref', async () => {
    const { repo, first, bad, good } = await runScenario('detach-commit');
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(bad.emoji).toBe('❌');
    expect(bad.rest).toMatch(/agent left its branch \(now on detached HEAD at [0-9a-f]{7}\)/);
    const kept = `refs/adw/kept/${bad.id!}/HEAD`;
    expect(bad.rest).toContain(kept);
    expect(await files(repo, kept)).toContain(`detached-${bad.id!}.txt`);
    expect(good.emoji).toBe('✅');
    await expectSectionClean(repo, good.id!);
    await expectLaterTaskMerges(repo);
  });

  it('commits on another branch and comes back: fails, that branch put back, commit kept', async () => {
    const { repo, first, bad, good } = await runScenario('other-branch', ['other']);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(bad.emoji).toBe('❌');
    const kept = `refs/adw/kept/${bad.id!}/other`;
    expect(bad.rest).toContain(`agent moved branch other (kept as ${kept})`);
    expect(await git(repo, 'rev-parse', 'other')).toBe(await git(repo, 'rev-parse', 'main'));
    expect(await files(repo, kept)).toContain(`elsewhere-${bad.id!}.txt`);
    expect(good.emoji).toBe('✅');
    await expectSectionClean(repo, good.id!);
    expect(await files(repo, 'alpha')).not.toContain(`agent-${bad.id!}.txt`);
    await expectLaterTaskMerges(repo);
  });

  it('edits tasks.md in its worktree: fails naming the path, branch kept, not merged', async () => {
    const { repo, first, bad, good } = await runScenario('edit-tasks');
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(bad.emoji).toBe('❌');
    expect(bad.rest).toContain('task branch changes tasks.md');
    const branch = `alpha-${bad.id!}`;
    expect(await git(repo, 'show', `${branch}:tasks.md`)).toContain('[] injected');
    expect(await git(repo, 'show', 'alpha:tasks.md')).not.toContain('injected');
    expect(good.emoji).toBe('✅');
    await expectSectionClean(repo, good.id!);
    await expectLaterTaskMerges(repo);
    expect(await readTasks(repo)).not.toContain('injected');
  });

  it('forges ✅ on its line: nothing merged, the run record says failed', async () => {
    const repo = await makeTaskRepo('## Git Worktree alpha\n[] Forge it\n', {
      agent: fakeAgent('forge-done'),
    });
    const base = await git(repo, 'rev-parse', 'main');
    await startOnce(repo);
    const [task] = markers(await readTasks(repo));
    expect(await git(repo, 'rev-parse', 'alpha')).toBe(base);
    const record = JSON.parse(
      await readFile(join(repo, '.adw', 'runs', task!.id!, 'run.json'), 'utf8'),
    ) as { status: string; commit: string | null };
    expect(record.status).toBe('failed');
    expect(record.commit).toBeNull();
  });
});

describe('check in a repository', () => {
  it('warns unknown-commit for a ✅ hash that is no commit, and not for a real one', async () => {
    const repo = await makeTaskRepo('', { agent: fakeAgent('noop') });
    const head = (await git(repo, 'rev-parse', 'HEAD')).slice(0, 9);
    await writeFile(
      join(repo, 'tasks.md'),
      `[✅ ${head}, a1] Real\n[✅ deadbeef, a2] Forged\n[✅ 0123abc, a3] Also forged\n`,
    );
    const result = await runCli(['check'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'tasks.md:2:1 warning unknown-commit ✅ deadbeef is not a commit in this repository',
      'tasks.md:3:1 warning unknown-commit ✅ 0123abc is not a commit in this repository',
    ]);
  });
});

describe('worktreeDir the daemon does not own', () => {
  it('refuses `.` (the repository root) as a bad value: exit 2, writing nothing', async () => {
    const original = '[] A task\n';
    const repo = await makeTaskRepo(original, {
      agent: fakeAgent('commit'),
      config: { worktreeDir: '.' },
    });
    const branches = await git(repo, 'branch', '--list');
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Expected `worktreeDir` to be a folder inside the repository');
    expect(await readTasks(repo)).toBe(original);
    expect(await git(repo, 'branch', '--list')).toBe(branches);
  });

  it.each([['src', 'git tracks files in it (src/main.ts)']])(
    'refuses `%s` at start with exit 2, writing nothing',
    async (value, problem) => {
      const original = '[] A task\n';
      const repo = await makeTaskRepo(original, {
        agent: fakeAgent('commit'),
        config: { worktreeDir: value },
        files: { 'src/main.ts': 'x\n' },
      });
      const exclude = await readFile(join(repo, '.git', 'info', 'exclude'), 'utf8');
      const branches = await git(repo, 'branch', '--list');
      const result = await runCli(['start', '--once'], { cwd: repo });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `Expected \`worktreeDir\` to be a folder only the daemon uses, got \`${value}\`: ${problem}`,
      );
      expect(await readTasks(repo)).toBe(original);
      expect(await git(repo, 'branch', '--list')).toBe(branches);
      expect(await readFile(join(repo, '.git', 'info', 'exclude'), 'utf8')).toBe(exclude);
      // New source files stay visible to git.
      await writeFile(join(repo, 'src', 'new.ts'), 'y\n');
      expect(await git(repo, 'status', '--porcelain')).toContain('?? src/new.ts');
      const config = await runCli(['config'], { cwd: repo });
      expect(config.stdout).toContain(`refused at start: worktreeDir \`${value}\`: ${problem}`);
      const json = await runCli(['config', '--json'], { cwd: repo });
      expect((JSON.parse(json.stdout) as { refused?: string }).refused).toBe(
        `worktreeDir \`${value}\`: ${problem}`,
      );
    },
  );
});
