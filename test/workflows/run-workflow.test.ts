import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../../src/agents/kill-group.js';
import { agentSpecOf, stepLimitsOf } from '../../src/agents/agent-spec.js';
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';
import { loadWorkflows } from '../../src/workflows/load-workflows.js';
import { parseWorkflow } from '../../src/workflows/parse-workflow.js';
import { runWorkflow } from '../../src/workflows/run-workflow.js';
import type { Workflow, WorkflowJob } from '../../src/workflows/types.js';
import { fakeAgent, type FakeAgent } from '../fixtures/agents/paths.js';
import { git, makeRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

const ID = '0badc0de';
let builtins: Workflow[];

beforeAll(async () => {
  builtins = await loadWorkflows(await tempDir());
});

function builtin(name: string): Workflow {
  const found = builtins.find((workflow) => workflow.name === name);
  if (found === undefined) throw new Error(`no workflow ${name}`);
  return found;
}

interface TestJob extends WorkflowJob {
  repo: string;
  /** Where print-argv, fail-once and claude-result write what they received. */
  out: string;
}

async function makeJob(
  agent: FakeAgent | string[],
  options: {
    workflow?: Workflow;
    config?: ConfigInput;
    env?: Record<string, string>;
    prompt?: string;
    modelTag?: string;
  } = {},
): Promise<TestJob> {
  const repo = await makeRepo();
  const worktree = join(repo, 'trees', ID);
  const branch = `feature-${ID}`;
  await git(repo, 'worktree', 'add', '-q', '-b', branch, worktree, 'main');
  const out = join(await tempDir(), 'out.jsonl');
  const prompt = options.prompt ?? 'Add a hello file';
  return {
    repo,
    out,
    workflow: options.workflow ?? builtin('build'),
    task: {
      id: ID,
      section: 'feature',
      prompt,
      details: ['detail one'],
      description: prompt,
      modelTag: options.modelTag ?? null,
    },
    branch,
    worktree,
    runDir: join(repo, '.adw', 'runs', ID),
    ...agentOf(
      configSchema.parse({
        agent: 'command',
        command: typeof agent === 'string' ? [fakeAgent(agent)] : agent,
        stepTimeout: '20s',
        idleTimeout: '20s',
        ...options.config,
      }),
      repo,
    ),
    env: { ADW_FAKE_OUT: out, ...options.env },
  };
}

function agentOf(config: Config, repo: string): Pick<WorkflowJob, 'agent' | 'limits'> {
  return { agent: agentSpecOf(config, repo), limits: stepLimitsOf(config) };
}

async function lines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

const customWorkflow = (source: string): Workflow => parseWorkflow(source, 'custom.md');

describe('runWorkflow', () => {
  it('runs the build workflow: the agent commits in the worktree, its output is logged', async () => {
    const job = await makeJob('commit');
    const steps: string[] = [];
    const spawns: (number | null)[] = [];
    const outcome = await runWorkflow({
      ...job,
      onStep: (step) => steps.push(step),
      onSpawn: (pid) => spawns.push(pid),
    });
    expect(outcome).toMatchObject({ ok: true, error: null, costUsd: null, numTurns: null });
    expect(outcome.steps).toMatchObject([{ name: 'implement', ok: true, attempts: 1 }]);
    expect(steps).toEqual(['implement']);
    expect(spawns).toHaveLength(2);
    expect(spawns[0]).toBeGreaterThan(0);
    expect(spawns[1]).toBeNull();
    expect(await git(job.worktree, 'log', '-1', '--format=%s')).toBe(`agent: agent-${ID}.txt`);
    expect(await readFile(join(job.runDir, 'implement.log'), 'utf8')).toContain(
      `committed agent-${ID}.txt`,
    );
  });

  it('renders the prompt into one argv element and sets the ADW_* environment', async () => {
    const job = await makeJob('print-argv', {
      prompt: 'Say "hi"; $(touch pwned) `id` {{id}}',
      env: { EXTRA_FROM_DAEMON: 'x' },
    });
    const outcome = await runWorkflow(job);
    expect(outcome.ok).toBe(true);
    const [seen] = await lines<{ argv: string[]; env: Record<string, string>; cwd: string }>(
      job.out,
    );
    expect(seen?.argv).toHaveLength(1);
    const prompt = seen?.argv[0] ?? '';
    expect(prompt).toContain('Say "hi"; $(touch pwned) `id` {{id}}\n');
    expect(prompt).toContain(`task id ${ID}, section feature`);
    expect(prompt).toContain(`on branch feature-${ID}`);
    expect(prompt).not.toMatch(/\{\{(task|worktree|branch|section)\}\}/);
    expect(seen?.env).toMatchObject({
      ADW_ID: ID,
      ADW_SECTION: 'feature',
      ADW_STEP: 'implement',
      ADW_WORKTREE: job.worktree,
      ADW_BRANCH: `feature-${ID}`,
    });
    expect(seen?.cwd).toBe(job.worktree);
    expect(await readdir(job.worktree)).not.toContain('pwned');
  });

  it('retries a failed agent step with the failure appended to its prompt', async () => {
    const job = await makeJob('fail-once', { config: { retries: 1 } });
    const outcome = await runWorkflow(job);
    expect(outcome).toMatchObject({ ok: true, error: null });
    expect(outcome.steps).toMatchObject([{ name: 'implement', ok: true, attempts: 2 }]);
    const prompts = await lines<string>(job.out);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).not.toContain('The previous attempt failed');
    expect(prompts[1]).toBe(
      `${prompts[0] ?? ''}\n\nThe previous attempt failed: agent exited with code 1: first attempt broke`,
    );
    const log = await readFile(join(job.runDir, 'implement.log'), 'utf8');
    expect(log).toContain('first attempt broke');
    expect(log).toContain('attempt 2 of 2');
    expect(log).toContain('second attempt fine');
  });

  it('fails after the last retry with the reason of the last attempt', async () => {
    const job = await makeJob('fail', {
      config: { retries: 2 },
      env: { ADW_FAKE_MESSAGE: 'cannot compile' },
    });
    const outcome = await runWorkflow(job);
    expect(outcome).toMatchObject({ ok: false, error: 'agent exited with code 1: cannot compile' });
    expect(outcome.steps).toMatchObject([{ name: 'implement', ok: false, attempts: 3 }]);
    const log = await readFile(join(job.runDir, 'implement.log'), 'utf8');
    expect(log.match(/cannot compile/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('fails a run whose agent says WORK_RESULT:failed although it exits 0', async () => {
    const job = await makeJob('work-result-failed', { config: { retries: 0 } });
    const outcome = await runWorkflow(job);
    expect(outcome).toMatchObject({ ok: false, error: 'agent reported WORK_RESULT:failed' });
    expect(outcome.steps).toMatchObject([{ ok: false, attempts: 1 }]);
  });

  it('does not retry a step timeout, and leaves no process behind', async () => {
    const job = await makeJob('grandchild', {
      config: { retries: 3, stepTimeout: '1s' },
      env: { ADW_FAKE_PID_FILE: 'gc.pid' },
    });
    const pids: number[] = [];
    const outcome = await runWorkflow({
      ...job,
      onSpawn: (pid) => {
        if (pid !== null) pids.push(pid);
      },
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'step implement timed out after 1s (stepTimeout)',
    });
    expect(outcome.steps).toMatchObject([{ attempts: 1 }]);
    expect(pids).toHaveLength(1);
    expect(await isGroupAlive(pids[0]!)).toBe(false);
  });

  it('stops on abort without retrying or starting the next step', async () => {
    const job = await makeJob('hang', {
      workflow: customWorkflow('---\nname: two\n---\n## first\nGo\n## second\nGo on\n'),
      config: { retries: 2 },
    });
    const controller = new AbortController();
    const steps: string[] = [];
    const outcome = await runWorkflow({
      ...job,
      signal: controller.signal,
      onStep: (step) => steps.push(step),
      onSpawn: (pid) => {
        if (pid !== null)
          setTimeout(() => {
            controller.abort();
          }, 200);
      },
    });
    expect(outcome).toMatchObject({ ok: false, error: 'step first was stopped' });
    expect(outcome.steps).toMatchObject([{ name: 'first', ok: false, attempts: 1 }]);
    expect(steps).toEqual(['first']);
  });

  it('reports a missing agent executable once, without retrying', async () => {
    const job = await makeJob(['adw-missing-agent-xyz'], { config: { retries: 2 } });
    const outcome = await runWorkflow(job);
    expect(outcome).toMatchObject({
      ok: false,
      error: 'agent executable not found: adw-missing-agent-xyz',
    });
    expect(outcome.steps).toMatchObject([{ attempts: 1 }]);
  });

  it('feeds a step the result text of the step before and sums cost, turns and usage', async () => {
    const job = await makeJob('claude-result', {
      workflow: customWorkflow(
        '---\nname: two\n---\n## plan\nPlan {{task}}\n## implement\nBased on: {{plan.output}}\n',
      ),
    });
    const outcome = await runWorkflow(job);
    expect(outcome).toMatchObject({
      ok: true,
      costUsd: 0.5,
      numTurns: 6,
      sessionId: 's-implement',
      usage: { inputTokens: 20, outputTokens: 10, cacheReadTokens: 4, cacheCreationTokens: 2 },
    });
    expect(outcome.steps.map((step) => [step.name, step.costUsd])).toEqual([
      ['plan', 0.25],
      ['implement', 0.25],
    ]);
    const prompts = await lines<string>(job.out);
    expect(prompts).toEqual(['Plan Add a hello file', 'Based on: All done in plan']);
    expect((await readdir(job.runDir)).sort()).toEqual(['implement.log', 'plan.log']);
  });

  it('feeds the output tail of a non-claude agent to later steps', async () => {
    const job = await makeJob('print-argv', {
      workflow: customWorkflow(
        '---\nname: two\n---\n## check\n```sh\necho "checked $ADW_ID"\n```\n## fix\nFix: {{check.output}}\n',
      ),
    });
    const outcome = await runWorkflow(job);
    expect(outcome).toMatchObject({ ok: true, error: null });
    expect(await readFile(join(job.runDir, 'check.log'), 'utf8')).toBe(`checked ${ID}\n`);
    const [seen] = await lines<{ argv: string[] }>(job.out);
    expect(seen?.argv).toEqual([`Fix: checked ${ID}\n`]);
  });

  it('runs sh steps in the worktree with the ADW_* variables and fails on a non-zero exit', async () => {
    const job = await makeJob('edit', {
      workflow: customWorkflow(
        [
          '---',
          'name: checked',
          '---',
          '## implement',
          'Do {{task}}',
          '## verify',
          '```sh',
          'test -f "agent-$ADW_ID.txt" && echo "ok $ADW_SECTION $ADW_STEP $ADW_BRANCH"',
          '```',
          '## gate',
          '```sh',
          'echo "gate says no"; exit 3',
          '```',
          '## never',
          'Not reached',
        ].join('\n'),
      ),
    });
    const steps: string[] = [];
    const outcome = await runWorkflow({ ...job, onStep: (step) => steps.push(step) });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'step gate exited with code 3: gate says no',
    });
    expect(outcome.steps.map((step) => [step.name, step.ok, step.attempts])).toEqual([
      ['implement', true, 1],
      ['verify', true, 1],
      ['gate', false, 1],
    ]);
    expect(steps).toEqual(['implement', 'verify', 'gate']);
    expect(await readFile(join(job.runDir, 'verify.log'), 'utf8')).toBe(
      `ok feature verify feature-${ID}\n`,
    );
  });

  it('runs codex as `codex exec --json` with full access, no --model, and the prompt on stdin', async () => {
    const job = await makeJob('noop', {
      config: { agent: 'codex', codexBin: fakeAgent('print-argv'), agentArgs: ['--json'] },
    });
    const outcome = await runWorkflow(job);
    expect(outcome.ok).toBe(true);
    const [seen] = await lines<{ argv: string[]; stdin: string }>(job.out);
    const argv = seen?.argv ?? [];
    expect(argv).toEqual([
      'exec',
      '--json',
      '--dangerously-bypass-approvals-and-sandbox',
      '--skip-git-repo-check',
      '--json',
      '-',
    ]);
    expect(seen?.stdin).toContain('Add a hello file');
  });

  it.each<[string, string | undefined, string]>([
    ['the workflow model without a model tag', undefined, 'haiku'],
    ['the task model when it was tagged', 'opus', 'opus'],
  ])('uses %s', async (_name, modelTag, expected) => {
    const job = await makeJob('noop', {
      workflow: customWorkflow('---\nname: m\nmodel: haiku\n---\n## go\n{{task}}\n'),
      config: { agent: 'claude', claudeBin: fakeAgent('print-argv') },
      ...(modelTag === undefined ? {} : { modelTag }),
    });
    await runWorkflow(job);
    const [seen] = await lines<{ argv: string[] }>(job.out);
    expect(seen?.argv.slice(0, 2)).toEqual(['-p', `--model=${expected}`]);
  });
});
