import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks, withoutMarkers } from '../helpers/task-repo.js';

const TASKS = `# Tasks

Some prose that the daemon must leave alone.

## Git Worktree alpha
[] First alpha task
[ ] Second alpha task #sonnet
[⏰] Third alpha task, after both {opus}

## To Do (decoration, not a section)

## Git Worktree beta
- [] First beta task
- [⏰] Second beta task
  with a details line

\`\`\`
[] not a task: inside a code block
\`\`\`
`;

describe('start --once', () => {
  it('runs every task of two sections to ✅ with real commits merged into each section branch', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const after = await readTasks(repo);
    expect(withoutMarkers(after)).toBe(withoutMarkers(TASKS));
    const tasks = markers(after);
    expect(tasks).toHaveLength(5);
    const sections = ['alpha', 'alpha', 'alpha', 'beta', 'beta'];
    for (const [index, task] of tasks.entries()) {
      expect(task.emoji, after).toBe('✅');
      const section = sections[index]!;
      const branch = `${section}-${task.id!}`;
      const tip = await git(repo, 'rev-parse', branch);
      expect(tip.startsWith(task.hash!)).toBe(true);
      expect(task.hash).toHaveLength(9);
      // The hash is a commit that holds the agent's change...
      expect(await git(repo, 'show', '--name-only', '--format=', tip)).toContain(
        `agent-${task.id!}.txt`,
      );
      // ...and the section branch holds the work of every one of its tasks.
      expect(await git(repo, 'ls-tree', '--name-only', section)).toContain(`agent-${task.id!}.txt`);
    }
    // The blocked task started from a tip holding the work of the tasks above it.
    const third = tasks[2]!;
    for (const above of tasks.slice(0, 2)) {
      expect(existsSync(join(repo, 'trees', third.id!, `agent-${above.id!}.txt`))).toBe(true);
    }
    const fifth = tasks[4]!;
    expect(existsSync(join(repo, 'trees', fifth.id!, `agent-${tasks[3]!.id!}.txt`))).toBe(true);
    // Worktrees and run records never show up as untracked files.
    expect(await git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('?? tasks.md');
  });

  it('commits what the agent left uncommitted, with the ADW-Id trailer', async () => {
    const repo = await makeTaskRepo('[] Leave it to the daemon\n', { agent: fakeAgent('edit') });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('✅');
    const body = await git(repo, 'log', '-1', '--format=%B', `adw-${task!.id!}`);
    expect(body).toContain('Leave it to the daemon');
    expect(body).toContain(`ADW-Id: ${task!.id!}`);
  });

  it('fails a task whose agent made no changes, and exits 3', async () => {
    const original = '[] Do nothing at all\n';
    const repo = await makeTaskRepo(original, { agent: fakeAgent('noop') });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(3);
    const after = await readTasks(repo);
    expect(after).toMatch(
      /^\[❌, [0-9a-f]{8}\] Do nothing at all \/\/ Failed: agent made no changes\n$/,
    );
  });

  it('fails the second of two parallel tasks that edit the same line, naming the path and keeping its branch', async () => {
    const repo = await makeTaskRepo('## Git Worktree clash\n[] One version\n[] Another version\n', {
      agent: fakeAgent('commit'),
      files: { 'shared.txt': 'original line\n' },
      config: { concurrency: 2 },
    });
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_FAKE_FILE: 'shared.txt' },
    });
    expect(result.code).toBe(3);
    const tasks = markers(await readTasks(repo));
    expect(tasks.map((t) => t.emoji).sort()).toEqual(['✅', '❌']);
    const failed = tasks.find((t) => t.emoji === '❌')!;
    expect(failed.rest).toMatch(/Failed: merge conflict with clash in shared\.txt/);
    expect(await git(repo, 'rev-parse', '--verify', `clash-${failed.id!}`)).toMatch(
      /^[0-9a-f]{40}$/,
    );
  });
});
