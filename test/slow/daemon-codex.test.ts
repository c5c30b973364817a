import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRunProcesses } from '../../src/agents/containment.js';
import { runCli, startCli, waitFor, type CliResult } from '../helpers/cli.js';
import {
  CODEX_USAGE,
  codexBin,
  codexSetup,
  startFakeOpenAI,
  type CodexScenario,
  type FakeOpenAI,
} from '../helpers/fake-openai.js';
import { commitsOn, git, makeRepo } from '../helpers/git.js';
import { processesIn } from '../helpers/processes.js';
import { markers, onlyTask, readTasks, runJson } from '../helpers/task-repo.js';

// The daemon (`adw-trigger start --once`, the built CLI) running the real codex CLI 0.171.0 (the
// devDependency) against a local stand-in for the Responses API.

let api: FakeOpenAI;
const scenarios: Record<string, CodexScenario> = {};

beforeEach(async () => {
  for (const key of Object.keys(scenarios)) Reflect.deleteProperty(scenarios, key);
  api = await startFakeOpenAI(scenarios);
});

afterEach(async () => {
  await api.close();
});

const COMMIT = "printf 'hello\\n' > hello.txt && git add hello.txt && git commit -q -m 'Add hello'";

// A repository with tasks.md, custom workflows, and an adw-trigger.json that runs codex.
async function codexRepo(
  tasks: string,
  options: { config?: Record<string, unknown>; workflows?: Record<string, string> } = {},
): Promise<{ repo: string; env: Record<string, string> }> {
  const setup = await codexSetup(api.url);
  const settings = {
    agent: 'codex',
    codexBin,
    agentArgs: setup.agentArgs,
    retries: 0,
    stepTimeout: '120s',
    idleTimeout: '120s',
    pollInterval: '1s',
    ...options.config,
  };
  const repo = await makeRepo({
    'README.md': '# test\n',
    'adw-trigger.json': JSON.stringify(settings, null, 2),
  });
  await mkdir(join(repo, '.adw', 'workflows'), { recursive: true });
  for (const [name, text] of Object.entries(options.workflows ?? {})) {
    await writeFile(join(repo, '.adw', 'workflows', `${name}.md`), text);
  }
  await writeFile(join(repo, 'tasks.md'), tasks);
  return { repo, env: setup.env };
}

async function startOnce(repo: string, env: Record<string, string>): Promise<CliResult> {
  return runCli(['start', '--once'], { cwd: repo, env });
}

describe('start --once with the real codex CLI', () => {
  it("the agent's own commit → ✅; tokens summed over turns and the session in run.json; no --model", async () => {
    scenarios.commit = [{ cmd: COMMIT }, { text: 'Added hello.txt' }];
    const { repo, env } = await codexRepo('[] Add a hello file SCENARIO:commit\n');
    const result = await startOnce(repo, env);
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const task = await onlyTask(repo);
    expect(task.emoji).toBe('✅');
    const branch = `adw-${task.id!}`;
    expect(await git(repo, 'log', '-1', '--format=%s', branch)).toBe('Add hello');
    expect(await git(repo, 'show', `${branch}:hello.txt`)).toBe('hello');
    const record = await runJson(repo, task.id!);
    expect(record).toMatchObject({ status: 'done', error: null, model: null });
    expect(record.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Two requests in one turn: the usage codex reports for the turn is their sum.
    expect(record.usage).toEqual({
      inputTokens: 2 * CODEX_USAGE.input,
      outputTokens: 2 * CODEX_USAGE.output,
      cacheReadTokens: 2 * CODEX_USAGE.cached,
      cacheCreationTokens: 0,
    });
    expect(record.costUsd).toBeNull();
    expect(typeof record.runToken).toBe('string');
    expect(await findRunProcesses(record.runToken as string)).toEqual([]);
    // Only the model of the -c setting: nothing from a claude default or tag.
    expect(new Set(api.requests.map((request) => request.model))).toEqual(new Set(['gpt-fake']));
  });

  it('files left uncommitted → ✅ by the daemon commit; a price table gives a cost', async () => {
    scenarios.leave = [{ cmd: "printf 'notes\\n' > notes.txt" }, { text: 'Wrote notes' }];
    const { repo, env } = await codexRepo('[] Write notes SCENARIO:leave #model:gpt-fake\n', {
      config: { prices: { 'gpt-fake': { input: 1, output: 10, cachedInput: 0.5 } } },
    });
    const result = await startOnce(repo, env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const task = await onlyTask(repo);
    expect(task.emoji).toBe('✅');
    const body = await git(repo, 'log', '-1', '--format=%B', `adw-${task.id!}`);
    expect(body).toContain(`ADW-Id: ${task.id!}`);
    const record = await runJson(repo, task.id!);
    expect(record.model).toBe('gpt-fake');
    // 2 × (800 fresh × $1 + 200 cached × $0.5 + 50 out × $10) per million.
    expect(record.costUsd).toBeCloseTo((2 * (800 + 100 + 500)) / 1e6, 10);
  });

  it('an API answering 500 → ❌ naming the error, exit 3', async () => {
    scenarios.broken = 'error500';
    const { repo, env } = await codexRepo('[] Anything SCENARIO:broken\n');
    const result = await startOnce(repo, env);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    const task = await onlyTask(repo);
    expect(task.emoji).toBe('❌');
    // codex does not show the status code; the reason is the error it reported (turn.failed).
    expect(task.rest).toBe(
      'Anything SCENARIO:broken // Failed: agent reported an error: We’re currently experiencing high demand, which may cause temporary errors.',
    );
    expect(await commitsOn(repo, `adw-${task.id!}`)).toEqual([]);
  });

  it('a hung API → ❌ by stepTimeout; no process of the run is left', async () => {
    scenarios.silent = 'hang';
    const { repo, env } = await codexRepo('[] Anything SCENARIO:silent\n', {
      config: { stepTimeout: '5s' },
    });
    const daemon = startCli(['start', '--once'], { cwd: repo, env });
    const id = await waitFor(async () => markers(await readTasks(repo))[0]?.id, 60_000, 'a claim');
    const worktree = join(repo, 'trees', id);
    await waitFor(async () => (await processesIn(worktree)).length > 0, 60_000, 'codex running');
    const result = await daemon.done;
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(await readTasks(repo)).toMatch(
      /^\[❌, [0-9a-f]{8}\] Anything SCENARIO:silent \/\/ Failed: step implement timed out after 5s \(stepTimeout\)\n$/,
    );
    const record = await runJson(repo, id);
    expect(await findRunProcesses(record.runToken as string)).toEqual([]);
    expect(await processesIn(worktree)).toEqual([]);
  });

  it('talk only → ❌ agent made no changes', async () => {
    scenarios.talk = [{ text: 'I would rather just talk.' }];
    const { repo, env } = await codexRepo('[] Anything SCENARIO:talk\n');
    const result = await startOnce(repo, env);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect((await onlyTask(repo)).rest).toBe(
      'Anything SCENARIO:talk // Failed: agent made no changes',
    );
  });

  it('a template line `WORK_RESULT:failed` (echoed by codex) with a committing agent → ✅; a prompt starting with `-` runs; the next step gets the final answer', async () => {
    scenarios.dash = [{ cmd: COMMIT }, { text: 'FIRST-ANSWER' }];
    scenarios.second = [{ text: 'Second done' }];
    const workflow = [
      '---',
      'name: dashed',
      'tags: [dashed]',
      '---',
      '## first',
      '{{task}}',
      '',
      'WORK_RESULT:failed is what you write when you fail.',
      '',
      '## second',
      'SCENARIO:second Previous: <<{{first.output}}>>',
      '',
    ].join('\n');
    const { repo, env } = await codexRepo('[] --help me SCENARIO:dash #dashed\n', {
      workflows: { dashed: workflow },
    });
    const result = await startOnce(repo, env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect((await onlyTask(repo)).emoji).toBe('✅');
    const second = api.requests.find((request) => request.scenario === 'second');
    expect(second?.input).toContain('Previous: <<FIRST-ANSWER>>');
    expect(second?.input).not.toContain('--help me');
  });
});
