import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DispatchPause, nextMidnight } from '../../src/daemon/dispatch-pause.js';
import { daySpend, describePause } from '../../src/runs/index.js';
import { tempDir } from '../helpers/temp.js';

async function pauseIn(clock: { now: number }) {
  const adwDir = join(await tempDir(), '.adw');
  const logs: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line) as never) },
  );
  let resumed = 0;
  const pause = new DispatchPause({
    adwDir,
    owner: { host: 'h' },
    log,
    clock: () => clock.now,
    retryBackoffMs: 1000,
    maxRetryBackoffMs: 5000,
    onResume: () => {
      resumed += 1;
    },
  });
  return { pause, logs, adwDir, resumed: () => resumed };
}

describe('DispatchPause', () => {
  it('a rate limit pauses until its reset, said once however many tasks meet it; the file says so', async () => {
    const clock = { now: Date.parse('2026-12-01T02:00:00Z') };
    const { pause, logs, adwDir } = await pauseIn(clock);
    const resetAt = clock.now + 60_000;
    pause.rateLimited(resetAt, 'limit A');
    pause.rateLimited(resetAt, 'limit B');
    pause.rateLimited(null, 'limit C');
    expect(pause.current()).toMatchObject({
      kind: 'rate-limit',
      until: new Date(resetAt).toISOString(),
      reason: 'limit A',
    });
    expect(logs.filter((entry) => entry.msg.startsWith('paused: rate limit'))).toHaveLength(1);
    // A later reset extends it.
    pause.rateLimited(resetAt + 60_000, 'limit D');
    expect(pause.current()?.until).toBe(new Date(resetAt + 60_000).toISOString());
    await pause.stop();
    expect(await readdir(join(adwDir, 'pauses'))).toEqual([]);
  });

  it('a rate limit without a reset time pauses for the backoff, doubling while limits repeat', async () => {
    const clock = { now: 1_000_000 };
    const { pause } = await pauseIn(clock);
    const untils: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      pause.rateLimited(null, 'limit');
      untils.push(Date.parse(pause.current()?.until ?? '') - clock.now);
      pause.resume();
    }
    expect(untils).toEqual([1000, 2000, 4000, 5000]);
    await pause.stop();
  });

  it('ready() waits while a rate limit is on and lets go on resume', async () => {
    const clock = { now: 1_000_000 };
    const { pause, resumed } = await pauseIn(clock);
    pause.rateLimited(clock.now + 3_600_000, 'limit');
    let ready = false;
    const waiting = pause.ready().then(() => {
      ready = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ready).toBe(false);
    pause.resume();
    await waiting;
    expect(ready).toBe(true);
    expect(resumed()).toBe(1);
    expect(pause.current()).toBeNull();
    await pause.stop();
  });

  it('a permanent error fails its task; the same error on the next task pauses; a success in between clears it', async () => {
    const clock = { now: 1_000_000 };
    const { pause, adwDir } = await pauseIn(clock);
    expect(pause.permanent('authentication failed: check KEY')).toBe('failed');
    pause.taskDone();
    expect(pause.permanent('authentication failed: check KEY')).toBe('failed');
    expect(pause.permanent('authentication failed: check KEY')).toBe('paused');
    expect(pause.current()).toMatchObject({ kind: 'permanent', until: null });
    expect(describePause(pause.current()!)).toBe('paused: authentication failed: check KEY');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [file] = await readdir(join(adwDir, 'pauses'));
    const record = JSON.parse(await readFile(join(adwDir, 'pauses', file!), 'utf8')) as {
      hint: string;
      pid: number;
    };
    expect(record.hint).toContain('restart the daemon');
    expect(record.pid).toBe(process.pid);
    await pause.stop();
  });

  it('the budget pauses until midnight', async () => {
    const clock = { now: Date.parse('2026-12-01T12:00:00') };
    const { pause } = await pauseIn(clock);
    pause.budget(5.5, 5);
    expect(pause.current()).toMatchObject({
      kind: 'budget',
      reason: 'maxCostPerDay reached ($5.50 of $5.00 today)',
      until: new Date(nextMidnight(clock.now)).toISOString(),
    });
    expect(new Date(nextMidnight(clock.now)).getHours()).toBe(0);
    await pause.stop();
  });
});

describe('daySpend', () => {
  it("sums today's recorded costs (local day), one per ID", () => {
    const now = Date.parse('2026-12-01T12:00:00');
    const today = new Date(now - 3_600_000).toISOString();
    const yesterday = new Date(now - 36 * 3_600_000).toISOString();
    const run = (id: string, costUsd: number | null, finishedAt: string | null) => ({
      id,
      costUsd,
      finishedAt,
      startedAt: finishedAt ?? today,
    });
    expect(
      daySpend(
        [
          run('a', 0.5, today),
          run('b', 1, yesterday),
          run('c', null, today),
          run('a', 0.5, today),
          run('d', 0.25, null),
        ],
        now,
      ),
    ).toBe(0.75);
  });
});
