import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, readTasks, waitForFirstTask } from '../helpers/task-repo.js';

describe('bad input', () => {
  it('refuses a folder that is not a git repository with exit 1, writing nothing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '[] A task\n');
    const result = await runCli(['start', '--once'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`not a git repository`);
    expect(result.stderr).toContain(dir);
    expect(await readFile(join(dir, 'tasks.md'), 'utf8')).toBe('[] A task\n');
  });

  it('never runs a task of a section named ../../x, and says why', async () => {
    const original = '## Git Worktree ../../x\n[] Escape the repository\n';
    const repo = await makeTaskRepo(original, { agent: fakeAgent('commit') });
    const check = await runCli(['check', 'tasks.md'], { cwd: repo });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^tasks\.md:1:\d+ error invalid-section-name .*\.\.\/\.\.\/x/m);
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(await readTasks(repo)).toBe(original);
    // The daemon's log says which line it leaves alone, and why.
    const warned = result.stdout
      .split('\n')
      .filter((line) => line.includes('"rule":"invalid-section-name"'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('../../x');
  });

  it('hands task text with shell syntax to the agent verbatim as one argument, executing nothing', async () => {
    const out = join(await tempDir(), 'argv.jsonl');
    const texts = ['$(touch pwned)', '; rm -rf ~ ; touch pwned', '`touch pwned`'];
    const repo = await makeTaskRepo(texts.map((text) => `[] ${text}\n`).join(''), {
      agent: fakeAgent('print-argv'),
      config: { concurrency: 1 },
    });
    await runCli(['start', '--once'], { cwd: repo, env: { ADW_FAKE_OUT: out } });
    const runs = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { argv: string[]; cwd: string });
    expect(runs).toHaveLength(texts.length);
    // Each text reaches the agent inside its one prompt argument, exactly as written.
    for (const text of texts)
      expect(runs.filter((run) => run.argv.at(-1)?.includes(`\n${text}\n`))).toHaveLength(1);
    for (const run of runs) expect(existsSync(join(run.cwd, 'pwned'))).toBe(false);
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
  });

  it('refuses to start when the agent executable is missing, naming it, and claims nothing', async () => {
    const repo = await makeTaskRepo('[] Needs an agent\n', {
      agent: fakeAgent('commit'),
      config: { command: ['no-such-agent-binary'] },
    });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-agent-binary');
    expect(await readTasks(repo)).toBe('[] Needs an agent\n');
  });

  it('keeps running on a read-only tasks.md, says so, and claims once it is writable again', async () => {
    const repo = await makeTaskRepo('[] Wait for write access\n', { agent: fakeAgent('commit') });
    const file = join(repo, 'tasks.md');
    await chmod(file, 0o444);
    const daemon = startCli(['start', '--poll-interval', '200'], { cwd: repo });
    await waitFor(() => daemon.output().includes('read-only'), 15_000, 'the read-only message');
    expect(await readTasks(repo)).toBe('[] Wait for write access\n');
    expect(daemon.child.exitCode).toBeNull();
    await chmod(file, 0o644);
    await waitForFirstTask(repo);
    daemon.child.kill('SIGTERM');
    expect((await daemon.done).code).toBe(0);
  });

  it('reports a missing tasks file once, waits for it, and starts work when it appears', async () => {
    const repo = await makeTaskRepo('', { agent: fakeAgent('commit') });
    const file = join(repo, 'tasks.md');
    await rm(file);
    const daemon = startCli(['start', '--poll-interval', '200'], { cwd: repo });
    await waitFor(
      () => daemon.output().includes('does not exist'),
      15_000,
      'the missing-file message',
    );
    // Several polls later it has still said so only once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(daemon.output().split('does not exist').length - 1).toBe(1);
    await writeFile(file, '[] Appears later\n');
    await waitForFirstTask(repo);
    daemon.child.kill('SIGTERM');
    expect((await daemon.done).code).toBe(0);
  });

  it('start --once on a missing tasks file exits 1 naming it', async () => {
    const repo = await makeTaskRepo('', { agent: fakeAgent('commit') });
    await rm(join(repo, 'tasks.md'));
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(repo, 'tasks.md'));
    expect(result.stderr).toContain('does not exist');
  });
});
