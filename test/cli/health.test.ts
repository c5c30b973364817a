import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli } from '../helpers/cli.js';
import { makeTaskRepo, waitForDaemonRecord } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

describe('adw-trigger health', () => {
  it('exits 1 when no daemon runs, changing nothing', async () => {
    const repo = await makeTaskRepo('[] Nothing runs this\n', { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['health'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^unhealthy: no daemon on \S+ with a heartbeat/);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('exits 0 while `start` runs, and 1 again after it stopped', async () => {
    const repo = await makeTaskRepo('# Nothing to do yet\n', { agent: fakeAgent('commit') });
    const daemon = startCli(['start'], { cwd: repo });
    try {
      await waitForDaemonRecord(repo);
      const result = await runCli(['health'], { cwd: repo });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(`^healthy: daemon ${String(daemon.child.pid)} on \\S+, heartbeat \\d+s ago\\n$`),
      );
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.done;
    }
    expect((await runCli(['health'], { cwd: repo })).code).toBe(1);
  });
});
