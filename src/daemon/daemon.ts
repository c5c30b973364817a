import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import { agentSpecOf } from '../agents/index.js';
import { linkExcludes } from '../hooks/link-dirs.js';
import { Lander } from '../land/lander.js';
import { formatTaskId } from '../tasks/index.js';
import { ConfigInForce } from './config-in-force.js';
import type { Daemon, DaemonDeps } from './daemon-deps.js';
import { checkDayBudget } from './dispatch-gate.js';
import { DispatchPause } from './dispatch-pause.js';
import type { DaemonEvent } from './events.js';
import { HeldTasks } from './held-tasks.js';
import { MergeWaiter } from './merge-waiter.js';
import { RunningTask } from './running-task.js';
import { runDir, thisHost } from '../runs/index.js';
import { howSavesAreJudged } from '../store/index.js';
import { howGitIsStarted } from '../system/run-process.js';
import { createScanner } from './scanner.js';
import { startServices, type Services } from './services.js';
import { createTaskLife } from './task-life.js';
import { claimRecord, runClaimedTask } from './task-run.js';

const ONCE_WRITE_ATTEMPTS = 10;

/** Wires watcher, claims, queue, task runs, write-back, heartbeat, recovery and shutdown. */
export function createDaemon(deps: DaemonDeps): Daemon {
  const { config, repo, tasksPath, log } = deps;
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const adwDir = join(repo.root, '.adw');
  const owner = { host: thisHost(), daemonInstance: randomUUID() };
  const live =
    deps.live ??
    new ConfigInForce({
      config,
      workflows: deps.workflows,
      agent: deps.agent ?? agentSpecOf(config, repo.root),
    });
  // Read at each use: a reload changes the defaults and workflows the next scan parses with.
  const parseOptions = live.parseOptions;
  const queue = new PQueue({ concurrency: live.current().config.concurrency });
  // Raising it claims more at once; lowering it stops nothing that runs, only what starts.
  const stopFollowing = live.subscribe((state) => {
    queue.concurrency = live.current().config.concurrency;
    void services?.showConfig(state, live.current());
    if (stopping === null) void scanner.request(true);
  });
  const abort = new AbortController();
  const held = new HeldTasks();
  const lander = new Lander({ config, repo, adwDir, tasksPath, parseOptions, log });
  const merges = new MergeWaiter(repo, adwDir, log, (section) => {
    lander.taskEnded(section, true);
  });
  let services: Services | null = null;
  let stopping: Promise<void> | null = null;
  let setUp: Promise<void> = Promise.resolve();
  const emit = (event: DaemonEvent): void => deps.events?.emit(event);
  /** A task was claimed since the queue was last idle (for the `queue.idle` event). */
  let busy = false;
  const pause = new DispatchPause({
    adwDir,
    owner,
    log,
    clock,
    // Read at each rate limit: the backoff follows the configuration in force.
    get retryBackoffMs() {
      return live.current().config.retryBackoff;
    },
    get maxRetryBackoffMs() {
      return live.current().config.maxRetryBackoff;
    },
    onResume: () => {
      if (stopping === null) void scanner.request(true);
    },
  });
  const checkBudget = (): Promise<void> =>
    checkDayBudget(pause, adwDir, held.records(), live.current().config.maxCostPerDay, clock());

  const scanner = createScanner({
    tasksPath,
    adwDir,
    parseOptions,
    log,
    held,
    merges,
    owner,
    clock,
    // Nothing is claimed while dispatch is paused (rate limit, permanent error, day's budget).
    freeSlots: () =>
      pause.current() === null
        ? live.current().config.concurrency - held.inPhase('claimed', 'running').length
        : 0,
    newId: (taken) => {
      for (;;) {
        const id = formatTaskId(randomBytes(4));
        if (!taken.has(id) && !held.has(id)) return id;
      }
    },
    recordClaims: async (claims) => {
      const saved = claims.map((claim) => {
        const record = claimRecord(claim, live.current(), repo.root, config, owner);
        const running = new RunningTask(claim, record, adwDir, log);
        held.add(running);
        return running.save();
      });
      // Each claim has its own record: written all at once.
      await Promise.all(saved);
    },
    dropClaims: async (claims) => {
      for (const claim of claims) {
        held.delete(claim.id);
        await rm(runDir(adwDir, claim.id), { recursive: true, force: true });
      }
    },
    onClaimed: enqueue,
    emit,
    // The outcome is in the file now: the section may be finished, and its merge may land.
    onWritten: ({ record }) => {
      if (record.status === 'released') return;
      lander.taskEnded(record.section, record.status === 'done');
    },
    onScanned: () => {
      if (busy && held.size === 0) {
        busy = false;
        const { done, failed } = held.outcomes();
        emit({ type: 'queue.idle', done, failed });
      }
    },
    stopping: () => stopping !== null,
  });

  const life = createTaskLife({
    deps,
    live,
    adwDir,
    log,
    runClaimed: deps.runner ?? runClaimedTask,
    abort: abort.signal,
    pause,
    merges,
    emit,
    afterFinish: async () => {
      await checkBudget();
      if (stopping === null) void scanner.request(true);
    },
  });

  async function enqueue(running: RunningTask): Promise<void> {
    const { claim } = running;
    // The marker is in the file now: a stale copy showing the line pending gets it back.
    running.record.status = 'starting';
    busy = true;
    await running.save();
    const { section, workflow, description } = claim.task;
    const model = running.record.model;
    log.info(
      { id: claim.id, section, line: claim.line, workflow, model },
      `claimed: ${description}`,
    );
    emit({ type: 'task.claimed', id: claim.id, section, line: claim.line, description });
    queue
      .add(() => life.run(running))
      .catch((error: unknown) => {
        log.error({ id: claim.id, err: error }, 'task run crashed');
      });
  }

  async function prepare(): Promise<void> {
    await repo.excludeDaemonFolders(config.worktreeDir, linkExcludes(config.linkDirs));
    services = await startServices({
      adwDir,
      tasksPath,
      owner,
      log,
      heartbeatMs: deps.heartbeatMs ?? 10_000,
      ...(deps.dashboardUrl === undefined ? {} : { dashboardUrl: deps.dashboardUrl }),
      config: live.state(),
      beat: async () => {
        await Promise.all(held.all().map((running) => running.save()));
      },
    });
    await merges.load();
    await scanner.settleOrphans();
    await checkBudget();
  }

  async function shutdown(): Promise<void> {
    const failures: unknown[] = [];
    const guarded = async (what: string, step: () => Promise<void>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
        log.error({ err: error }, `could not ${what} while stopping`);
      }
    };
    stopFollowing();
    await guarded('stop watching', () => services?.stopWatching() ?? Promise.resolve());
    // Queued tasks never start; running ones see the abort, stop their agents and are released.
    queue.clear();
    abort.abort();
    await guarded('finish the last scan', async () => {
      await scanner.idle();
    });
    await guarded('stop the agents', () => queue.onIdle());
    for (const running of held.inPhase('claimed', 'running')) {
      await guarded('release a task', () => life.finish(running, { kind: 'released' }));
    }
    await guarded('write outcomes', () => scanner.writeNow());
    const unwritten = held.inPhase('outcome-pending').map((running) => running.id);
    if (unwritten.length > 0) {
      log.error(
        { ids: unwritten },
        'stopped with outcomes not written into tasks.md; see their run records',
      );
    }
    await guarded('finish landing', () => lander.idle());
    await guarded('end the pause', () => pause.stop());
    await guarded('stop the heartbeat', () => services?.stopHeartbeat() ?? Promise.resolve());
    log.info({ ...held.outcomes(), unwritten: unwritten.length }, 'stopped');
    if (failures.length > 0) throw new AggregateError(failures, 'the daemon did not stop cleanly');
  }

  return {
    async start() {
      setUp = prepare().then(() =>
        services?.watch({
          watcher: deps.watch === false ? null : { poll: deps.poll ?? false },
          pollMs: config.pollInterval,
          onChange: () => void scanner.request(false),
          // Outcomes waiting (a conflict, a lock held) and merges waiting are retried at each poll.
          onPoll: () =>
            void scanner.request(held.inPhase('outcome-pending').length > 0 || merges.size > 0),
        }),
      );
      await setUp;
      const { concurrency, agent } = live.current().config;
      const poll = deps.poll ?? false;
      // How a save still being written is told apart: the kernel, or the quiet window and why.
      const saves = await howSavesAreJudged(tasksPath);
      const git = `commands started ${howGitIsStarted()}`;
      log.info(
        { tasks: tasksPath, repo: repo.root, concurrency, agent, poll, saves, git },
        'watching the tasks file',
      );
      await scanner.request(true);
    },

    async runOnce() {
      setUp = prepare();
      await setUp;
      // Each round claims what is runnable now; tasks finishing may unblock more. Outcomes that
      // cannot be written (read-only file, lock held, a conflict) are retried, then reported.
      for (let attempts = 0; attempts < ONCE_WRITE_ATTEMPTS;) {
        await scanner.request(true);
        await queue.onIdle();
        await scanner.idle();
        if (abort.signal.aborted) break;
        if (held.size === 0 && !scanner.unfinished()) break;
        // A pause that lasts (a permanent error, the day's budget) ends the run: nothing can start.
        const paused = pause.current();
        if (held.size === 0 && paused !== null && paused.kind !== 'rate-limit') break;
        if (held.inPhase('claimed', 'running').length === 0 && queue.size === 0) {
          attempts++;
          await sleep(1000);
        }
      }
      const unwritten = held.inPhase('outcome-pending').length;
      // Read before stopping: the last write attempt of `stop` may not take the lock at all.
      const problem = scanner.problem();
      if (problem !== null) log.error(`giving up, still unresolved: ${problem}`);
      await this.stop();
      return { ...held.outcomes(), unwritten, problems: problem === null ? 0 : 1 };
    },

    rescan() {
      if (stopping === null) void scanner.request(true);
    },

    stop() {
      stopping ??= (async () => {
        // A stop during the set-up waits for it, so that what it started (watcher, heartbeat) stops.
        await setUp.catch(() => undefined);
        await scanner.idle();
        await shutdown();
      })();
      return stopping;
    },
  };
}
