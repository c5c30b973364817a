import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { API_ERRORS, startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { claudeBin, claudeEnv } from '../helpers/claude.js';
import {
  CODEX_ERRORS,
  codexBin,
  codexSetup,
  startFakeOpenAI,
  type CodexScenario,
  type FakeOpenAI,
} from '../helpers/fake-openai.js';
import { commitsOn, makeRepo } from '../helpers/git.js';
import { markers, readTasks, runJson } from '../helpers/task-repo.js';

// The daemon running the real Claude Code 2.0.77 and the real codex 0.171.0 (devDependencies)
// against the stand-in APIs answering a 429 with a reset time, a 500 then success, and a 401.

const COMMIT = "printf 'hello\\n' > hello.txt && git add hello.txt && git commit -q -m 'Add hello'";

/** The agent under test: how its repository, environment and scenarios are made. */
interface Agent {
  name: 'claude' | 'codex';
  /** What the agent needs to hear the first reply: the commit, then a short answer. */
  setFailing(
    name: string,
    error: 'usage' | 'server' | 'auth',
    failing: (prompt: string) => boolean,
    resetAt?: number,
  ): void;
  /** Requests that played scenario `name`: when they came, what they answered, their prompt. */
  requests(name: string): { at: number; status: number; prompt: string }[];
  repo(
    tasks: string,
    config: Record<string, unknown>,
  ): Promise<{ repo: string; env: Record<string, string> }>;
  /** The key the ❌ reason of a 401 names. */
  key: string;
}

let anthropic: FakeAnthropic;
let openai: FakeOpenAI;
const codexScenarios: Record<string, CodexScenario> = {};

beforeEach(async () => {
  for (const key of Object.keys(codexScenarios)) Reflect.deleteProperty(codexScenarios, key);
  anthropic = await startFakeAnthropic();
  openai = await startFakeOpenAI(codexScenarios);
});

afterEach(async () => {
  await anthropic.close();
  await openai.close();
});

async function repoWith(tasks: string, settings: Record<string, unknown>): Promise<string> {
  const repo = await makeRepo({
    'README.md': '# test\n',
    'adw-trigger.json': JSON.stringify(settings, null, 2),
  });
  await mkdir(join(repo, '.adw'), { recursive: true });
  await writeFile(join(repo, 'tasks.md'), tasks);
  return repo;
}

const COMMON = { stepTimeout: '120s', idleTimeout: '120s', pollInterval: '1s', concurrency: 1 };

function isMain(request: { model: string | null }): boolean {
  return !/haiku/.test(request.model ?? '');
}

const claude: Agent = {
  name: 'claude',
  key: 'ANTHROPIC_API_KEY',
  setFailing(name, error, failing, resetAt) {
    const then = [
      { tool: 'Bash', input: { command: COMMIT, description: 'Commit hello.txt' } },
      { text: 'Committed hello.txt' },
    ];
    const apiError =
      error === 'usage'
        ? API_ERRORS.usageLimit(resetAt ?? Date.now())
        : error === 'server'
          ? API_ERRORS.serverError
          : API_ERRORS.unauthorized;
    // Claude Code's helper calls on a small model see the prompt too: only the agent's own count.
    anthropic.scenarios.set(name, {
      error: apiError,
      failing: (request) => isMain(request) && failing(request.prompt),
      then,
    });
  },
  requests: (name) =>
    anthropic.requests.filter((request) => request.scenario === name && isMain(request)),
  async repo(tasks, config) {
    const repo = await repoWith(tasks, { agent: 'claude', claudeBin, ...COMMON, ...config });
    // A subscription (OAuth) is what makes claude print when a usage limit resets.
    const env = await claudeEnv(anthropic.url, {
      CLAUDE_CODE_MAX_RETRIES: '0',
      TZ: 'UTC',
      ...(tasks.includes('SCENARIO:limited')
        ? { ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: 'dummy-oauth' }
        : {}),
    });
    return { repo, env };
  },
};

const codex: Agent = {
  name: 'codex',
  key: 'OPENAI_API_KEY',
  setFailing(name, error, failing, resetAt) {
    const apiError =
      error === 'usage'
        ? CODEX_ERRORS.usageLimit(resetAt ?? Date.now())
        : error === 'server'
          ? CODEX_ERRORS.serverError
          : CODEX_ERRORS.unauthorized;
    codexScenarios[name] = {
      error: apiError,
      failing: (request) => failing(request.input),
      then: [{ cmd: COMMIT }, { text: 'Added hello' }],
    };
  },
  requests: (name) =>
    openai.requests
      .filter((request) => request.scenario === name)
      .map(({ at, status, input }) => ({ at, status, prompt: input })),
  async repo(tasks, config) {
    const setup = await codexSetup(openai.url);
    const repo = await repoWith(tasks, {
      agent: 'codex',
      codexBin,
      agentArgs: setup.agentArgs,
      ...COMMON,
      ...config,
    });
    return { repo, env: { ...setup.env, TZ: 'UTC' } };
  },
};

async function statusJson(
  repo: string,
  env: Record<string, string>,
): Promise<Record<string, unknown>> {
  const result = await runCli(['status', '--json'], { cwd: repo, env });
  if (result.code !== 0)
    throw new Error(`status --json exited ${String(result.code)}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

// While polling for the pause, a status call that fails is retried (its message is kept for the
// timeout's report): once, in a full run, `status --json` printed nothing during the daemon's start.
let lastStatusError = '';
async function pauseOf(
  repo: string,
  env: Record<string, string>,
): Promise<Record<string, unknown> | null> {
  try {
    return (await statusJson(repo, env)).pause as Record<string, unknown> | null;
  } catch (error) {
    lastStatusError = String(error);
    return null;
  }
}

async function runIds(repo: string): Promise<string[]> {
  return readdir(join(repo, '.adw', 'runs'));
}

describe.each([claude, codex])('the real $name CLI against a failing API', (agent) => {
  it('a 429 with a reset time pauses dispatch; the task runs again after it, ✅, counted as one task', async () => {
    // Both CLIs print the reset to the minute: the stand-in resets on a minute boundary.
    const resetAt = Math.ceil((Date.now() + 8000) / 60_000) * 60_000;
    agent.setFailing('limited', 'usage', () => Date.now() < resetAt, resetAt);
    const { repo, env } = await agent.repo('[] Add hello SCENARIO:limited\n', { retries: 0 });
    const daemon = startCli(['start', '--once'], { cwd: repo, env });

    const pause = await waitFor(
      () => pauseOf(repo, env),
      90_000,
      () =>
        `a pause in status (last status error: ${lastStatusError}); daemon said ${daemon.output()}`,
    );
    expect(pause).toMatchObject({ kind: 'rate-limit', until: new Date(resetAt).toISOString() });
    const hhmm = new Date(resetAt).toISOString().slice(11, 16);
    const text = await runCli(['status'], { cwd: repo, env });
    expect(text.stdout).toContain(`paused: rate limit until ${hhmm}`);

    const result = await daemon.done;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('✅');
    // One task: one run record, its history holding the rate limit and the wait for it.
    expect(await runIds(repo)).toEqual([task?.id]);
    const record = await runJson(repo, task!.id!);
    expect(record.status).toBe('done');
    const attempts = record.attempts as { class: string; waitMs: number }[];
    expect(attempts.map((attempt) => attempt.class)).toEqual(['rate-limit']);
    expect(attempts[0]!.waitMs).toBeGreaterThan(0);
    // The API saw the limit hit before the reset and the work after it, never in between.
    const requests = agent.requests('limited');
    expect(requests.some((request) => request.status === 429)).toBe(true);
    const firstOk = requests.find((request) => request.status === 200);
    expect(firstOk!.at).toBeGreaterThanOrEqual(resetAt);
    // The log says it once.
    expect(result.stdout.split(`paused: rate limit until ${hhmm}`).length - 1).toBe(1);
    expect(result.stdout).toContain('"released":0');
  });

  it('a 500 then success: retried after the backoff, ✅', async () => {
    // The whole first attempt meets the 500 (claude falls back to a request without streaming).
    agent.setFailing(
      'flaky',
      'server',
      (prompt) => !prompt.includes('The previous attempt failed'),
    );
    const { repo, env } = await agent.repo('[] Add hello SCENARIO:flaky\n', {
      retries: 1,
      retryBackoff: '2s',
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('✅');
    const record = await runJson(repo, task!.id!);
    expect(record.attempts).toMatchObject([{ class: 'transient', waitMs: 2000, attempt: 1 }]);
    const requests = agent.requests('flaky');
    const failed = requests.find((request) => request.status === 500)!;
    const retried = requests.find((request) => request.status === 200)!;
    expect(retried.at - failed.at).toBeGreaterThanOrEqual(2000);
    expect(retried.prompt).toContain('The previous attempt failed');
  });

  it('a 401 fails at once with "authentication" in the reason; the same error next pauses the queue', async () => {
    agent.setFailing('denied', 'auth', () => true);
    const tasks = '[] First SCENARIO:denied\n[] Second SCENARIO:denied\n[] Third SCENARIO:denied\n';
    const { repo, env } = await agent.repo(tasks, { retries: 2, retryBackoff: '1s' });
    const daemon = startCli(['start'], { cwd: repo, env });
    try {
      const status = await waitFor(
        async () => {
          const report = await statusJson(repo, env);
          const [, second] = markers(await readTasks(repo));
          return (report.pause as { kind: string } | null)?.kind === 'permanent' &&
            second?.id === null
            ? report
            : null;
        },
        90_000,
        () => `a permanent pause; daemon said ${daemon.output()}`,
      );
      const [first, second, third] = markers(await readTasks(repo));
      expect(first?.emoji).toBe('❌');
      expect(first?.rest).toMatch(
        new RegExp(`^First SCENARIO:denied // Failed: authentication failed: check ${agent.key}`),
      );
      expect(second).toMatchObject({ emoji: '', id: null, rest: 'Second SCENARIO:denied' });
      expect(third).toMatchObject({ emoji: '', id: null, rest: 'Third SCENARIO:denied' });
      // No retry of a permanent error (one attempt in the record, no prompt with the error
      // appended), and nothing claimed once paused.
      const record = await runJson(repo, first!.id!);
      expect(record.attempts).toMatchObject([{ class: 'permanent', attempt: 1 }]);
      const prompts = agent.requests('denied').map((request) => request.prompt);
      expect(prompts.some((prompt) => prompt.includes('The previous attempt failed'))).toBe(false);
      expect(prompts.some((prompt) => prompt.includes('Second SCENARIO'))).toBe(true);
      expect(prompts.some((prompt) => prompt.includes('Third SCENARIO'))).toBe(false);
      expect((status.pause as { reason: string }).reason).toContain('authentication');
      const text = await runCli(['status'], { cwd: repo, env });
      expect(text.stdout).toContain('paused: authentication failed');
      expect(text.stdout).toContain('restart the daemon');
    } finally {
      daemon.child.kill('SIGTERM');
    }
    const result = await daemon.done;
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});

describe('maxCostPerTask with the real claude CLI', () => {
  it('claude gets --max-budget-usd and stops once a turn passes it: ❌ naming the key, nothing merged', async () => {
    anthropic.scenarios.set('pricey', [
      { tool: 'Bash', input: { command: COMMIT, description: 'Commit hello.txt' } },
      { tool: 'Bash', input: { command: 'echo more', description: 'More work' } },
      { text: 'Done' },
    ]);
    // Each answer of the stand-in costs about $0.005 at sonnet's prices.
    const { repo, env } = await claude.repo('[] Add hello SCENARIO:pricey\n', {
      retries: 1,
      maxCostPerTask: 0.004,
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('❌');
    expect(task?.rest).toMatch(
      /^Add hello SCENARIO:pricey \/\/ Failed: cost \$0\.0\d+ passed maxCostPerTask \(\$0\.0040\): the task was stopped$/,
    );
    // claude stopped by itself after the first answer: the third turn was never asked for.
    const turns = claude.requests('pricey').map((request) => request.status);
    expect(turns.length).toBeGreaterThan(0);
    expect(anthropic.requests.some((r) => r.scenario === 'pricey' && r.turn >= 2)).toBe(false);
    const log = await readFile(join(repo, '.adw', 'runs', task!.id!, 'implement.log'), 'utf8');
    expect(log).toContain('"subtype":"error_max_budget_usd"');
    expect(await commitsOn(repo, 'adw')).toEqual([]);
  });
});
