import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';
import { snapshotDir } from '../cli/snapshot.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

/** A repository whose origin gh sees as the stand-in's repository, and whose pushes go to a bare one. */
async function prRepo(tasks: string, gh: FakeGitHub): Promise<{ repo: string; bare: string }> {
  const dir = await tempDir('adw-pr-');
  const agent = fakeAgent('commit-unless-asked');
  const bare = join(dir, 'remote.git');
  await git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
  const repo = await makeTaskRepo(tasks, {
    agent,
    config: { land: 'pr', prBase: 'main', retries: 0 },
  });
  await git(repo, 'remote', 'add', 'origin', gh.remoteUrl);
  await git(repo, 'remote', 'set-url', '--push', 'origin', bare);
  await git(repo, 'push', '-q', 'origin', 'main');
  return { repo, bare };
}

describe('land: pr, with the real gh against a stand-in of the GitHub API', () => {
  it('opens one PR per finished section listing every task, then updates its body when a task is added', async () => {
    const gh = await startFakeGitHub();
    fakes.push(gh);
    const { repo, bare } = await prRepo(
      '## Git Worktree feat\n[] Add a form\n[] Then please fail\n',
      gh,
    );
    const first = await runCli(['start', '--once'], { cwd: repo, env: gh.env });
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const [form, failing] = markers(await readTasks(repo));
    expect(gh.pulls).toHaveLength(1);
    const pull = gh.pulls[0]!;
    expect(pull).toMatchObject({
      title: 'feat',
      headRefName: 'feat',
      baseRefName: 'main',
      isDraft: false,
    });
    expect(pull.body).toContain(`- ✅ Add a form (${form!.hash!})`);
    expect(pull.body).toContain('- ❌ Then please fail: agent exited with code 1: asked to fail');
    expect(await git(bare, 'rev-parse', 'feat')).toBe(await git(repo, 'rev-parse', 'feat'));
    expect(failing?.emoji).toBe('❌');

    const status = await runCli(['status', '--json'], { cwd: repo });
    const report = JSON.parse(status.stdout) as { sections: { name: string; pr: string | null }[] };
    expect(report.sections).toEqual([expect.objectContaining({ name: 'feat', pr: pull.url })]);
    expect((await runCli(['status'], { cwd: repo })).stdout).toContain(`PR ${pull.url}`);

    await appendFile(join(repo, 'tasks.md'), '[] Add a button\n');
    const second = await runCli(['start', '--once'], { cwd: repo, env: gh.env });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const button = markers(await readTasks(repo))[2]!;
    expect(gh.pulls).toHaveLength(1);
    expect(gh.operations).toContain('PullRequestUpdate');
    expect(pull.body).toContain(`- ✅ Add a button (${button.hash!})`);
    expect(pull.body).toContain(`- ✅ Add a form (${form!.hash!})`);
    expect(pull.body).toContain('- ❌ Then please fail');
  });

  it('refuses to start when gh is not logged in: a preflight error, nothing claimed', async () => {
    const gh = await startFakeGitHub();
    fakes.push(gh);
    const { repo } = await prRepo('## Git Worktree feat\n[] Add a form\n', gh);
    const before = await snapshotDir(repo);
    const unconfigured = await tempDir('adw-gh-empty-');
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { GH_CONFIG_DIR: unconfigured, GH_HOST: 'github.adw.test' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^adw-trigger: `land` is "pr" but gh is not usable \(install the GitHub CLI and run `gh auth login`\): /,
    );
    expect(await snapshotDir(repo)).toEqual(before);
    expect(await readFile(join(repo, 'tasks.md'), 'utf8')).toBe(
      '## Git Worktree feat\n[] Add a form\n',
    );
  });
});
