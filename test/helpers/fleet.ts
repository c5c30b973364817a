import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { join } from 'node:path';
import { fakeAgent } from '../fixtures/agents/paths.js';
import type { FakeAgent } from '../fixtures/agents/paths.js';
import { startCli, waitFor } from './cli.js';
import type { CliProcess } from './cli.js';
import { git } from './git.js';
import { startRedis } from './redis.js';
import type { RedisServer } from './redis.js';
import { makeTaskRepo, markers, readTasks } from './task-repo.js';
import { tempDir } from './temp.js';

/** A fleet of one test: Redis, a bare remote, the coordinator's repository, worker folders. */
export interface FleetScene {
  redis: RedisServer;
  remote: string;
  repo: string;
  /** The fake agent appends each run's task ID here, one line per run. */
  agentLog: string;
  coordinator: CliProcess | null;
  workers: CliProcess[];
  /** The `--dir` of each worker started. */
  workerDirs: Map<CliProcess, string>;
  startCoordinator(): CliProcess;
  startWorker(options?: {
    concurrency?: number;
    sleepMs?: number;
    /** Small lock and stall timings (a lost worker's job moves within seconds). */
    quickStall?: boolean;
    /** More environment for the worker and its agents. */
    env?: Record<string, string>;
    /** More arguments of `worker`. */
    args?: string[];
  }): Promise<CliProcess>;
  /** Agent runs so far: task IDs in the order they started. */
  runs(): Promise<string[]>;
  /** Stops every process and Redis. */
  stop(): Promise<void>;
}

// Small lock and stall timings, so a lost worker's job runs again within seconds.
const STALL = { ADW_QUEUE_LOCK_DURATION: '3000', ADW_QUEUE_STALLED_INTERVAL: '1000' };

/** Starts Redis and makes the repositories; processes are started by the test. */
export async function makeFleet(
  tasks: string,
  options: {
    config?: Record<string, unknown>;
    sleepMs?: number;
    /** The agent of the tasks (default `log-commit`). */
    agent?: FakeAgent;
    /** More files of the repository's first commit. */
    files?: Record<string, string>;
  } = {},
): Promise<FleetScene> {
  const redis = await startRedis();
  const remote = join(await tempDir('adw-remote-'), 'remote.git');
  await git(process.cwd(), 'init', '-q', '--bare', '-b', 'main', remote);
  const repo = await makeTaskRepo(tasks, {
    agent: fakeAgent(options.agent ?? 'log-commit'),
    config: { queue: redis.url, concurrency: 6, ...options.config },
    ...(options.files === undefined ? {} : { files: options.files }),
  });
  await git(repo, 'remote', 'add', 'origin', remote);
  await git(repo, 'push', '-q', 'origin', 'main');
  const agentLog = join(await tempDir('adw-agent-log-'), 'runs.log');
  const scene: FleetScene = {
    redis,
    remote,
    repo,
    agentLog,
    coordinator: null,
    workers: [],
    workerDirs: new Map(),
    startCoordinator() {
      const coordinator = startCli(['start', '--log-level', 'debug'], { cwd: repo });
      scene.coordinator = coordinator;
      return coordinator;
    },
    async startWorker(worker = {}) {
      const dir = await tempDir('adw-worker-');
      const args = ['worker', '--queue', redis.url, '--dir', join(dir, 'w')];
      args.push('--concurrency', String(worker.concurrency ?? 2), ...(worker.args ?? []));
      const env = {
        ...(worker.quickStall === true ? STALL : {}),
        ADW_FAKE_LOG: agentLog,
        ADW_FAKE_SLEEP_MS: String(worker.sleepMs ?? options.sleepMs ?? 0),
        ...worker.env,
      };
      const process = startCli(args, { cwd: dir, env });
      scene.workers.push(process);
      scene.workerDirs.set(process, join(dir, 'w'));
      await waitFor(() => process.output().includes('worker waiting for jobs'), 30_000, 'worker');
      return process;
    },
    async runs() {
      try {
        return (await readFile(agentLog, 'utf8')).split('\n').filter((line) => line !== '');
      } catch {
        return [];
      }
    },
    async stop() {
      const all = [scene.coordinator, ...scene.workers].filter((p) => p !== null);
      for (const process of all) {
        if (process.child.exitCode === null && process.child.signalCode === null) {
          process.child.kill('SIGKILL');
        }
      }
      await Promise.all(all.map((process) => process.done));
      await redis.stop('SIGKILL');
    },
  };
  return scene;
}

/** Waits until every task of the repository shows ✅ (fails early on a ❌). */
export async function waitAllDone(repo: string, timeoutMs: number): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = await readTasks(repo);
      const found = markers(last);
      const failed = found.find((task) => task.emoji === '❌');
      if (failed !== undefined) throw new Error(`task failed: ${failed.rest}`);
      return found.length > 0 && found.every((task) => task.emoji === '✅');
    },
    timeoutMs,
    () => `every task to show ✅:\n${last}`,
  );
}

/** Every task is ✅, its agent ran exactly once, and its commit is on section branch `section`. */
export async function expectEachRunOnce(scene: FleetScene, section: string): Promise<void> {
  const tasks = markers(await readTasks(scene.repo));
  const runs = await scene.runs();
  expect(new Set(runs).size).toBe(runs.length);
  expect(runs.toSorted()).toEqual(tasks.map((task) => task.id).toSorted());
  for (const task of tasks) {
    expect(task.emoji).toBe('✅');
    await git(scene.repo, 'merge-base', '--is-ancestor', task.hash ?? '', section);
  }
}
