import { chmod, cp, mkdtemp, readFile, realpath, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createDaemon } from '../../src/daemon/index.js';
import type { DaemonDeps } from '../../src/daemon/index.js';
import type { TaskOutcome, TaskRunContext } from '../../src/daemon/task-run.js';
import type { Claim } from '../../src/daemon/claims.js';
import { GitRepo } from '../../src/git/index.js';
import { gitEnvironment } from '../../src/git/run-git.js';
import { listRunRecords, readRunRecord } from '../../src/runs/index.js';
import { loadWorkflows } from '../../src/workflows/index.js';
import type { Workflow } from '../../src/workflows/index.js';
import { git } from '../helpers/git.js';
import { deadPid, writeRecordIn } from '../helpers/run-records.js';
import { tempDir } from '../helpers/temp.js';
import { OK_OUTCOME as OK } from '../helpers/workflow-outcome.js';

// The daemon's core (claims, records, outcomes, reconcile, recovery, the --once end) with the
// task run in memory: no worktree, no agent, no merge. Real files, a real lock, a real repository
// for each test, copied from one `git init`.

let template: string;
let workflows: readonly Workflow[];
let dead: number;

beforeAll(async () => {
  // Outlives each test (tempDir does not): removed after the file.
  template = await mkdtemp(join(tmpdir(), 'adw-core-template-'));
  // No sample hooks or description: a bare minimum to copy for each test.
  await git(template, 'init', '-q', '--template=', '-b', 'main');
  workflows = await loadWorkflows(template);
  dead = deadPid();
});

afterAll(async () => {
  await rm(template, { recursive: true, force: true });
});

/** A commit hash made of the task's ID, so each outcome can be traced back to its task. */
function hashOf(id: string): string {
  return id.padEnd(40, '0');
}

// A task run in memory: records each claim and its step, then ends as `outcome` says.
function memoryRun(outcome: (claim: Claim) => TaskOutcome = (claim) => done(claim)) {
  const claims: Claim[] = [];
  let running = 0;
  let most = 0;
  const run = async (claim: Claim, ctx: TaskRunContext): Promise<TaskOutcome> => {
    claims.push(claim);
    most = Math.max(most, ++running);
    ctx.onStep('build');
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    return outcome(claim);
  };
  return { run, ids: () => claims.map((claim) => claim.id), most: () => most };
}

function done(claim: Claim): TaskOutcome {
  return { kind: 'done', commit: hashOf(claim.id), mergeWaiting: null, workflow: OK };
}

async function daemonIn(
  tasks: string,
  runner: NonNullable<DaemonDeps['runner']>,
  extra: Partial<DaemonDeps> = {},
) {
  const dir = await realpath(await tempDir('adw-core-'));
  await cp(join(template, '.git'), join(dir, '.git'), { recursive: true });
  await writeFile(join(dir, 'tasks.md'), tasks);
  // Saved a minute ago: the first claim need not wait for the file to be quiet.
  const past = new Date(Date.now() - 60_000);
  await utimes(join(dir, 'tasks.md'), past, past);
  const logs: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line) as never) },
  );
  const waits: number[] = [];
  const deps: DaemonDeps = {
    config: configSchema.parse({ concurrency: 2 }),
    // The repository as openRepo would find it, without asking git again for each test.
    repo: new GitRepo(dir, join(dir, '.git'), gitEnvironment()),
    tasksPath: join(dir, 'tasks.md'),
    log,
    workflows,
    runWorkflow: () => Promise.reject(new Error('the task run is in memory')),
    runner,
    watch: false,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...extra,
  };
  return {
    dir,
    logs,
    waits,
    daemon: createDaemon(deps),
    adwDir: join(dir, '.adw'),
    tasks: () => readFile(join(dir, 'tasks.md'), 'utf8'),
  };
}

describe('daemon core, task runs in memory', () => {
  it('claims only free slots, runs every task once, records and writes each outcome', async () => {
    const runs = memoryRun();
    const { daemon, tasks, logs, adwDir } = await daemonIn(
      '# T\n\n[] One\n[] Two\n[] Three\n',
      runs.run,
    );
    expect(await daemon.runOnce()).toEqual({
      done: 3,
      failed: 0,
      cancelled: 0,
      released: 0,
      unwritten: 0,
      problems: 0,
    });
    expect(runs.most()).toBeLessThanOrEqual(2);
    expect(new Set(runs.ids()).size).toBe(3);
    const text = await tasks();
    for (const id of runs.ids()) expect(text).toContain(`[✅ ${hashOf(id).slice(0, 9)}, ${id}]`);
    const records = await listRunRecords(adwDir);
    expect(records.map((record) => [record.status, record.step, record.commit]).sort()).toEqual(
      runs
        .ids()
        .map((id) => ['done', 'build', hashOf(id)])
        .sort(),
    );
    expect(logs.filter((entry) => entry.level >= 40)).toEqual([]);
  });

  it('runs a blocked task once the task above it is done, in the same --once run', async () => {
    const runs = memoryRun();
    const { daemon, tasks } = await daemonIn('# T\n\n[] First\n[⏰] Then\n', runs.run);
    expect(await daemon.runOnce()).toMatchObject({ done: 2, failed: 0 });
    const [first, then] = runs.ids();
    expect(runs.most()).toBe(1);
    expect(await tasks()).toBe(
      `# T\n\n[✅ ${hashOf(first ?? '').slice(0, 9)}, ${first ?? ''}] First\n` +
        `[✅ ${hashOf(then ?? '').slice(0, 9)}, ${then ?? ''}] Then\n`,
    );
  });

  it('writes a failure with its reason, and the record says the same', async () => {
    const runs = memoryRun(() => ({
      kind: 'failed',
      reason: 'tests failed',
      commit: null,
      workflow: OK,
    }));
    const { daemon, tasks, adwDir } = await daemonIn('# T\n\n[] Breaks\n', runs.run);
    expect(await daemon.runOnce()).toMatchObject({ done: 0, failed: 1 });
    const [id] = runs.ids();
    expect(await tasks()).toBe(`# T\n\n[❌, ${id ?? ''}] Breaks // Failed: tests failed\n`);
    expect(await readRunRecord(adwDir, id ?? '')).toMatchObject({
      status: 'failed',
      error: 'tests failed',
    });
  });

  it('restores a recorded ✅ on a line that went back to [] and runs nothing', async () => {
    const runs = memoryRun();
    const { dir, daemon, tasks } = await daemonIn('# T\n\n[] Done long ago\n', runs.run);
    await writeRecordIn(dir, {
      id: 'aaaa1111',
      status: 'done',
      commit: hashOf('aaaa1111'),
      claimLine: 3,
      claimText: '[] Done long ago',
      daemonPid: dead,
    });
    expect(await daemon.runOnce()).toMatchObject({ done: 0, failed: 0, unwritten: 0 });
    expect(runs.ids()).toEqual([]);
    expect(await tasks()).toBe('# T\n\n[✅ aaaa11110, aaaa1111] Done long ago\n');
  });

  it('recovery releases a dead daemon’s claim that never started; it runs under a new ID', async () => {
    const runs = memoryRun();
    const { dir, daemon, tasks, adwDir } = await daemonIn(
      '# T\n\n[🟡, bbbb2222] Never started\n',
      runs.run,
    );
    const claim = { claimLine: 3, claimText: '[] Never started', daemonPid: dead };
    await writeRecordIn(dir, { id: 'bbbb2222', status: 'claimed', ...claim });
    expect(await daemon.runOnce()).toMatchObject({ done: 1 });
    expect(runs.ids()).toHaveLength(1);
    expect(runs.ids()[0]).not.toBe('bbbb2222');
    expect((await readRunRecord(adwDir, 'bbbb2222'))?.status).toBe('released');
    expect(await tasks()).toMatch(/^# T\n\n\[✅ [0-9a-f]{9}, [0-9a-f]{8}\] Never started\n$/);
  });

  it('recovery judges a hung daemon by the daemon’s clock: its run is marked interrupted', async () => {
    const runs = memoryRun();
    const now = Date.parse('2030-01-01T00:00:00Z');
    const { dir, daemon, tasks, adwDir } = await daemonIn(
      '# T\n\n[🟡, cccc3333] Hung\n',
      runs.run,
      { clock: () => now },
    );
    // The daemon process is there (our parent) but has not beaten for an hour of the clock.
    await writeRecordIn(dir, {
      id: 'cccc3333',
      status: 'running',
      claimLine: 3,
      claimText: '[] Hung',
      daemonPid: process.ppid,
      agentPid: dead,
      heartbeat: new Date(now - 3_600_000).toISOString(),
    });
    expect(await daemon.runOnce()).toMatchObject({ done: 0, failed: 0 });
    expect(runs.ids()).toEqual([]);
    expect((await readRunRecord(adwDir, 'cccc3333'))?.status).toBe('interrupted');
    expect(await tasks()).toBe(
      '# T\n\n[❌, cccc3333] Hung // Failed: interrupted (daemon stopped)\n',
    );
  });

  it('--once ends with the outcome it could not write counted, after its retries', async () => {
    let path = '';
    const runs = memoryRun((claim) => done(claim));
    const readOnly = async (claim: Claim, ctx: TaskRunContext): Promise<TaskOutcome> => {
      // A person makes the file read-only while the task runs: its outcome cannot be written.
      await chmod(path, 0o444);
      return runs.run(claim, ctx);
    };
    const { daemon, tasks, adwDir, waits } = await daemonIn('# T\n\n[] Locked out\n', readOnly);
    path = join(adwDir, '..', 'tasks.md');
    const summary = await daemon.runOnce();
    expect(summary).toMatchObject({ done: 1, unwritten: 1 });
    expect(waits.length).toBeGreaterThan(0);
    const [id] = runs.ids();
    expect(await tasks()).toBe(`# T\n\n[🟡, ${id ?? ''}] Locked out\n`);
    expect((await readRunRecord(adwDir, id ?? ''))?.status).toBe('done');
  });

  it('a stop that comes while it starts waits for the start, then leaves nothing watching', async () => {
    const { daemon } = await daemonIn('# T\n\n[x] Done\n', memoryRun().run, { watch: true });
    // What keeps a process alive: a watcher left open would keep the service from ending.
    const watchers = (): number =>
      process.getActiveResourcesInfo().filter((type) => type === 'FSEventWrap').length;
    const before = watchers();
    await Promise.all([daemon.start(), daemon.stop()]);
    expect(watchers()).toBe(before);
  });
});
