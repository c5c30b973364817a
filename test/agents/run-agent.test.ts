import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/agents/describe-failure.js';
import { isGroupAlive } from '../../src/agents/kill-group.js';
import { findRunProcesses, newRunToken } from '../../src/agents/containment.js';
import { runAgent } from '../../src/agents/run-agent.js';
import type { RunAgentOptions } from '../../src/agents/types.js';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { tempDir } from '../helpers/temp.js';

const limits = { stepTimeoutMs: 20_000, idleTimeoutMs: 20_000 };

async function options(overrides: Partial<RunAgentOptions> = {}): Promise<RunAgentOptions> {
  const dir = await tempDir();
  return {
    argv: [fakeAgent('noop')],
    cwd: dir,
    env: {},
    ...limits,
    logFile: join(dir, 'logs', 'step.log'),
    killGraceMs: 500,
    ...overrides,
  };
}

// True when no process of the group runs any more. `kill(-pgid, 0)` is the portable check; where
// PID 1 does not reap orphans (some sandboxes), a killed grandchild stays a zombie and only the
// zombie-aware check of isGroupAlive can tell it is gone.
async function groupGone(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return !(await isGroupAlive(pgid));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function processState(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

describe('runAgent', () => {
  it('runs an agent that exits 0 and logs its output', async () => {
    const opts = await options({ argv: [fakeAgent('edit'), 'hello prompt'] });
    const outcome = await runAgent(opts);
    expect(outcome).toMatchObject({
      ok: true,
      exitCode: 0,
      signal: null,
      stoppedBy: null,
      spawnError: null,
      result: null,
    });
    expect(outcome.output).toContain('wrote agent-x.txt');
    expect(await readFile(opts.logFile, 'utf8')).toContain('wrote agent-x.txt');
    expect(await readFile(join(opts.cwd, 'agent-x.txt'), 'utf8')).toBe('hello prompt\n');
  });

  it('passes the prompt as one argv element, untouched by any shell', async () => {
    const dir = await tempDir();
    const out = join(dir, 'argv.json');
    const prompt = 'rm -rf / ; $(echo pwned) `id` "quoted" \'single\'\nsecond line';
    const outcome = await runAgent(
      await options({
        argv: [fakeAgent('print-argv'), '--flag', prompt],
        env: { ADW_FAKE_OUT: out, ADW_ID: 'abc12345' },
      }),
    );
    expect(outcome.ok).toBe(true);
    const printed = JSON.parse(await readFile(out, 'utf8')) as {
      argv: string[];
      env: Record<string, string>;
    };
    expect(printed.argv).toEqual(['--flag', prompt]);
    expect(printed.env.ADW_ID).toBe('abc12345');
  });

  it('appends to the log file across runs', async () => {
    const opts = await options({ argv: [fakeAgent('fail')] });
    await runAgent(opts);
    await runAgent(opts);
    const log = await readFile(opts.logFile, 'utf8');
    expect(log.match(/fake agent failed/g)).toHaveLength(2);
  });

  it('clamps limits beyond what a timer can hold instead of firing at once', async () => {
    const outcome = await runAgent(
      await options({ stepTimeoutMs: 2 ** 33, idleTimeoutMs: 2 ** 40 }),
    );
    expect(outcome).toMatchObject({ ok: true, stoppedBy: null });
  });

  it('reports a non-zero exit with the last line of output', async () => {
    const opts = await options({
      argv: [fakeAgent('fail')],
      env: { ADW_FAKE_MESSAGE: 'tests are red', ADW_FAKE_EXIT: '2' },
    });
    const outcome = await runAgent(opts);
    expect(outcome).toMatchObject({ ok: false, exitCode: 2, stoppedBy: null });
    expect(describeFailure(outcome, 'implement', limits)).toBe(
      'agent exited with code 2: tests are red',
    );
  });

  it('reports a missing executable without throwing', async () => {
    const opts = await options({ argv: ['adw-no-such-agent-xyz', '-p', 'x'] });
    const outcome = await runAgent(opts);
    expect(outcome).toMatchObject({
      ok: false,
      exitCode: null,
      spawnError: 'agent executable not found: adw-no-such-agent-xyz',
    });
    expect(describeFailure(outcome, 'implement', limits)).toBe(
      'agent executable not found: adw-no-such-agent-xyz',
    );
  });

  it('reports arguments no process can receive instead of throwing', async () => {
    const outcome = await runAgent(await options({ argv: [fakeAgent('edit'), 'a\u0000b'] }));
    expect(outcome.ok).toBe(false);
    expect(outcome.spawnError).toMatch(/^could not start agent edit\.mjs: /);
  });

  it('reports a missing working directory', async () => {
    const dir = await tempDir();
    const opts = await options({ cwd: join(dir, 'gone') });
    const outcome = await runAgent(opts);
    expect(outcome.ok).toBe(false);
    expect(outcome.spawnError).toBe(`agent working directory not found: ${join(dir, 'gone')}`);
  });

  it('fails a run that exits 0 but says WORK_RESULT:failed', async () => {
    const outcome = await runAgent(await options({ argv: [fakeAgent('work-result-failed')] }));
    expect(outcome).toMatchObject({ ok: false, exitCode: 0 });
    expect(describeFailure(outcome, 'implement', limits)).toBe('agent reported WORK_RESULT:failed');
  });

  it('reads a claude result line from any agent and fails on is_error', async () => {
    const good = await runAgent(await options({ argv: [fakeAgent('claude-result')] }));
    expect(good.ok).toBe(true);
    expect(good.result).toMatchObject({ text: 'All done in step', costUsd: 0.25, numTurns: 3 });

    const bad = await runAgent(
      await options({
        argv: [fakeAgent('claude-result')],
        env: { ADW_FAKE_RESULT: '{"is_error":true,"result":"API Error: 500 boom"}' },
      }),
    );
    expect(bad).toMatchObject({ ok: false, exitCode: 0 });
    expect(describeFailure(bad, 'implement', limits)).toBe(
      'agent reported an error: API Error: 500 boom',
    );
  });

  it('kills the whole group, grandchild included, at the step timeout', async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'gc.pid');
    let pid = 0;
    const outcome = await runAgent(
      await options({
        argv: [fakeAgent('grandchild')],
        env: { ADW_FAKE_PID_FILE: pidFile },
        stepTimeoutMs: 1500,
        onSpawn: (spawned) => {
          pid = spawned;
        },
      }),
    );
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(outcome).toMatchObject({ ok: false, stoppedBy: 'stepTimeout', signal: 'SIGTERM' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1400);
    expect(pid).toBeGreaterThan(0);
    expect(await groupGone(pid)).toBe(true);
    expect(await processState(grandchild)).toMatch(/^(Z|null)?$/);
    expect(describeFailure(outcome, 'implement', { ...limits, stepTimeoutMs: 1500 })).toBe(
      'step implement timed out after 1500ms (stepTimeout)',
    );
  });

  it('kills an agent that prints nothing for idleTimeout', async () => {
    let pid = 0;
    const outcome = await runAgent(
      await options({
        argv: [fakeAgent('silent-hang')],
        idleTimeoutMs: 800,
        onSpawn: (spawned) => {
          pid = spawned;
        },
      }),
    );
    expect(outcome).toMatchObject({ ok: false, stoppedBy: 'idleTimeout' });
    expect(await groupGone(pid)).toBe(true);
    expect(describeFailure(outcome, 'plan', { ...limits, idleTimeoutMs: 600_000 })).toBe(
      'step plan printed nothing for 10m (idleTimeout)',
    );
  });

  it('escalates to SIGKILL when the agent ignores SIGTERM', async () => {
    let pid = 0;
    const outcome = await runAgent(
      await options({
        argv: [fakeAgent('hang')],
        env: { ADW_FAKE_IGNORE_TERM: '1' },
        stepTimeoutMs: 800,
        killGraceMs: 700,
        onSpawn: (spawned) => {
          pid = spawned;
        },
      }),
    );
    expect(outcome).toMatchObject({ ok: false, stoppedBy: 'stepTimeout', signal: 'SIGKILL' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1400);
    expect(await groupGone(pid)).toBe(true);
  });

  it('stops the group when the signal aborts', async () => {
    const controller = new AbortController();
    let pid = 0;
    const running = runAgent(
      await options({
        argv: [fakeAgent('hang')],
        signal: controller.signal,
        onSpawn: (spawned) => {
          pid = spawned;
          setTimeout(() => {
            controller.abort();
          }, 300);
        },
      }),
    );
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, stoppedBy: 'abort' });
    expect(await groupGone(pid)).toBe(true);
    expect(describeFailure(outcome, 'implement', limits)).toBe('step implement was stopped');
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const dir = await tempDir();
    const out = join(dir, 'argv.json');
    const outcome = await runAgent(
      await options({
        argv: [fakeAgent('print-argv')],
        env: { ADW_FAKE_OUT: out },
        signal: controller.signal,
      }),
    );
    expect(outcome).toMatchObject({ ok: false, stoppedBy: 'abort', exitCode: null });
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it.each([['ignore'], ['inherit']])(
    'stops a grandchild left behind after the agent exits (grandchild stdio %s)',
    async (stdio) => {
      const dir = await tempDir();
      const pidFile = join(dir, 'gc.pid');
      let pid = 0;
      const outcome = await runAgent(
        await options({
          argv: [fakeAgent('grandchild')],
          env: {
            ADW_FAKE_PID_FILE: pidFile,
            ADW_FAKE_EXIT_EARLY: '1',
            ADW_FAKE_GRANDCHILD_STDIO: stdio,
          },
          onSpawn: (spawned) => {
            pid = spawned;
          },
        }),
      );
      const grandchild = Number(await readFile(pidFile, 'utf8'));
      expect(outcome).toMatchObject({ ok: true, exitCode: 0, stoppedBy: null });
      expect(await groupGone(pid)).toBe(true);
      expect(pidAlive(grandchild) ? await processState(grandchild) : 'gone').toMatch(/^(Z|gone)$/);
    },
  );

  it('stops a process that left the group and the session (setsid), found by the run token', async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'escaped.pid');
    const token = newRunToken();
    const outcome = await runAgent(
      await options({
        argv: [
          '/bin/sh',
          '-c',
          // The agent exits once the escaped process has written its pid file: it has left the
          // group and the session by then, whatever the machine's speed.
          `setsid sh -c 'echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; exec sleep 600' sh "${pidFile}" >/dev/null 2>&1 & while [ ! -s "${pidFile}" ]; do sleep 0.01; done; echo started`,
        ],
        token,
      }),
    );
    expect(outcome).toMatchObject({ ok: true, exitCode: 0 });
    expect(await findRunProcesses(token)).toEqual([]);
    // The pid file is written by the escaped process itself; it ran (and is gone now).
    const escaped = Number(await readFile(pidFile, 'utf8'));
    expect(escaped).toBeGreaterThan(0);
    expect(pidAlive(escaped) ? await processState(escaped) : 'gone').toMatch(/^(Z|gone)$/);
  });

  it('stops an escaped process that is still starting (in execve) when the agent exits', async () => {
    const token = newRunToken();
    // The agent exits at once: the escaped chain of execs is still under way while it is stopped.
    const outcome = await runAgent(
      await options({
        argv: ['/bin/sh', '-c', `setsid sh -c 'exec sh -c "exec sleep 600"' >/dev/null 2>&1 &`],
        token,
      }),
    );
    expect(outcome).toMatchObject({ ok: true, exitCode: 0 });
    // A process missed while it was in execve would show its token again once it ran on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const left = await findRunProcesses(token);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    expect(left).toEqual([]);
  });

  it('gives the prompt on stdin, however big (no E2BIG)', async () => {
    const big = `-${'x'.repeat(300 * 1024)}`;
    const outcome = await runAgent(
      await options({
        argv: [
          process.execPath,
          '-e',
          'let n = 0; process.stdin.on("data", (c) => { n += c.length; }).on("end", () => console.log(`read ${n}`))',
        ],
        stdin: big,
      }),
    );
    expect(outcome).toMatchObject({ ok: true, exitCode: 0 });
    expect(outcome.output).toBe(`read ${big.length}\n`);
  });

  it('names a missing executable by its full path', async () => {
    const outcome = await runAgent(await options({ argv: ['/nonexistent/agent'] }));
    expect(outcome.spawnError).toBe('agent executable not found: /nonexistent/agent');
  });

  it('looks for WORK_RESULT:failed in stdout only, never in stderr (where prompts are echoed)', async () => {
    const outcome = await runAgent(
      await options({
        argv: [process.execPath, '-e', 'console.error("WORK_RESULT:failed"); console.log("done")'],
      }),
    );
    expect(outcome).toMatchObject({ ok: true, answer: 'done\n' });
  });
});
