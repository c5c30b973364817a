import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from './snapshot.js';

// Commits a file named after the task; exits 1 after committing when the prompt asks it to.
const AGENT = `import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const prompt = process.argv.at(-1) ?? '';
writeFileSync(\`agent-\${process.env.ADW_ID}.txt\`, prompt);
execFileSync('git', ['add', '-A']);
execFileSync('git', ['commit', '-q', '--no-gpg-sign', '-m', 'agent work']);
if (prompt.includes('then fails')) process.exit(1);
`;

const TASKS = `## Git Worktree work
[] Merged, clean
[] Merged, then its worktree gets dirty
[] Commits, then fails
`;

/** merged: worktree and branch can go; dirty: both stay; unmerged: retried, so its worktree goes but its branch stays. */
async function ranRepo() {
  const dir = await tempDir('adw-clean-');
  const agent = join(dir, 'agent.mjs');
  await writeFile(agent, AGENT);
  const removedLog = join(dir, 'removed.log');
  const repo = await makeTaskRepo(TASKS, {
    agent,
    config: {
      retries: 0,
      hooks: { beforeRemove: `echo "before removing $ADW_ID on $ADW_BRANCH" >> ${removedLog}` },
    },
  });
  const run = await runCli(['start', '--once'], { cwd: repo });
  expect(run.code, run.stderr).toBe(3);
  const [merged, dirty, unmerged] = markers(await readTasks(repo)).map((task) => task.id!);
  await writeFile(join(repo, 'trees', dirty!, 'scratch.txt'), 'not committed\n');
  const retry = await runCli(['retry', unmerged!], { cwd: repo });
  expect(retry.code, retry.stderr).toBe(0);
  return { repo, removedLog, merged: merged!, dirty: dirty!, unmerged: unmerged! };
}

describe('adw-trigger clean --branches', () => {
  it('--dry-run names what would go (merged branch, released worktree) and what stays, changing nothing', async () => {
    const { repo, merged, dirty, unmerged, removedLog } = await ranRepo();
    const before = await snapshotDir(repo);
    const result = await runCli(['clean', '--branches', '--dry-run'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const trees = join(await git(repo, 'rev-parse', '--show-toplevel'), 'trees');
    expect(result.stdout.split('\n').sort().join('\n')).toBe(
      [
        '',
        `would remove trees/${merged} (line 2; branch work-${merged} stays)`,
        `kept trees/${dirty}: it has uncommitted changes`,
        `would remove trees/${unmerged} (no longer in the file; branch work-${unmerged} stays)`,
        `would delete branch work-${merged} (merged into work)`,
        `kept branch work-${dirty}: checked out in ${join(trees, dirty)}`,
        `kept branch work-${unmerged}: not merged into work`,
      ]
        .sort()
        .join('\n'),
    );
    expect(await snapshotDir(repo)).toEqual(before);
    expect(existsSync(removedLog)).toBe(false);
  });

  it('deletes only the merged branch, removes the released worktree running beforeRemove, keeps the rest', async () => {
    const { repo, merged, dirty, unmerged, removedLog } = await ranRepo();
    const work = await git(repo, 'rev-parse', 'work');
    const unmergedTip = await git(repo, 'rev-parse', `work-${unmerged}`);
    const result = await runCli(['clean', '--branches'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`deleted branch work-${merged} (merged into work)\n`);
    expect(await git(repo, 'branch', '--list', `work-${merged}`)).toBe('');
    expect(await git(repo, 'rev-parse', `work-${unmerged}`)).toBe(unmergedTip);
    expect(await git(repo, 'rev-parse', '--verify', `work-${dirty}`)).toMatch(/^[0-9a-f]{40}$/);
    expect(await git(repo, 'rev-parse', 'work')).toBe(work);
    expect(existsSync(join(repo, 'trees', merged))).toBe(false);
    expect(existsSync(join(repo, 'trees', unmerged))).toBe(false);
    expect(existsSync(join(repo, 'trees', dirty, 'scratch.txt'))).toBe(true);
    const hookRuns = (await readFile(removedLog, 'utf8')).trim().split('\n').sort();
    expect(hookRuns).toEqual(
      [
        `before removing ${merged} on work-${merged}`,
        `before removing ${unmerged} on work-${unmerged}`,
      ].sort(),
    );
  });
});
