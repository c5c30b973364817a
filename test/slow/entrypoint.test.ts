import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, waitForDaemonRecord, waitForFirstTask } from '../helpers/task-repo.js';

// The container's CMD and HEALTHCHECK, run as the image runs them: from another folder, with
// the repository named by --repo.
describe('the container entrypoint', () => {
  it('start --repo DIR works from elsewhere, health --repo DIR follows it, SIGTERM exits 0', async () => {
    const repo = await makeTaskRepo('[] Run from the entrypoint\n', { agent: fakeAgent('commit') });
    const elsewhere = await tempDir();
    const before = await runCli(['health', '--repo', repo], { cwd: elsewhere });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('unhealthy');

    const daemon = startCli(['start', '--repo', repo], { cwd: elsewhere });
    await waitForFirstTask(repo);
    await waitForDaemonRecord(repo);
    const during = await runCli(['health', '--repo', repo], { cwd: elsewhere });
    expect(during.code, during.stdout).toBe(0);
    expect(during.stdout).toContain(`daemon ${daemon.child.pid ?? 0}`);

    daemon.child.kill('SIGTERM');
    expect((await daemon.done).code).toBe(0);
    expect((await runCli(['health', '--repo', repo], { cwd: elsewhere })).code).toBe(1);
    // Nothing was written where the daemon was started.
    expect(await readdir(elsewhere)).toEqual([]);
  });
});
