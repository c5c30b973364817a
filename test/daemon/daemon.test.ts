import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createDaemon } from '../../src/daemon/index.js';
import type { DaemonDeps } from '../../src/daemon/index.js';
import { openRepo } from '../../src/git/index.js';
import { loadWorkflows } from '../../src/workflows/index.js';
import type { WorkflowJob, WorkflowOutcome } from '../../src/workflows/index.js';
import { git, makeRepo } from '../helpers/git.js';
import { writeRecordIn } from '../helpers/run-records.js';
import { OK_OUTCOME as OK } from '../helpers/workflow-outcome.js';

// A workflow runner in memory: writes one file into the worktree (the daemon commits it).
function inMemoryRunner(outcome: WorkflowOutcome = OK) {
  const jobs: string[] = [];
  let running = 0;
  let most = 0;
  const run = async (job: WorkflowJob): Promise<WorkflowOutcome> => {
    jobs.push(job.task.id);
    most = Math.max(most, ++running);
    await writeFile(join(job.worktree, `${job.task.id}.txt`), job.task.prompt);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    return outcome;
  };
  return { run, jobs, most: () => most };
}

async function daemonIn(tasks: string, runWorkflow: DaemonDeps['runWorkflow'], concurrency = 2) {
  const dir = await makeRepo({ 'README.md': '# t\n' });
  await writeFile(join(dir, 'tasks.md'), tasks);
  const logs: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line) as never) },
  );
  const deps: DaemonDeps = {
    config: configSchema.parse({ concurrency }),
    repo: await openRepo(dir),
    tasksPath: join(dir, 'tasks.md'),
    log,
    workflows: await loadWorkflows(dir),
    runWorkflow,
    watch: false,
  };
  return {
    dir,
    logs,
    daemon: createDaemon(deps),
    tasks: () => readFile(join(dir, 'tasks.md'), 'utf8'),
  };
}

describe('daemon core (in-memory workflow runner)', () => {
  it('claims only free slots, runs every task once and writes each outcome', async () => {
    const runner = inMemoryRunner();
    const { daemon, tasks, logs } = await daemonIn('# T\n\n[] One\n[] Two\n[] Three\n', runner.run);
    const summary = await daemon.runOnce();
    expect(summary).toMatchObject({ done: 3, failed: 0, unwritten: 0 });
    expect(runner.most()).toBeLessThanOrEqual(2);
    expect(new Set(runner.jobs).size).toBe(3);
    expect((await tasks()).match(/\[✅ [0-9a-f]{9}, [0-9a-f]{8}\]/g)).toHaveLength(3);
    expect(logs.filter((entry) => entry.level >= 40)).toEqual([]);
  });

  it('writes a failure with its reason', async () => {
    const runner = inMemoryRunner({ ...OK, ok: false, error: 'tests failed' });
    const { daemon, tasks } = await daemonIn('# T\n\n[] Breaks\n', runner.run);
    expect(await daemon.runOnce()).toMatchObject({ done: 0, failed: 1 });
    expect(await tasks()).toMatch(
      /^# T\n\n\[❌, [0-9a-f]{8}\] Breaks \/\/ Failed: tests failed\n$/,
    );
  });

  it('puts a recorded ✅ back on a line that went back to [] and runs nothing', async () => {
    const runner = inMemoryRunner();
    const { dir, daemon, tasks } = await daemonIn('# T\n\n[] Done long ago\n', runner.run);
    const head = await git(dir, 'rev-parse', 'HEAD');
    await writeRecordIn(dir, {
      id: 'aaaa1111',
      status: 'done',
      commit: head,
      claimLine: 3,
      claimText: '[] Done long ago',
    });
    expect(await daemon.runOnce()).toMatchObject({ done: 0, failed: 0 });
    expect(runner.jobs).toEqual([]);
    expect(await tasks()).toBe(`# T\n\n[✅ ${head.slice(0, 9)}, aaaa1111] Done long ago\n`);
  });

  it('recovery releases a dead daemon’s claim that never started, and it runs under a new ID', async () => {
    const runner = inMemoryRunner();
    const { dir, daemon, tasks } = await daemonIn(
      '# T\n\n[🟡, bbbb2222] Never started\n',
      runner.run,
    );
    await writeRecordIn(dir, {
      id: 'bbbb2222',
      status: 'claimed',
      claimLine: 3,
      claimText: '[] Never started',
    });
    expect(await daemon.runOnce()).toMatchObject({ done: 1 });
    expect(runner.jobs).toHaveLength(1);
    expect(runner.jobs[0]).not.toBe('bbbb2222');
    expect(await tasks()).toMatch(/^# T\n\n\[✅ [0-9a-f]{9}, [0-9a-f]{8}\] Never started\n$/);
  });

  it('stop() is idempotent: every caller gets the same promise', async () => {
    const { daemon } = await daemonIn('# T\n', inMemoryRunner().run);
    await daemon.start();
    const first = daemon.stop();
    expect(daemon.stop()).toBe(first);
    await first;
  });
});
