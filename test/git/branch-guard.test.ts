import { realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentSpecOf, stepLimitsOf } from '../../src/agents/index.js';
import { AgentWatch } from '../../src/git/agent-watch.js';
import { openRepo } from '../../src/git/index.js';
import { configSchema } from '../../src/config/schema.js';
import { parseWorkflow } from '../../src/workflows/parse-workflow.js';
import { runWorkflow } from '../../src/workflows/run-workflow.js';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

// A repository with section `sec` and the worktree of task `t1` on branch sec-t1; the watch is
// started as the daemon starts it, before the agent runs.
async function setup() {
  const dir = await realpath(await makeRepo());
  const repo = await openRepo(dir, { env: gitEnv });
  await repo.excludeDaemonFolders('trees');
  await repo.ensureSectionBranch('sec', 'HEAD');
  await git(dir, 'branch', 'other');
  const tree = join(dir, 'trees', 't1');
  await repo.addWorktree(tree, 'sec-t1', 'sec');
  const watch = await AgentWatch.start(repo, { id: 't1', worktree: tree, branch: 'sec-t1' });
  return { dir, repo, tree, watch };
}

async function commit(cwd: string, file: string): Promise<string> {
  await writeFile(join(cwd, file), `${file}\n`);
  await git(cwd, 'add', '--', file);
  await git(cwd, 'commit', '-q', '-m', file);
  return git(cwd, 'rev-parse', 'HEAD');
}

describe('AgentWatch', () => {
  it('says nothing about an agent that committed on its own branch', async () => {
    const { tree, watch } = await setup();
    await commit(tree, 'work.txt');
    expect(await watch.check()).toBeNull();
  });

  it('puts back the section an agent committed on, keeps the commit, detaches the worktree', async () => {
    const { dir, tree, watch } = await setup();
    const sec = await git(dir, 'rev-parse', 'sec');
    await git(tree, 'checkout', '-q', 'sec');
    const stray = await commit(tree, 'stray.txt');
    expect(await watch.check()).toBe(
      'agent left its branch (now on sec); agent moved branch sec (kept as refs/adw/kept/t1/sec)',
    );
    expect(await git(dir, 'rev-parse', 'sec')).toBe(sec);
    expect(await git(dir, 'rev-parse', 'refs/adw/kept/t1/sec')).toBe(stray);
    expect(await git(tree, 'symbolic-ref', '-q', 'HEAD').catch(() => 'detached')).toBe('detached');
    expect(await git(tree, 'rev-parse', 'HEAD')).toBe(stray);
    expect(await git(dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    // The first reason stays: a later check does not report the detached HEAD it caused.
    expect(await watch.check()).toContain('now on sec');
  });

  it('keeps the daemon’s own merges of the section made while the agent ran', async () => {
    const { dir, repo, watch } = await setup();
    const other = join(dir, 'trees', 't2');
    await repo.addWorktree(other, 'sec-t2', 'sec');
    await commit(other, 'two.txt');
    await repo.mergeIntoSection('sec', 'sec-t2');
    const merged = await git(dir, 'rev-parse', 'sec');
    expect(await watch.check()).toBeNull();
    expect(await git(dir, 'rev-parse', 'sec')).toBe(merged);
  });

  it('leaves alone what the user or another agent committed on other branches meanwhile', async () => {
    const { dir, repo, watch } = await setup();
    const mine = await commit(dir, 'user.txt'); // the user, on main
    const other = join(dir, 'trees', 't2');
    await repo.addWorktree(other, 'sec-t2', 'sec');
    await git(other, 'checkout', '-q', 'other'); // another task's agent misbehaving
    const theirs = await commit(other, 'theirs.txt');
    expect(await watch.check()).toBeNull();
    expect(await git(dir, 'rev-parse', 'main')).toBe(mine);
    expect(await git(dir, 'rev-parse', 'other')).toBe(theirs);
  });

  it('puts a branch back to where the daemon last moved it, keeping the daemon’s merge', async () => {
    const { dir, repo, tree, watch } = await setup();
    const other = join(dir, 'trees', 't2');
    await repo.addWorktree(other, 'sec-t2', 'sec');
    await commit(other, 'two.txt');
    await repo.mergeIntoSection('sec', 'sec-t2');
    const merged = await git(dir, 'rev-parse', 'sec');
    await git(tree, 'checkout', '-q', 'sec');
    await commit(tree, 'stray.txt');
    expect(await watch.check()).toContain('agent moved branch sec');
    expect(await git(dir, 'rev-parse', 'sec')).toBe(merged);
  });

  it('does not put back a branch the daemon merged on after the agent moved it, and says so', async () => {
    const { dir, repo, tree, watch } = await setup();
    await git(tree, 'checkout', '-q', 'sec');
    await commit(tree, 'stray.txt');
    await git(tree, 'checkout', '-q', 'sec-t1');
    const other = join(dir, 'trees', 't2');
    await repo.addWorktree(other, 'sec-t2', 'sec');
    await commit(other, 'two.txt');
    await repo.mergeIntoSection('sec', 'sec-t2');
    const merged = await git(dir, 'rev-parse', 'sec');
    expect(await watch.check()).toBe(
      'agent moved branch sec (kept as refs/adw/kept/t1/sec; not put back: merged on since)',
    );
    expect(await git(dir, 'rev-parse', 'sec')).toBe(merged);
  });

  it('keeps the commits of a detached HEAD that no branch holds', async () => {
    const { dir, tree, watch } = await setup();
    await git(tree, 'checkout', '-q', '--detach');
    const lost = await commit(tree, 'detached.txt');
    expect(await watch.check()).toBe(
      `agent left its branch (now on detached HEAD at ${lost.slice(0, 7)}); its commits kept as refs/adw/kept/t1/HEAD`,
    );
    expect(await git(dir, 'rev-parse', 'refs/adw/kept/t1/HEAD')).toBe(lost);
  });
});

describe('the check after each step', () => {
  it('stops the workflow at the step whose agent left its branch: the next step never runs', async () => {
    const { dir, tree, watch } = await setup();
    const steps: string[] = [];
    const config = configSchema.parse({ agent: 'command', command: [fakeAgent('detach-commit')] });
    const outcome = await runWorkflow({
      workflow: parseWorkflow(
        '---\nname: two\n---\n## first\n{{task}}\n## second\n{{task}}\n',
        'two.md',
      ),
      task: {
        id: 't1',
        section: 'sec',
        prompt: 'MISBEHAVE',
        details: [],
        description: 'x',
        modelTag: null,
      },
      branch: 'sec-t1',
      worktree: tree,
      runDir: join(dir, '.adw', 'runs', 't1'),
      agent: agentSpecOf(config, dir),
      limits: stepLimitsOf(config),
      env: {},
      onStep: (step) => steps.push(step),
      afterStep: () => watch.check(),
    });
    expect(steps).toEqual(['first']);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^agent left its branch \(now on detached HEAD at [0-9a-f]{7}\)/);
  });
});
