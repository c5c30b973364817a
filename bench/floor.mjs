// The floor of the per-task and throughput benchmarks: the git operations the daemon performs for
// a task, run directly from a script with no daemon around them. Per task: `git worktree add -b`
// from the section tip, the same agent process, `git add -A` (and a commit if anything is left),
// then a fast-forward `update-ref`, or `merge-tree --write-tree` + `commit-tree` + `update-ref`
// when another task moved the section meanwhile. Operations on the shared repository (worktree
// add, merge) run one at a time, as the daemon's repository queue does.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agentPath, benchEnv, git as gitWithNode, makeTaskRepo } from './lib.mjs';

const execFileAsync = promisify(execFile);

// A prompt of about the size of the rendered `build` workflow.
const PROMPT = `You are working in a git worktree. The task:\n\n${'Implement the thing. '.repeat(60)}\n`;

// git(cwd, ...args) → trimmed stdout, started by `starter`.
async function gitStartedBy(starter) {
  if (starter === 'node') return gitWithNode;
  const { runProcess } = await import('../dist/system/run-process.js');
  return async (cwd, ...args) => {
    const result = await runProcess('git', args, { cwd, env: benchEnv(), maxBytes: 1 << 26 });
    if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
}

function serial() {
  let last = Promise.resolve();
  return (fn) => {
    const next = last.then(fn);
    last = next.catch(() => undefined);
    return next;
  };
}

async function mergeIntoSection(git, repo, section, tip) {
  const ref = `refs/heads/${section}`;
  const old = await git(repo, 'rev-parse', ref);
  const base = await git(repo, 'merge-base', old, tip);
  let next = tip;
  if (base !== old) {
    const tree = await git(repo, 'merge-tree', '--write-tree', old, tip);
    next = await git(
      repo,
      'commit-tree',
      tree,
      '-p',
      old,
      '-p',
      tip,
      '-m',
      `Merge into ${section}`,
    );
  }
  await git(repo, 'update-ref', ref, next, old);
}

// Adds the time since `start` to `phases[name]`; returns now.
function lap(phases, name, start) {
  const now = performance.now();
  (phases[name] ??= []).push(now - start);
  return now;
}

async function runTask(git, repo, section, inRepo, phases) {
  const id = randomBytes(4).toString('hex');
  const branch = `${section}-${id}`;
  const worktree = join(repo, 'trees', id);
  let time = performance.now();
  await inRepo(async () => {
    const start = await git(repo, 'rev-parse', `refs/heads/${section}`);
    await git(repo, 'worktree', 'add', '-q', '-b', branch, worktree, start);
  });
  time = lap(phases, 'worktree', time);
  await execFileAsync(process.execPath, [agentPath('commit'), PROMPT], {
    cwd: worktree,
    env: benchEnv({ ADW_ID: id }),
  });
  time = lap(phases, 'agent', time);
  await git(worktree, 'add', '-A');
  const staged = await git(worktree, 'diff', '--cached', '--name-only');
  if (staged !== '') await git(worktree, 'commit', '-q', '-m', 'leftovers');
  const tip = await git(worktree, 'rev-parse', 'HEAD');
  time = lap(phases, 'commit', time);
  await inRepo(() => mergeIntoSection(git, repo, section, tip));
  lap(phases, 'merge', time);
}

/**
 * Runs `tasks` floor tasks, `concurrency` at a time, in a fresh repository, git started by
 * `starter` ('node' or 'posix_spawn'); returns the wall time and the times of each phase
 * (worktree, agent, commit, merge) per task, in ms.
 */
export async function runFloor(tasks, concurrency, { starter = 'node' } = {}) {
  const git = await gitStartedBy(starter);
  const repo = await makeTaskRepo('commit');
  const section = 'adw';
  const inRepo = serial();
  const phases = {};
  const start = performance.now();
  await git(repo, 'update-ref', `refs/heads/${section}`, 'HEAD', '');
  let next = 0;
  const worker = async () => {
    while (next < tasks) {
      next++;
      await runTask(git, repo, section, inRepo, phases);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const totalMs = performance.now() - start;
  const merged = Number(await git(repo, 'rev-list', '--count', `main..${section}`, '--no-merges'));
  if (merged !== tasks) throw new Error(`floor merged ${merged} of ${tasks} task commits`);
  return { totalMs, perTaskMs: totalMs / tasks, phases };
}

/**
 * runFloor with git started by posix_spawn, as the daemon starts it where its addon is built; null
 * where it is not (the daemon then uses Node's spawn too, and runFloor is the floor to compare).
 */
export async function runSpawnFloor(tasks, concurrency) {
  const { processStarter } = await import('../dist/system/run-process.js');
  if (processStarter() !== 'posix_spawn') return null;
  return runFloor(tasks, concurrency, { starter: 'posix_spawn' });
}
