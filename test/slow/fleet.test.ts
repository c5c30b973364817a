import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { expectEachRunOnce, makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { makeTaskRepo, markers, readTasks, runJson } from '../helpers/task-repo.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

function tasksIn(sections: string[], perSection: number): string {
  return sections
    .map((section) => {
      const lines = Array.from(
        { length: perSection },
        (_, i) => `[] ${section} task ${String(i + 1)}`,
      );
      return `## Git Worktree ${section}\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

describe('a fleet: coordinator and workers on Redis and a git remote', () => {
  it('runs 30 tasks of two sections on three workers, each once, every ✅ on its section branch', async () => {
    scene = await makeFleet(`# Tasks\n\n${tasksIn(['alpha', 'beta'], 15)}`);
    await Promise.all([scene.startWorker(), scene.startWorker(), scene.startWorker()]);
    scene.startCoordinator();
    await waitAllDone(scene.repo, 480_000);

    const tasks = markers(await readTasks(scene.repo));
    expect(tasks).toHaveLength(30);
    const runs = await scene.runs();
    expect(runs.toSorted()).toEqual(tasks.map((task) => task.id).toSorted());
    expect(new Set(runs).size).toBe(30);
    const text = await readTasks(scene.repo);
    for (const task of tasks) {
      const section = task.rest.startsWith('alpha') ? 'alpha' : 'beta';
      await git(scene.repo, 'merge-base', '--is-ancestor', task.hash ?? '', section);
      const record = await runJson(scene.repo, task.id ?? '');
      expect(record).toMatchObject({ status: 'done', fleet: { attempt: 1 } });
    }
    // Work spread over the workers: each ran at least one task.
    const workers = new Set(
      await Promise.all(
        tasks.map(async (task) => {
          const record = await runJson(scene!.repo, task.id ?? '');
          return (record.fleet as { worker: string }).worker;
        }),
      ),
    );
    expect(workers.size).toBe(3);
    expect(text).not.toContain('❌');
  }, 600_000);
});

describe('fleet faults', () => {
  it('a worker lost mid-task (stopped, then back): the job runs again elsewhere, only the new attempt is merged', async () => {
    scene = await makeFleet('# Tasks\n\n[] survive a lost worker\n', { sleepMs: 4000 });
    const first = await scene.startWorker({ concurrency: 1, quickStall: true });
    scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first attempt');
    // Frozen: its lock expires, as when killed; unlike a kill, it comes back and finishes later.
    first.child.kill('SIGSTOP');
    await scene.startWorker({ concurrency: 1, sleepMs: 0, quickStall: true });
    await waitAllDone(scene.repo, 240_000);
    const [task] = markers(await readTasks(scene.repo));
    const id = task?.id ?? '';
    expect(await scene.runs()).toEqual([id, id]);
    const record = await runJson(scene.repo, id);
    expect(record).toMatchObject({ status: 'done', fleet: { attempt: 2 } });

    first.child.kill('SIGCONT');
    // The superseded attempt finishes and pushes its own ref; BullMQ refuses its completion.
    const stale = await waitFor(
      async () => {
        const refs = await git(scene!.remote, 'for-each-ref', '--format=%(refname) %(objectname)');
        return /refs\/adw\/results\/\S+\/1 (\S+)/.exec(refs)?.[1];
      },
      120_000,
      'the superseded attempt to push its result',
    );
    await waitFor(() => first.output().includes('job finished'), 60_000, 'the stale worker');
    const section = (await git(scene.repo, 'rev-parse', 'adw')).trim();
    await expect(git(scene.repo, 'merge-base', '--is-ancestor', stale, section)).rejects.toThrow();
    expect(markers(await readTasks(scene.repo))[0]?.hash).toBe(task?.hash);
    expect(await runJson(scene.repo, id)).toMatchObject({ fleet: { attempt: 2 } });
  }, 600_000);

  it('a worker killed with SIGKILL mid-task: the task runs again on another worker as attempt 2', async () => {
    scene = await makeFleet('# Tasks\n\n[] survive a killed worker\n', { sleepMs: 4000 });
    const first = await scene.startWorker({ concurrency: 1, quickStall: true });
    scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first attempt');
    first.child.kill('SIGKILL');
    const second = await scene.startWorker({ concurrency: 1, sleepMs: 5000, quickStall: true });
    // While attempt 2 runs, status names it and its worker.
    const pid = String(second.child.pid);
    await waitFor(
      async () => {
        const status = await runCli(['status'], { cwd: scene!.repo });
        return status.stdout.includes(`attempt 2 on `) && status.stdout.includes(`pid ${pid}`);
      },
      120_000,
      'status to show attempt 2 and its worker',
    );
    const json = await runCli(['status', '--json'], { cwd: scene.repo });
    expect(json.stdout).toContain('"attempt": 2');
    await waitAllDone(scene.repo, 240_000);
    const id = markers(await readTasks(scene.repo))[0]?.id ?? '';
    expect(await runJson(scene.repo, id)).toMatchObject({ status: 'done', fleet: { attempt: 2 } });
  }, 600_000);

  it('a worker stopped with SIGTERM hands its task back: it runs elsewhere, exit 0, no ❌', async () => {
    scene = await makeFleet('# Tasks\n\n[] survive a stopped worker\n', { sleepMs: 8000 });
    const first = await scene.startWorker({ concurrency: 1, quickStall: true });
    scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first attempt');
    const dir = scene.workerDirs.get(first) ?? '';
    const healthy = await runCli(['health', '--worker', dir], { cwd: scene.repo });
    expect([healthy.code, healthy.stdout]).toEqual([0, expect.stringContaining('healthy: worker')]);
    first.child.kill('SIGTERM');
    const ended = await first.done;
    expect(ended.code).toBe(0);
    const gone = await runCli(['health', '--worker', dir], { cwd: scene.repo });
    expect([gone.code, gone.stdout]).toEqual([1, expect.stringContaining('unhealthy: no worker')]);
    expect(ended.stdout).toContain('job handed back');
    await scene.startWorker({ concurrency: 1, sleepMs: 0, quickStall: true });
    await waitAllDone(scene.repo, 240_000);
    const id = markers(await readTasks(scene.repo))[0]?.id ?? '';
    expect(await scene.runs()).toEqual([id, id]);
    expect(await readTasks(scene.repo)).not.toContain('❌');
  }, 600_000);

  it('the coordinator killed with SIGKILL and restarted: nothing lost, nothing run twice', async () => {
    scene = await makeFleet(`# Tasks\n\n${tasksIn(['adw'], 6)}`, { sleepMs: 3000 });
    await Promise.all([scene.startWorker(), scene.startWorker()]);
    const first = scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length >= 2, 120_000, 'agents to start');
    first.child.kill('SIGKILL');
    await first.done;
    // Jobs go on without the coordinator; let some finish while it is down.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const second = scene.startCoordinator();
    await waitFor(
      () => second.output().includes('coordinating a fleet'),
      60_000,
      () => `the restarted coordinator:\n${second.output()}`,
    );
    await waitAllDone(scene.repo, 300_000);
    await expectEachRunOnce(scene, 'adw');
  }, 600_000);

  it('a second coordinator on the same queue refuses to start, leaving tasks.md as it was', async () => {
    scene = await makeFleet('# Tasks\n\n[] only one coordinator\n', { sleepMs: 3000 });
    scene.startCoordinator();
    await waitFor(
      () => scene!.coordinator!.output().includes('coordinating a fleet'),
      60_000,
      'first',
    );
    const other = await makeTaskRepo('# Tasks\n\n[] elsewhere\n', {
      agent: fakeAgent('log-commit'),
      config: { queue: scene.redis.url },
    });
    const before = await readTasks(other);
    const second = await runCli(['start'], { cwd: other });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Another coordinator already runs this queue');
    expect(await readTasks(other)).toBe(before);
  }, 120_000);
});
