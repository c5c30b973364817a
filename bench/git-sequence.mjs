// The git work of one task through the daemon's GitRepo (section branch, worktree, commit, tip,
// commits since the base, merge into the section, worktree removal), against its floor: the same
// git commands spawned directly with execFile from this script, in the same run.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchEnv, git, makeTaskRepo, median } from './lib.mjs';

async function throughRepo(repo, i) {
  const id = `t${String(i).padStart(7, '0')}`;
  const branch = `sec-${id}`;
  const worktree = join(repo.root, 'trees', id);
  const base = await repo.ensureSectionBranch('sec', 'main');
  await repo.addWorktree(worktree, branch, base);
  await writeFile(join(worktree, `${id}.txt`), `${id}\n`);
  await repo.commitAll(worktree, `task ${id}`, { 'ADW-Id': id });
  const tip = await repo.resolveRef(branch);
  if (tip === null || (await repo.commitsSince(base, tip)) !== 1) throw new Error('no commit');
  if ((await repo.mergeIntoSection('sec', branch)).kind !== 'fast-forward')
    throw new Error('no fast-forward');
  await repo.removeWorktree(worktree);
}

async function throughExecFile(dir, i) {
  const id = `f${String(i).padStart(7, '0')}`;
  const branch = `flo-${id}`;
  const worktree = join(dir, 'trees', id);
  const base = await git(dir, 'rev-parse', 'refs/heads/flo');
  await git(dir, 'worktree', 'add', '-b', branch, worktree, base);
  await writeFile(join(worktree, `${id}.txt`), `${id}\n`);
  await git(worktree, 'add', '-A');
  await git(worktree, 'commit', '-q', '-m', `task ${id}`);
  const tip = await git(dir, 'rev-parse', branch);
  await git(dir, 'rev-list', '--count', `${base}..${tip}`);
  await git(dir, 'update-ref', 'refs/heads/flo', tip, base);
  await git(dir, 'worktree', 'remove', '--force', worktree);
}

/**
 * Median milliseconds of one task's git work through GitRepo and through bare execFile. `builds`:
 * more built trees (their `dist/`) to measure in the same run, alternating with this one, so that
 * two versions of the git layer compare under the same load.
 */
export async function benchGitSequence(runs = 15, builds = []) {
  const dists = [
    new URL('../dist/', import.meta.url).href,
    ...builds.map((b) => pathToFileURL(`${resolve(b)}/`).href),
  ];
  const opens = await Promise.all(
    dists.map(async (dist) => (await import(`${dist}git/index.js`)).openRepo),
  );
  const dir = await makeTaskRepo('commit');
  await git(dir, 'branch', 'flo', 'main');
  const repos = await Promise.all(opens.map((openRepo) => openRepo(dir, { env: benchEnv() })));
  const times = repos.map(() => []);
  const floor = [];
  let n = 0;
  for (let i = 0; i < runs; i++) {
    // Alternating, so that load on the machine falls on every side alike.
    for (const [k, repo] of repos.entries()) {
      const start = performance.now();
      await throughRepo(repo, n++);
      times[k].push(performance.now() - start);
    }
    const start = performance.now();
    await throughExecFile(dir, i);
    floor.push(performance.now() - start);
  }
  const floorMs = median(floor);
  return times.map((values, k) => ({
    name: k === 0 ? 'git work of one task' : `git work of one task, ${builds[k - 1]}`,
    medianMs: median(values),
    floorMs,
    ratio: median(values) / floorMs,
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [runs = '15', ...builds] = process.argv.slice(2);
  for (const result of await benchGitSequence(Number(runs), builds)) {
    console.log(
      `${result.name}: ${result.medianMs.toFixed(1)} ms, floor ${result.floorMs.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)}×`,
    );
  }
  const { cleanup } = await import('./lib.mjs');
  await cleanup();
}
