import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

const TASKS = `## Git Worktree work
[] First, which succeeds
[] Second, which succeeds and gets dirty
[] Third, please fail
`;

/** A repository after `start --once`: two done tasks (the second with an untracked file in its worktree) and one failed. */
async function ranRepo(): Promise<{ repo: string; done: string; dirty: string; failed: string }> {
  const agent = fakeAgent('commit-unless-asked');
  const repo = await makeTaskRepo(TASKS, { agent, config: { retries: 0 } });
  const run = await runCli(['start', '--once'], { cwd: repo });
  expect(run.code, run.stderr).toBe(3);
  const [done, dirty, failed] = markers(await readTasks(repo));
  expect([done?.emoji, dirty?.emoji, failed?.emoji]).toEqual(['✅', '✅', '❌']);
  await writeFile(join(repo, 'trees', dirty!.id!, 'scratch.txt'), 'not committed\n');
  return { repo, done: done!.id!, dirty: dirty!.id!, failed: failed!.id! };
}

describe('adw-trigger clean', () => {
  it('removes worktrees of done tasks only, keeps the failed and the dirty one saying why, and keeps every branch', async () => {
    const { repo, done, dirty, failed } = await ranRepo();
    const branches = await git(
      repo,
      'for-each-ref',
      '--format=%(refname) %(objectname)',
      'refs/heads',
    );
    const result = await runCli(['clean'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`removed trees/${done} (line 2; branch work-${done} stays)\n`);
    expect(result.stdout).toContain(`kept trees/${dirty}: it has uncommitted changes\n`);
    expect(result.stdout).toContain(`kept trees/${failed}: task on line 4 is failed\n`);
    expect(existsSync(join(repo, 'trees', done))).toBe(false);
    expect(existsSync(join(repo, 'trees', dirty, 'scratch.txt'))).toBe(true);
    expect(existsSync(join(repo, 'trees', failed))).toBe(true);
    expect(await git(repo, 'worktree', 'list')).not.toContain(join('trees', done));
    expect(await git(repo, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads')).toBe(
      branches,
    );
    expect(await git(repo, 'rev-parse', '--verify', `work-${done}`)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('--dry-run says what it would remove and removes nothing', async () => {
    const { repo, done, dirty, failed } = await ranRepo();
    const before = await snapshotDir(repo);
    const result = await runCli(['clean', '--dry-run'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `would remove trees/${done} (line 2; branch work-${done} stays)\n`,
    );
    expect(result.stdout).toContain(`kept trees/${dirty}: it has uncommitted changes\n`);
    expect(result.stdout).toContain(`kept trees/${failed}: task on line 4 is failed\n`);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('says so when there is no worktree', async () => {
    const repo = await makeTaskRepo('[] Never run\n', { agent: 'unused.mjs' });
    const before = await snapshotDir(repo);
    const result = await runCli(['clean'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('no worktrees in trees/\n');
    expect(await snapshotDir(repo)).toEqual(before);
  });
});
