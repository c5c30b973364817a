import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type CliResult } from '../helpers/cli.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { claudeBin, claudeEnv, isRoot, planImplementScenario } from '../helpers/claude.js';
import { commitsOn, git, makeRepo } from '../helpers/git.js';
import { processesIn } from '../helpers/processes.js';
import { markers, onlyTask, readTasks, runJson } from '../helpers/task-repo.js';

// The daemon (`adw-trigger start --once`, the built CLI) running the real Claude Code 2.0.77 (the
// devDependency) against a local stand-in for the Messages API.

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

// A repository with tasks.md and an adw-trigger.json that runs the claude agent.
async function claudeRepo(tasks: string, config: Record<string, unknown> = {}): Promise<string> {
  const settings = {
    agent: 'claude',
    claudeBin,
    retries: 0,
    stepTimeout: '90s',
    idleTimeout: '60s',
    pollInterval: '1s',
    ...config,
  };
  const repo = await makeRepo({
    'README.md': '# test\n',
    'adw-trigger.json': JSON.stringify(settings, null, 2),
  });
  await writeFile(join(repo, 'tasks.md'), tasks);
  return repo;
}

// `adw-trigger start --once` in the repository, to its end.
async function startOnce(repo: string, extra: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['start', '--once'], { cwd: repo, env: await claudeEnv(fake.url, extra) });
}

// The worktree named in the prompt of the built-in workflows ("…a git worktree at PATH, on…").
function worktreeOf(prompt: string): string {
  const found = /git worktree at (\S+?), on branch/.exec(prompt)?.[1];
  if (found === undefined) throw new Error(`no worktree in prompt ${prompt}`);
  return found;
}

describe('start --once with real Claude Code', () => {
  it('the agent writes a file and commits it: ✅ with that commit, merged into the section branch; ADW_* reach the agent', async () => {
    fake.scenarios.set('write-commit', [
      {
        tool: 'Bash',
        input: {
          command:
            'printf \'hello %s %s %s\\n\' "$ADW_ID" "$ADW_SECTION" "$ADW_STEP" > hello.txt && git add hello.txt && git commit -q -m \'Add hello\'',
          description: 'Write and commit hello.txt',
        },
      },
      { text: 'Committed hello.txt' },
    ]);
    const repo = await claudeRepo(
      '## Git Worktree greet\n[] Add hello.txt SCENARIO:write-commit\n',
    );
    const result = await startOnce(repo);
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const task = await onlyTask(repo);
    expect(task.emoji).toBe('✅');
    expect(task.rest).toBe('Add hello.txt SCENARIO:write-commit');
    const branch = `greet-${task.id!}`;
    const tip = await git(repo, 'rev-parse', branch);
    expect(tip.startsWith(task.hash!)).toBe(true);
    // The agent's own commit is the tip: the daemon had nothing left to commit.
    expect(await commitsOn(repo, branch)).toEqual(['Add hello']);
    expect(await git(repo, 'show', '--name-only', '--format=', tip)).toBe('hello.txt');
    // The agent ran with the task's ADW_* variables in its environment.
    expect(await git(repo, 'show', `${tip}:hello.txt`)).toBe(`hello ${task.id!} greet implement`);
    expect(await git(repo, 'rev-parse', 'greet')).toBe(tip);
    expect(await git(repo, 'ls-tree', '--name-only', 'greet')).toContain('hello.txt');
    expect(await git(join(repo, 'trees', task.id!), 'status', '--porcelain')).toBe('');
    // The task text reached the API through the built-in build workflow.
    const main = fake.requests.find((request) => request.scenario === 'write-commit');
    expect(main?.prompt).toContain('Add hello.txt SCENARIO:write-commit');
    expect(main?.prompt).toContain(`task id ${task.id!}`);
    expect(main?.model).toMatch(/sonnet/);
  });

  it('the agent writes without committing: the daemon commits it with the ADW-Id trailer, ✅', async () => {
    fake.scenarios.set('write-only', (prompt) => [
      {
        tool: 'Write',
        input: { file_path: join(worktreeOf(prompt), 'notes.txt'), content: 'some notes\n' },
      },
      { text: 'Wrote notes.txt' },
    ]);
    const repo = await claudeRepo('[] Write notes SCENARIO:write-only\n');
    const result = await startOnce(repo);
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const task = await onlyTask(repo);
    expect(task.emoji).toBe('✅');
    const branch = `adw-${task.id!}`;
    const tip = await git(repo, 'rev-parse', branch);
    expect(tip.startsWith(task.hash!)).toBe(true);
    expect(await commitsOn(repo, branch)).toHaveLength(1);
    const body = await git(repo, 'log', '-1', '--format=%B', branch);
    expect(body).toContain('Write notes SCENARIO:write-only');
    expect(body).toContain(`ADW-Id: ${task.id!}`);
    expect(await git(repo, 'show', `${tip}:notes.txt`)).toBe('some notes');
    expect(await git(repo, 'ls-tree', '--name-only', 'adw')).toContain('notes.txt');
    expect(await git(join(repo, 'trees', task.id!), 'status', '--porcelain')).toBe('');
  });

  it('an API answering 500 fails the task with the reason from the agent, exit 3', async () => {
    fake.scenarios.set('broken', 'error500');
    const repo = await claudeRepo('[] Anything SCENARIO:broken\n');
    const result = await startOnce(repo, { CLAUDE_CODE_MAX_RETRIES: '0' });
    expect(result.code, result.stdout + result.stderr).toBe(3);

    const text = await readTasks(repo);
    expect(text).toMatch(
      /^\[❌, [0-9a-f]{8}\] Anything SCENARIO:broken \/\/ Failed: agent reported an error: API Error: 500 .*Internal server error \(fake\)/,
    );
    const task = await onlyTask(repo);
    expect(await commitsOn(repo, `adw-${task.id!}`)).toEqual([]);
    const record = await runJson(repo, task.id!);
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/^agent reported an error: API Error: 500/);
    expect(fake.requests.some((request) => request.scenario === 'broken')).toBe(true);
  });

  it('with retries: 1 a failed step runs once more, the error appended to its prompt, then ❌', async () => {
    fake.scenarios.set('broken', 'error500');
    const repo = await claudeRepo('[] Anything SCENARIO:broken\n', {
      retries: 1,
      retryBackoff: '1s',
    });
    const result = await startOnce(repo, { CLAUDE_CODE_MAX_RETRIES: '0' });
    expect(result.code, result.stdout + result.stderr).toBe(3);

    const task = await onlyTask(repo);
    expect(task.emoji).toBe('❌');
    expect(task.rest).toMatch(/Failed: agent reported an error: API Error: 500/);
    const prompts = new Set(
      fake.requests
        .filter((request) => request.scenario === 'broken')
        .map((request) => request.prompt),
    );
    const [first, second, ...more] = [...prompts];
    expect(more).toEqual([]);
    expect(first).not.toContain('The previous attempt failed');
    expect(second).toContain(
      'The previous attempt failed: agent reported an error: API Error: 500',
    );
  });

  it('an API that never answers fails the task by stepTimeout, naming the limit; no claude is left', async () => {
    fake.scenarios.set('silent', 'hang');
    const repo = await claudeRepo('[] Anything SCENARIO:silent\n', { stepTimeout: '5s' });
    const daemon = startCli(['start', '--once'], { cwd: repo, env: await claudeEnv(fake.url) });
    // While the API keeps it waiting, claude runs in the task's worktree.
    const id = await waitFor(async () => markers(await readTasks(repo))[0]?.id, 20_000, 'a claim');
    const worktree = join(repo, 'trees', id);
    if (process.platform === 'linux') {
      await waitFor(async () => (await processesIn(worktree)).length > 0, 20_000, 'claude');
    }
    const result = await daemon.done;
    expect(result.code, result.stdout + result.stderr).toBe(3);

    const text = await readTasks(repo);
    expect(text).toMatch(
      /^\[❌, [0-9a-f]{8}\] Anything SCENARIO:silent \/\/ Failed: step implement timed out after 5s \(stepTimeout\)\n$/,
    );
    const task = await onlyTask(repo);
    const record = await runJson(repo, task.id!);
    expect(record.error).toBe('step implement timed out after 5s (stepTimeout)');
    expect(task.id).toBe(id);
    // The daemon has exited: no process of the agent is left working in the worktree.
    if (process.platform === 'linux') expect(await processesIn(worktree)).toEqual([]);
  });

  it('a task tagged {adw_plan_implement} runs plan then implement, each with its own log, ✅', async () => {
    fake.scenarios.set('plan-implement', planImplementScenario);
    const repo = await claudeRepo(
      '[] Add a greeting SCENARIO:plan-implement {adw_plan_implement}\n',
    );
    const result = await startOnce(repo);
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const task = await onlyTask(repo);
    expect(task.emoji).toBe('✅');
    const branch = `adw-${task.id!}`;
    expect(await commitsOn(repo, branch)).toEqual(['Add greeting', 'Plan greeting']);
    expect((await git(repo, 'rev-parse', branch)).startsWith(task.hash!)).toBe(true);
    const runDir = join(repo, '.adw', 'runs', task.id!);
    const planLog = await readFile(join(runDir, 'plan.log'), 'utf8');
    const implementLog = await readFile(join(runDir, 'implement.log'), 'utf8');
    expect(planLog).toContain('PLAN-SUMMARY');
    expect(planLog).not.toContain('Implemented the plan');
    expect(implementLog).toContain('Implemented the plan');
    // The two steps were two claude sessions, the second one given the plan's output.
    const prompts = fake.requests
      .filter((request) => request.scenario === 'plan-implement' && request.turn === 0)
      .map((request) => request.prompt);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain('Do not implement anything yet');
    expect(prompts[1]).toContain('PLAN-SUMMARY: one file, greeting.txt');
    const record = await runJson(repo, task.id!);
    expect(record).toMatchObject({ workflow: 'plan-implement', step: 'implement', numTurns: 4 });
  });

  it('records cost and turns in run.json, status --json shows the task done; a model tag reaches claude', async () => {
    fake.scenarios.set('cost', [
      {
        tool: 'Bash',
        input: {
          command: "printf 'x\\n' > cost.txt && git add cost.txt && git commit -q -m 'Cost'",
        },
      },
      { text: 'Done' },
    ]);
    const repo = await claudeRepo('[] Count the cost SCENARIO:cost #opus\n');
    const result = await startOnce(repo);
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const task = await onlyTask(repo);
    expect(task.emoji).toBe('✅');
    const record = await runJson(repo, task.id!);
    expect(record.status).toBe('done');
    expect(record.costUsd).toBeGreaterThan(0);
    expect(record.numTurns).toBeGreaterThanOrEqual(1);
    expect(record.sessionId).toMatch(/\S/);
    expect(record.commit).toBe(await git(repo, 'rev-parse', `adw-${task.id!}`));
    expect(record.error).toBeNull();
    // The model tag reached claude.
    expect(record.model).toBe('opus');
    const main = fake.requests.find((request) => request.scenario === 'cost');
    expect(main?.model).toMatch(/opus/);

    const status = await runCli(['status', '--json'], { cwd: repo });
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as {
      tasks: { id: string | null; status: string; commit: string | null; error: string | null }[];
      runs: unknown[];
    };
    expect(report.tasks).toHaveLength(1);
    expect(report.tasks[0]).toMatchObject({
      id: task.id,
      status: 'done',
      commit: task.hash,
      error: null,
    });
    expect(report.runs).toEqual([]);
  });

  it.runIf(isRoot)(
    'as root without IS_SANDBOX=1 the task fails with a reason that says how to fix it',
    async () => {
      fake.scenarios.set('write-commit', [{ text: 'never reached' }]);
      const repo = await claudeRepo('[] Anything SCENARIO:write-commit\n');
      const result = await startOnce(repo, { IS_SANDBOX: '0' });
      expect(result.code, result.stdout + result.stderr).toBe(3);

      const task = await onlyTask(repo);
      expect(task.emoji).toBe('❌');
      expect(task.rest).toContain('set IS_SANDBOX=1');
      expect(task.rest).toBe(
        "Anything SCENARIO:write-commit // Failed: claude refuses --dangerously-skip-permissions as root; set IS_SANDBOX=1 in the daemon's environment (containers/sandboxes) or run as a normal user",
      );
      expect(fake.requests).toEqual([]);
      expect(existsSync(join(repo, '.adw', 'runs', task.id!, 'implement.log'))).toBe(true);
    },
  );
});
