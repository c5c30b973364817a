import { existsSync } from 'node:fs';
import { readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type CliResult } from '../helpers/cli.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { git, makeRepo } from '../helpers/git.js';
import { markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

// The daemon (`adw-trigger start --once`, the built CLI) running the real Claude Code 2.0.77 (the
// devDependency) against a local stand-in for the Messages API.
const claudeBin = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));
const isRoot = process.getuid?.() === 0;

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

// Environment of the daemon (and so of claude): claude pointed at the fake API.
async function claudeEnv(extra: Record<string, string>): Promise<Record<string, string>> {
  return {
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: 'dummy',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    HOME: await tempDir('adw-home-'),
    // Whatever the surrounding shell says: claude only accepts exactly `1`.
    IS_SANDBOX: isRoot ? '1' : '0',
    ...extra,
  };
}

// `adw-trigger start --once` in the repository, to its end.
async function startOnce(repo: string, extra: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['start', '--once'], { cwd: repo, env: await claudeEnv(extra) });
}

// The only task of a task file, after the run.
async function onlyTask(repo: string): Promise<ReturnType<typeof markers>[number]> {
  const tasks = markers(await readTasks(repo));
  expect(tasks).toHaveLength(1);
  return tasks[0]!;
}

async function runJson(repo: string, id: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(repo, '.adw', 'runs', id, 'run.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

// The subjects of the commits of BRANCH that `main` does not have, newest first.
async function commitsOn(repo: string, branch: string): Promise<string[]> {
  const log = await git(repo, 'log', '--format=%s', `main..${branch}`);
  return log === '' ? [] : log.split('\n');
}

// The worktree named in the prompt of the built-in workflows ("…a git worktree at PATH, on…").
function worktreeOf(prompt: string): string {
  const found = /git worktree at (\S+?), on branch/.exec(prompt)?.[1];
  if (found === undefined) throw new Error(`no worktree in prompt ${prompt}`);
  return found;
}

// Pids of the processes whose working directory is DIR or below it (Linux /proc).
async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = await readlink(join('/proc', entry, 'cwd'));
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to look at.
    }
  }
  return found;
}

describe('scratch', () => {
  it('idle', async () => {
    fake.scenarios.set('silent', 'hang');
    const repo = await claudeRepo('[] Anything SCENARIO:silent\n', { idleTimeout: '4s' });
    const r = await startOnce(repo);
    console.log(r.code, await readTasks(repo));
  });
  it('retry 500', async () => {
    fake.scenarios.set('broken', 'error500');
    const repo = await claudeRepo('[] Anything SCENARIO:broken\n', { retries: 1 });
    const r = await startOnce(repo, { CLAUDE_CODE_MAX_RETRIES: '0' });
    console.log(r.code, await readTasks(repo), fake.requests.filter((q) => q.scenario === 'broken').map((q) => q.prompt.slice(-300)));
  });
});
