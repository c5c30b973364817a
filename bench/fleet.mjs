// Benchmark: the fleet. (1) 30 tasks whose agent waits 2 s then commits, through 1 worker × 2
// slots and through 3 workers × 2 slots: the throughput ratio (target ≥ 2.5×). (2) Per-task time
// of the fleet path (queue, push, fetch, merge) against the local daemon, both at concurrency 1
// with an agent that commits at once. Each run has its own redis-server and bare remote.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { runTasksThroughDaemon } from './overhead.mjs';
import {
  benchEnv,
  CLI,
  countMarkers,
  git,
  makeTaskRepo,
  sleep,
  startDaemon,
  tempDir,
} from './lib.mjs';

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const dir = await tempDir('adw-bench-redis-');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push('--appendonly', 'yes', '--maxmemory-policy', 'noeviction');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    await sleep(50);
  }
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { url: `redis://127.0.0.1:${port}`, stop: async () => (child.kill('SIGKILL'), exited) };
}

async function startWorker(url, slots) {
  const dir = await tempDir('adw-bench-worker-');
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '--queue', url, '--dir', join(dir, 'w'), '--concurrency', String(slots)],
    { cwd: dir, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk.toString()));
  const exited = new Promise((resolve) => child.on('close', resolve));
  while (!out.includes('worker waiting for jobs')) {
    if (child.exitCode !== null) throw new Error(`worker exited:\n${out}`);
    await sleep(20);
  }
  return { stop: async () => (child.kill('SIGTERM'), exited) };
}

/** Runs `count` tasks through a coordinator and `workers` × `slots`; returns the wall time. */
async function throughFleet(agent, count, workers, slots) {
  const redis = await startRedis();
  const remote = join(await tempDir('adw-bench-remote-'), 'remote.git');
  await git(process.cwd(), 'init', '-q', '--bare', '-b', 'main', remote);
  const repo = await makeTaskRepo(agent, { concurrency: workers * slots, queue: redis.url });
  await git(repo, 'remote', 'add', 'origin', remote);
  await git(repo, 'push', '-q', 'origin', 'main');
  const started = [];
  let coordinator = null;
  try {
    for (let i = 0; i < workers; i++) started.push(await startWorker(redis.url, slots));
    coordinator = await startDaemon(repo);
    const { totalMs } = await runTasksThroughDaemon(repo, count, 'fleet task');
    const text = await readFile(join(repo, 'tasks.md'), 'utf8');
    if (countMarkers(text, '✅') !== count) throw new Error(`fleet: not every task ✅:\n${text}`);
    return totalMs;
  } finally {
    await coordinator?.stop();
    await Promise.all(started.map((worker) => worker.stop()));
    await redis.stop();
  }
}

/** 30 tasks of 2 s through 1 × 2 and 3 × 2 slots. */
export async function benchFleetScale(count = 30) {
  const one = await throughFleet('sleep-commit', count, 1, 2);
  const three = await throughFleet('sleep-commit', count, 3, 2);
  return {
    name: `fleet throughput (${count} tasks of 2 s, 3 workers × 2 vs 1 worker × 2)`,
    perSecond: (count * 1000) / three,
    floorPerSecond: (count * 1000) / one,
    ratio: one / three,
  };
}

/** Per-task time at concurrency 1: fleet (1 worker × 1) against the local daemon. */
export async function benchFleetOverhead(count = 10) {
  const repo = await makeTaskRepo('commit', { concurrency: 1 });
  const daemon = await startDaemon(repo);
  let local;
  try {
    local = (await runTasksThroughDaemon(repo, count, 'local task')).totalMs / count;
  } finally {
    await daemon.stop();
  }
  const fleet = (await throughFleet('commit', count, 1, 1)) / count;
  return { name: `fleet per-task time (N=${count}, 1 slot) vs local daemon`, fleet, local };
}
