import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

// Writes alpha.txt, beta.txt or fix.txt, named by the task, and commits it.
const AGENT = `import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const prompt = process.argv.at(-1) ?? '';
const name = ['alpha', 'beta', 'fix'].find((word) => prompt.includes('Write ' + word));
writeFileSync(name + '.txt', 'x\\n');
execFileSync('git', ['add', '-A']);
execFileSync('git', ['commit', '-q', '--no-gpg-sign', '-m', 'agent writes ' + name]);
`;

// Passes with alpha or beta alone; fails with both, until fix.txt is there too.
const CHECK =
  'if [ -e alpha.txt ] && [ -e beta.txt ] && [ ! -e fix.txt ]; then echo "alpha and beta clash" >&2; exit 1; fi; echo checks ok';

describe('sectionChecks', () => {
  it('keeps a section whose merged result fails its checks from landing, then lands it once a later task fixes it', async () => {
    const dir = await tempDir('adw-checks-');
    const agent = join(dir, 'agent.mjs');
    await writeFile(agent, AGENT);
    const bare = join(dir, 'remote.git');
    await git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
    const repo = await makeTaskRepo('## Git Worktree feat\n[] Write alpha\n[] Write beta\n', {
      agent,
      config: { land: 'push', sectionChecks: ['true', CHECK], concurrency: 2 },
    });
    await git(repo, 'remote', 'add', 'origin', bare);
    await git(repo, 'push', '-q', 'origin', 'main');

    const first = await runCli(['start', '--once'], { cwd: repo });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(markers(await readTasks(repo)).map((task) => task.emoji)).toEqual(['✅', '✅']);
    expect(await git(bare, 'branch', '--list', 'feat')).toBe('');
    const status = (await runCli(['status'], { cwd: repo })).stdout;
    expect(status).toContain('checks failed (log .adw/sections/feat/checks.log)');
    const log = await readFile(join(repo, '.adw', 'sections', 'feat', 'checks.log'), 'utf8');
    expect(log).toContain('alpha and beta clash');
    // The checks worktree is gone.
    expect(await git(repo, 'worktree', 'list')).not.toContain('.adw');

    await appendFile(join(repo, 'tasks.md'), '[] Write fix\n');
    const second = await runCli(['start', '--once'], { cwd: repo });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await git(bare, 'rev-parse', 'feat')).toBe(await git(repo, 'rev-parse', 'feat'));
    const after = (await runCli(['status', '--json'], { cwd: repo })).stdout;
    const report = JSON.parse(after) as { sections: { name: string; checks: string | null }[] };
    expect(report.sections).toEqual([expect.objectContaining({ name: 'feat', checks: 'passed' })]);
  });
});
