import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentSpecOf, stepLimitsOf } from '../../src/agents/index.js';
import { configSchema } from '../../src/config/schema.js';
import { claimRunnable } from '../../src/daemon/claims.js';
import { runClaimedTask } from '../../src/daemon/task-run.js';
import type { TaskRunContext } from '../../src/daemon/task-run.js';
import { openRepo } from '../../src/git/index.js';
import type { Workflow, WorkflowJob, WorkflowOutcome } from '../../src/workflows/index.js';
import { git, makeRepo } from '../helpers/git.js';
import { OK_OUTCOME as OK } from '../helpers/workflow-outcome.js';
import { options } from '../tasks/options.js';

// runClaimedTask on a real repository, with the workflow in memory: it writes `task.txt` in the
// worktree (committed by the run), or, for the resolve step, concludes the merge in progress.

const BUILD: Workflow = {
  ...{ name: 'build', tags: [], model: null, description: null, file: 'build.md' },
  steps: [{ name: 'build', kind: 'agent', template: '{{task}}', line: 1 }],
};

async function inMemory(job: WorkflowJob): Promise<WorkflowOutcome> {
  const resolving = job.workflow.steps.some((step) => step.name === 'resolve');
  await writeFile(join(job.worktree, 'task.txt'), resolving ? 'task and section\n' : 'task\n');
  if (resolving) {
    await git(job.worktree, 'add', 'task.txt');
    await git(job.worktree, 'commit', '-q', '--no-edit');
  }
  return OK;
}

// A repository with one claimed task of section `adw`, and branch `published`: a tip of the
// section made elsewhere (what a worker fetches), adding `file` to main.
async function runWithPublished(
  file: string,
  onConflict: 'fail' | 'resolve',
  extra: Partial<TaskRunContext> = {},
) {
  const root = await makeRepo();
  await git(root, 'checkout', '-q', '-b', 'published');
  await writeFile(join(root, file), 'section\n');
  await git(root, 'add', file);
  await git(root, 'commit', '-q', '-m', 'merged elsewhere');
  await git(root, 'checkout', '-q', 'main');
  const [claim] = claimRunnable('- [] write the file\n', options, () => 'T1', 1).claims;
  if (claim === undefined) throw new Error('no claim');
  const config = configSchema.parse({ onConflict });
  const repo = await openRepo(root);
  const calls: string[] = [];
  const ctx: TaskRunContext = {
    config,
    repo,
    workflows: new Map([['build', BUILD]]),
    runWorkflow: inMemory,
    runDir: join(root, '.adw', 'runs', claim.id),
    agent: agentSpecOf(config, root),
    limits: stepLimitsOf(config),
    token: null,
    agentEnv: {},
    signal: new AbortController().signal,
    onStep: () => undefined,
    onSpawn: () => undefined,
    beforeFirstMerge: async (section) => {
      calls.push(section);
      await git(root, 'update-ref', `refs/heads/${section}`, 'published');
    },
    ...extra,
  };
  const outcome = await runClaimedTask(claim, ctx);
  return { root, outcome, calls };
}

describe('runClaimedTask: beforeFirstMerge', () => {
  it('runs once, before the merge: the section keeps what the hook brought and gains the task', async () => {
    const { root, outcome, calls } = await runWithPublished('other.txt', 'fail');
    expect(outcome.kind).toBe('done');
    expect(calls).toEqual(['adw']);
    // Had the hook run after the merge, it would have moved the section off the task's work.
    expect(await git(root, 'show', 'adw:other.txt')).toBe('section');
    expect(await git(root, 'show', 'adw:task.txt')).toBe('task');
  });

  it('runs once when the merge conflicts and the resolve step merges again', async () => {
    const { root, outcome, calls } = await runWithPublished('task.txt', 'resolve');
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.resolve).toMatchObject({ ok: true, paths: ['task.txt'] });
    expect(calls).toEqual(['adw']);
    expect(await git(root, 'show', 'adw:task.txt')).toBe('task and section');
  });
});

describe('runClaimedTask: merge false', () => {
  it('ends at the checked tip of the task branch and leaves the section alone', async () => {
    const { root, outcome, calls } = await runWithPublished('other.txt', 'fail', { merge: false });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(calls).toEqual([]);
    expect(outcome.commit).toBe(await git(root, 'rev-parse', 'adw-T1'));
    expect(await git(root, 'show', `${outcome.commit}:task.txt`)).toBe('task');
    // The section branch is still where the run created it: at main, without the task's file.
    expect(await git(root, 'rev-parse', 'adw')).toBe(await git(root, 'rev-parse', 'main'));
  });

  it('still fails a run that made no commit', async () => {
    const { outcome } = await runWithPublished('other.txt', 'fail', {
      merge: false,
      runWorkflow: () => Promise.resolve(OK),
    });
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'agent made no changes' });
  });
});
