import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { startGitDaemon, waitForRemote, type GitDaemon } from '../helpers/git-daemon.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

const daemons: GitDaemon[] = [];
afterEach(async () => {
  await Promise.all(daemons.splice(0).map((daemon) => daemon.stop()));
});

/** A bare repository in its own folder: `<dir>/remote.git`. */
async function bareRemote(): Promise<{ dir: string; bare: string }> {
  const dir = await tempDir('adw-remote-');
  const bare = join(dir, 'remote.git');
  await git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
  return { dir, bare };
}

async function repoWithRemote(url: string, tasks: string): Promise<string> {
  const repo = await makeTaskRepo(tasks, { agent: fakeAgent('commit'), config: { land: 'push' } });
  await git(repo, 'remote', 'add', 'origin', url);
  await git(repo, 'push', '-q', 'origin', 'main');
  return repo;
}

describe('land: push', () => {
  it('pushes the section branch to a bare repository after each merge', async () => {
    const { bare } = await bareRemote();
    const repo = await repoWithRemote(bare, '## Git Worktree feat\n[] One\n[⏰] Two\n');
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await git(bare, 'rev-parse', 'feat')).toBe(await git(repo, 'rev-parse', 'feat'));
    const files = await git(bare, 'ls-tree', '--name-only', 'feat');
    for (const task of markers(await readTasks(repo))) {
      expect(task.emoji).toBe('✅');
      expect(files).toContain(`agent-${task.id!}.txt`);
    }
  });

  it('pushes a merge that waited for the section branch to be checked in again', async () => {
    const { dir, bare } = await bareRemote();
    const repo = await repoWithRemote(bare, '## Git Worktree feat\n[] One\n');
    // A person works on the section branch in a worktree of their own: the merge waits.
    const mine = join(dir, 'mine');
    await git(repo, 'branch', 'feat', 'main');
    await git(repo, 'worktree', 'add', '-q', mine, 'feat');
    const first = await runCli(['start', '--once'], { cwd: repo });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(markers(await readTasks(repo))[0]?.emoji).toBe('✅');
    const [task] = markers(await readTasks(repo));
    const file = `agent-${task!.id!}.txt`;
    // The merge waits: what the remote has of feat (if anything) lacks the task's work.
    const before = await git(bare, 'ls-tree', '--name-only', 'feat').catch(() => '');
    expect(before).not.toContain(file);

    await git(repo, 'worktree', 'remove', mine);
    const second = await runCli(['start', '--once'], { cwd: repo });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await git(bare, 'ls-tree', '--name-only', 'feat')).toContain(file);
    expect(await git(bare, 'rev-parse', 'feat')).toBe(await git(repo, 'rev-parse', 'feat'));
  });

  it('pushes over git:// to a git daemon on 127.0.0.1, and merges a commit a person pushed meanwhile', async () => {
    const { dir, bare } = await bareRemote();
    const daemon = await startGitDaemon(dir);
    daemons.push(daemon);
    const url = daemon.url('remote.git');
    const repo = await makeTaskRepo('## Git Worktree feat\n[] First task\n', {
      agent: fakeAgent('commit'),
      config: { land: 'push' },
    });
    await waitForRemote(repo, url);
    await git(repo, 'remote', 'add', 'origin', url);
    await git(repo, 'push', '-q', 'origin', 'main');

    const first = await runCli(['start', '--once'], { cwd: repo });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await git(bare, 'rev-parse', 'feat')).toBe(await git(repo, 'rev-parse', 'feat'));

    // A person pushes to the section branch.
    const person = join(await tempDir('adw-person-'), 'clone');
    await git(dir, 'clone', '-q', '-b', 'feat', url, person);
    await appendFile(join(person, 'person.txt'), 'by hand\n');
    await git(person, 'add', 'person.txt');
    await git(person, 'commit', '-q', '-m', 'a person commits');
    await git(person, 'push', '-q', 'origin', 'feat');
    const theirs = await git(person, 'rev-parse', 'HEAD');

    await appendFile(join(repo, 'tasks.md'), '[] Second task\n');
    const second = await runCli(['start', '--once'], { cwd: repo });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const [, task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('✅');

    // Both commits are on the remote; theirs was kept (no force push).
    const remoteTip = await git(bare, 'rev-parse', 'feat');
    expect(remoteTip).toBe(await git(repo, 'rev-parse', 'feat'));
    await git(bare, 'merge-base', '--is-ancestor', theirs, remoteTip);
    await git(
      bare,
      'merge-base',
      '--is-ancestor',
      await git(repo, 'rev-parse', `feat-${task!.id!}`),
      remoteTip,
    );
    const files = await git(bare, 'ls-tree', '--name-only', 'feat');
    expect(files).toContain('person.txt');
    expect(files).toContain(`agent-${task!.id!}.txt`);
    expect(second.stdout).toContain('section pushed');
  });
});
