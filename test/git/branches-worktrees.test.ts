import { existsSync } from 'node:fs';
import { mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { GitRepo, openRepo } from '../../src/git/index.js';
import { withFileLock } from '../../src/system/file-lock.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';

async function caught(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

async function setup() {
  const dir = await realpath(await makeRepo({ 'README.md': '# r\n' }));
  const repo = await openRepo(dir, { env: gitEnv });
  const main = await git(dir, 'rev-parse', 'HEAD');
  return { dir, repo, main };
}

describe('resolveRef', () => {
  it('returns the full sha, or null for a missing or option-like ref', async () => {
    const { repo, main } = await setup();
    expect(await repo.resolveRef('HEAD')).toBe(main);
    expect(await repo.resolveRef('main')).toMatch(/^[0-9a-f]{40}$/);
    expect(await repo.resolveRef('nope')).toBeNull();
    expect(await repo.resolveRef('--all')).toBeNull();
    expect(await repo.resolveRef('')).toBeNull();
    // A line break would make two questions of one: never asked, null.
    expect(await repo.resolveRef('nope\nmain')).toBeNull();
    expect(await repo.resolveRef('main~0')).toBe(main);
  });
});

describe('ensureSectionBranch', () => {
  it('creates the branch at baseRef, then returns it unchanged on later calls', async () => {
    const { dir, repo, main } = await setup();
    expect(await repo.ensureSectionBranch('feature-auth', 'HEAD')).toBe(main);
    await git(dir, 'commit', '--allow-empty', '-q', '-m', 'later');
    expect(await repo.ensureSectionBranch('feature-auth', 'HEAD')).toBe(main);
    expect(await git(dir, 'rev-parse', 'feature-auth')).toBe(main);
  });

  it('lets racing creators (separate queues, like separate daemons) agree on one branch', async () => {
    const { dir, repo, main } = await setup();
    await git(dir, 'commit', '--allow-empty', '-q', '-m', 'second');
    const second = await git(dir, 'rev-parse', 'HEAD');
    // Each GitRepo gets its own queue key, so nothing serialises them but git's ref CAS.
    const creators = Array.from({ length: 12 }, (_, i) =>
      new GitRepo(repo.root, `race-${i}`, gitEnv).ensureSectionBranch(
        'sec/a',
        i % 2 ? main : second,
      ),
    );
    const tips = await Promise.all(creators);
    const tip = await git(dir, 'rev-parse', 'refs/heads/sec/a');
    expect(new Set(tips)).toEqual(new Set([tip]));
    expect([main, second]).toContain(tip);
  });

  it('waits for a creator in another process that holds the ref locked, and takes its branch', async () => {
    const { dir, repo, main } = await setup();
    await git(dir, 'commit', '--allow-empty', '-q', '-m', 'second');
    const second = await git(dir, 'rev-parse', 'HEAD');
    // Another daemon's update-ref: the lock taken, the new value written into it, then renamed.
    const ref = join(dir, await git(dir, 'rev-parse', '--git-path', 'refs/heads/sec'));
    await writeFile(`${ref}.lock`, `${second}\n`);
    const ensured = repo.ensureSectionBranch('sec', main);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rename(`${ref}.lock`, ref);
    expect(await ensured).toBe(second);
  });

  it('throws GIT_FAILED for an invalid name or a baseRef naming no commit, creating nothing', async () => {
    const { dir, repo } = await setup();
    const bad = await caught(repo.ensureSectionBranch('bad..name', 'HEAD'));
    expect(isAdwError(bad, 'GIT_FAILED')).toBe(true);
    expect(bad.message).toBe('Section name `bad..name` is not a valid branch name');
    const missing = await caught(repo.ensureSectionBranch('sec', 'nope'));
    expect(isAdwError(missing, 'GIT_FAILED')).toBe(true);
    expect(missing.message).toBe(
      `Cannot create branch sec: baseRef \`nope\` does not name a commit in ${dir}`,
    );
    expect(await git(dir, 'branch', '--format=%(refname:short)')).toBe('main');
  });
});

describe('addWorktree', () => {
  it('creates 10 worktrees concurrently, each on its new branch at the start point', async () => {
    const { dir, repo, main } = await setup();
    await repo.ensureSectionBranch('sec', 'HEAD');
    const ids = Array.from({ length: 10 }, (_, i) => `id${i}`);
    await Promise.all(ids.map((id) => repo.addWorktree(join('trees', id), `sec-${id}`, 'sec')));
    const worktrees = await repo.listWorktrees();
    expect(worktrees[0]).toEqual({ path: dir, branch: 'main', head: main });
    expect(worktrees.slice(1).sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      ids.map((id) => ({ path: join(dir, 'trees', id), branch: `sec-${id}`, head: main })),
    );
    for (const id of ids) expect(existsSync(join(dir, 'trees', id, 'README.md'))).toBe(true);
  });

  it('refuses an existing path or branch, and reports git failures, with WORKTREE_FAILED', async () => {
    const { dir, repo } = await setup();
    await mkdir(join(dir, 'trees', 'taken'), { recursive: true });
    const path = await caught(repo.addWorktree('trees/taken', 'sec-taken', 'main'));
    expect(isAdwError(path, 'WORKTREE_FAILED')).toBe(true);
    expect(path.message).toBe(
      `Cannot create worktree ${join(dir, 'trees', 'taken')} (branch sec-taken): the path already exists`,
    );
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    await git(dir, 'branch', 'sec-used', 'HEAD~1');
    const used = await git(dir, 'rev-parse', 'sec-used');
    const branch = await caught(repo.addWorktree('trees/x', 'sec-used', 'main'));
    expect(isAdwError(branch, 'WORKTREE_FAILED')).toBe(true);
    // git's own refusal (`worktree add -b`), without its `Preparing worktree` line.
    expect(branch.message).toBe(
      `Cannot create worktree ${join(dir, 'trees', 'x')} (branch sec-used): a branch named 'sec-used' already exists`,
    );
    expect(await git(dir, 'rev-parse', 'sec-used')).toBe(used);
    const start = await caught(repo.addWorktree('trees/y', 'sec-y', 'no-such-ref'));
    expect(isAdwError(start, 'WORKTREE_FAILED')).toBe(true);
    expect(start.message).toContain(
      `Cannot create worktree ${join(dir, 'trees', 'y')} (branch sec-y): `,
    );
    expect(start.message).toContain('no-such-ref');
    expect((await repo.listWorktrees()).length).toBe(1);
    expect(existsSync(join(dir, 'trees', 'x'))).toBe(false);
  });
});

describe('the worktree lock', () => {
  it('never trips over a worktree entry another process is still writing', async () => {
    const { dir, repo } = await setup();
    // What another process's `git worktree add` leaves for a moment: an entry whose commondir is
    // not written yet. Any git that lists the worktrees then dies on it.
    const entry = join(repo.commonDir, 'worktrees', 'other');
    const halfWritten = async () => {
      await mkdir(entry, { recursive: true });
      await writeFile(join(entry, 'gitdir'), `${join(dir, 'trees', 'other', '.git')}\n`);
      await writeFile(join(entry, 'commondir'), '');
    };
    await halfWritten();
    expect((await caught(repo.addWorktree('trees/x', 'sec-x', 'main'))).message).toMatch(
      /failed to read .*commondir/,
    );
    // A person's `git worktree add` takes no lock of ours: a listing asks again a moment later.
    const waited = repo.listWorktrees();
    await sleep(150);
    await rm(entry, { recursive: true });
    expect((await waited).map((w) => w.path)).toEqual([dir]);

    // The other process holds the lock while it writes: ours wait for it, then succeed.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let writing = () => {};
    const written = new Promise<void>((resolve) => (writing = resolve));
    const other = withFileLock(join(repo.commonDir, 'adw-worktrees.lock'), async () => {
      await halfWritten();
      writing();
      await released;
      await rm(entry, { recursive: true });
    });
    await written;
    const adding = repo.addWorktree('trees/a', 'sec-a', 'main');
    const listing = repo.listWorktrees();
    const settled = Promise.allSettled([adding, listing]).then(() => 'settled');
    // Long enough for git to have failed on the entry, had it run.
    const early = await Promise.race([settled, sleep(300).then(() => 'waiting')]);
    release();
    await other;
    expect(early).toBe('waiting');
    await adding;
    expect((await listing).map((w) => w.path)).toEqual([dir, join(dir, 'trees', 'a')]);
    expect(existsSync(join(repo.commonDir, 'adw-worktrees.lock'))).toBe(false);
  });
});

describe('removeWorktree', () => {
  it('refuses a dirty worktree and keeps it, then removes it once clean (branch kept)', async () => {
    const { dir, repo } = await setup();
    await repo.addWorktree('trees/a', 'sec-a', 'main');
    const tree = join(dir, 'trees', 'a');
    await writeFile(join(tree, 'new.txt'), 'work\n');
    expect(await repo.isDirty(tree)).toBe(true);
    const error = await caught(repo.removeWorktree(tree));
    expect(isAdwError(error, 'WORKTREE_FAILED')).toBe(true);
    expect(error.message).toBe(
      `Refusing to remove worktree ${tree}: it has uncommitted changes or untracked files`,
    );
    expect(existsSync(join(tree, 'new.txt'))).toBe(true);
    expect((await repo.listWorktrees()).map((w) => w.path)).toContain(tree);

    await rm(join(tree, 'new.txt'));
    expect(await repo.isDirty(tree)).toBe(false);
    await repo.removeWorktree('trees/a');
    expect(existsSync(tree)).toBe(false);
    expect((await repo.listWorktrees()).length).toBe(1);
    expect(await repo.resolveRef('sec-a')).not.toBeNull();
  });

  it('sees untracked files even when status.showUntrackedFiles is no', async () => {
    const { dir, repo } = await setup();
    await git(dir, 'config', 'status.showUntrackedFiles', 'no');
    await repo.addWorktree('trees/u', 'sec-u', 'main');
    const tree = join(dir, 'trees', 'u');
    await mkdir(join(tree, 'deep'));
    await writeFile(join(tree, 'deep', 'new.txt'), 'work\n');
    expect(await repo.isDirty(tree)).toBe(true);
    expect(isAdwError(await caught(repo.removeWorktree(tree)), 'WORKTREE_FAILED')).toBe(true);
    expect(existsSync(join(tree, 'deep', 'new.txt'))).toBe(true);
  });

  it('refuses a worktree whose detached commit no branch holds', async () => {
    const { dir, repo } = await setup();
    await repo.addWorktree('trees/d', 'sec-d', 'main');
    const tree = join(dir, 'trees', 'd');
    await git(tree, 'checkout', '-q', '--detach');
    await git(tree, 'commit', '-q', '--allow-empty', '-m', 'orphan');
    const head = await git(tree, 'rev-parse', 'HEAD');
    expect(await repo.branchContains(head)).toBe(false);
    const error = await caught(repo.removeWorktree(tree));
    expect(error.message).toBe(
      `Refusing to remove worktree ${tree}: its commit ${head} is on no branch`,
    );
    expect(existsSync(tree)).toBe(true);
  });

  it('refuses the main working tree and a path that is no worktree', async () => {
    const { dir, repo } = await setup();
    expect((await caught(repo.removeWorktree(dir))).message).toBe(
      `Refusing to remove worktree ${dir}: it is the main working tree`,
    );
    expect((await caught(repo.removeWorktree('trees/none'))).message).toBe(
      `Refusing to remove worktree ${join(dir, 'trees', 'none')}: it is not a worktree of ${dir}`,
    );
  });
});

describe('branchContains, commitsSince and prune', () => {
  it('tells whether a commit is on a local branch and counts commits', async () => {
    const { dir, repo, main } = await setup();
    expect(await repo.branchContains(main)).toBe(true);
    expect(await repo.branchContains('0'.repeat(40))).toBe(false);
    await repo.addWorktree('trees/c', 'sec-c', 'main');
    const tree = join(dir, 'trees', 'c');
    await git(tree, 'commit', '-q', '--allow-empty', '-m', 'one');
    await git(tree, 'commit', '-q', '--allow-empty', '-m', 'two');
    expect(await repo.commitsSince('main', 'sec-c')).toBe(2);
    expect(await repo.commitsSince('sec-c', 'main')).toBe(0);
    expect(isAdwError(await caught(repo.commitsSince('main', 'nope')), 'GIT_FAILED')).toBe(true);
  });

  it('prunes a worktree whose folder was deleted by hand', async () => {
    const { dir, repo } = await setup();
    await repo.addWorktree('trees/p', 'sec-p', 'main');
    await rm(join(dir, 'trees', 'p'), { recursive: true });
    expect((await repo.listWorktrees()).length).toBe(2);
    await repo.prune();
    expect((await repo.listWorktrees()).length).toBe(1);
  });
});
