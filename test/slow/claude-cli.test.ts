import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../../src/agents/kill-group.js';
import { agentSpecOf, stepLimitsOf } from '../../src/agents/agent-spec.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { loadWorkflows } from '../../src/workflows/load-workflows.js';
import { runWorkflow } from '../../src/workflows/run-workflow.js';
import type { Workflow, WorkflowJob } from '../../src/workflows/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { claudeBin, claudeEnv, isRoot, planImplementScenario } from '../helpers/claude.js';
import { commitsOn, git, makeRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

// Real Claude Code 2.0.77 (the devDependency) against a local stand-in for the Messages API.
const ID = 'c1a2b3d4';

let fake: FakeAnthropic;
let workflows: Workflow[];

beforeEach(async () => {
  fake = await startFakeAnthropic();
  workflows = await loadWorkflows(await tempDir());
});

afterEach(async () => {
  await fake.close();
});

function workflow(name: string): Workflow {
  const found = workflows.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no workflow ${name}`);
  return found;
}

// Git identity for the agent's own commits, on top of the claude environment.
async function agentEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return claudeEnv(fake.url, {
    GIT_AUTHOR_NAME: 'Claude',
    GIT_AUTHOR_EMAIL: 'claude@example.com',
    GIT_COMMITTER_NAME: 'Claude',
    GIT_COMMITTER_EMAIL: 'claude@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  });
}

// A repository with a task worktree at trees/ID on branch adw-ID, like the daemon makes.
async function job(
  prompt: string,
  overrides: { workflow?: string; config?: ConfigInput; env?: Record<string, string> } = {},
): Promise<WorkflowJob & { repo: string }> {
  const repo = await makeRepo();
  const worktree = join(repo, 'trees', ID);
  const branch = `adw-${ID}`;
  await git(repo, 'worktree', 'add', '-q', '-b', branch, worktree, 'main');
  return {
    repo,
    workflow: workflow(overrides.workflow ?? 'build'),
    task: {
      id: ID,
      section: 'adw',
      prompt,
      details: [],
      description: prompt,
      modelTag: null,
    },
    branch,
    worktree,
    runDir: join(repo, '.adw', 'runs', ID),
    ...((config) => ({ agent: agentSpecOf(config, repo), limits: stepLimitsOf(config) }))(
      configSchema.parse({
        agent: 'claude',
        claudeBin,
        retries: 0,
        stepTimeout: '90s',
        idleTimeout: '60s',
        ...overrides.config,
      }),
    ),
    env: await agentEnv(overrides.env),
  };
}

describe('runWorkflow with real Claude Code', () => {
  it('the agent writes a file and commits it itself', async () => {
    fake.scenarios.set('write-commit', [
      {
        tool: 'Bash',
        input: {
          command:
            "printf 'hello\\n' > hello.txt && git add hello.txt && git commit -q -m 'Add hello'",
          description: 'Write and commit hello.txt',
        },
      },
      { text: 'Committed hello.txt' },
    ]);
    const task = await job('Add a hello file SCENARIO:write-commit');
    const outcome = await runWorkflow(task);
    expect(outcome.error).toBeNull();
    expect(outcome.ok).toBe(true);
    expect(await commitsOn(task.repo, task.branch)).toEqual(['Add hello']);
    expect(await readFile(join(task.worktree, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(await git(task.worktree, 'status', '--porcelain')).toBe('');
    expect(outcome.numTurns).toBe(2);
    expect(outcome.costUsd).toBeGreaterThan(0);
    expect(outcome.usage?.inputTokens).toBeGreaterThan(0);
    expect(outcome.sessionId).toMatch(/\S/);
    expect(outcome.steps).toMatchObject([{ name: 'implement', ok: true, attempts: 1 }]);
    const log = await readFile(join(task.runDir, 'implement.log'), 'utf8');
    expect(log).toContain('"type":"result"');
    // The prompt reached the API in one piece, through the built-in build workflow.
    const main = fake.requests.find((request) => request.scenario === 'write-commit');
    expect(main?.prompt).toContain('Add a hello file SCENARIO:write-commit');
    expect(main?.prompt).toContain(`task id ${ID}`);
  });

  it('the agent writes a file without committing: it stays in the worktree, uncommitted', async () => {
    const task = await job('Write notes SCENARIO:write-only');
    fake.scenarios.set('write-only', [
      {
        tool: 'Write',
        input: { file_path: join(task.worktree, 'notes.txt'), content: 'some notes\n' },
      },
      { text: 'Wrote notes.txt' },
    ]);
    const outcome = await runWorkflow(task);
    expect(outcome).toMatchObject({ ok: true, error: null });
    expect(await readFile(join(task.worktree, 'notes.txt'), 'utf8')).toBe('some notes\n');
    expect(await commitsOn(task.repo, task.branch)).toEqual([]);
    expect(await git(task.worktree, 'status', '--porcelain')).toBe('?? notes.txt');
  });

  it('an API answering 500 fails the step with the reason from the agent', async () => {
    fake.scenarios.set('broken', 'error500');
    const task = await job('Anything SCENARIO:broken', {
      env: { CLAUDE_CODE_MAX_RETRIES: '0' },
    });
    const outcome = await runWorkflow(task);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(
      /^agent reported an error: API Error: 500 .*Internal server error \(fake\)/,
    );
    expect(await commitsOn(task.repo, task.branch)).toEqual([]);
  });

  it('an API that never answers fails by stepTimeout, and no claude process is left', async () => {
    fake.scenarios.set('silent', 'hang');
    const task = await job('Anything SCENARIO:silent', { config: { stepTimeout: '5s' } });
    const pids: number[] = [];
    const outcome = await runWorkflow({
      ...task,
      onSpawn: (pid) => {
        if (pid !== null) pids.push(pid);
      },
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'step implement timed out after 5s (stepTimeout)',
    });
    // Stopped by the limit, not by claude's own 600 s request timeout.
    expect(outcome.steps[0]?.durationMs).toBeGreaterThanOrEqual(5000);
    expect(pids).toHaveLength(1);
    expect(await isGroupAlive(pids[0]!)).toBe(false);
  });

  it('plan-implement runs both steps, each with its own log, the plan output feeding the second', async () => {
    const task = await job('Add a greeting SCENARIO:plan-implement', {
      workflow: 'plan-implement',
    });
    fake.scenarios.set('plan-implement', planImplementScenario);
    const steps: string[] = [];
    const outcome = await runWorkflow({ ...task, onStep: (step) => steps.push(step) });
    expect(outcome.error).toBeNull();
    expect(steps).toEqual(['plan', 'implement']);
    expect(outcome.steps.map((step) => [step.name, step.ok])).toEqual([
      ['plan', true],
      ['implement', true],
    ]);
    expect(await commitsOn(task.repo, task.branch)).toEqual(['Add greeting', 'Plan greeting']);
    expect((await stat(join(task.worktree, 'specs', `plan-${ID}.md`))).isFile()).toBe(true);
    const planLog = await readFile(join(task.runDir, 'plan.log'), 'utf8');
    const implementLog = await readFile(join(task.runDir, 'implement.log'), 'utf8');
    expect(planLog).toContain('PLAN-SUMMARY');
    expect(implementLog).toContain('Implemented the plan');
    const implementRequest = fake.requests.find(
      (request) =>
        request.scenario === 'plan-implement' && request.prompt.includes('Implement the plan in'),
    );
    expect(implementRequest?.prompt).toContain('PLAN-SUMMARY: one file, greeting.txt');
    expect(outcome.numTurns).toBe(4);
    const planCost = outcome.steps[0]?.costUsd ?? 0;
    const implementCost = outcome.steps[1]?.costUsd ?? 0;
    expect(planCost).toBeGreaterThan(0);
    expect(outcome.costUsd).toBeCloseTo(planCost + implementCost, 10);
  });

  it.runIf(isRoot)('as root without IS_SANDBOX=1 the reason says how to fix it', async () => {
    const task = await job('Anything SCENARIO:write-commit', { env: { IS_SANDBOX: '0' } });
    const outcome = await runWorkflow(task);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toBe(
      "claude refuses --dangerously-skip-permissions as root; set IS_SANDBOX=1 in the daemon's environment (containers/sandboxes) or run as a normal user",
    );
    expect(fake.requests).toEqual([]);
  });
});
