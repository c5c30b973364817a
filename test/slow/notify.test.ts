import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

// The `notify` command of a real daemon (`start --once`, built CLI) with a scripted fake agent.

const NOTIFIER = fileURLToPath(new URL('../fixtures/notifiers/record.mjs', import.meta.url));
const TASKS =
  '## Git Worktree docs\n[] Write the docs\n\n## Git Worktree api\n[] Break the api FAIL\n';

async function notifyRepo(): Promise<{ repo: string; out: string }> {
  const out = join(await tempDir('adw-notify-'), 'events.txt');
  const repo = await makeTaskRepo(TASKS, {
    agent: fakeAgent('scripted'),
    config: { retries: 0, notify: [process.execPath, NOTIFIER] },
  });
  return { repo, out };
}

async function recorded(out: string): Promise<{ type: string; event: Record<string, unknown> }[]> {
  const text = await readFile(out, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      return {
        type: line.slice(0, space),
        event: JSON.parse(line.slice(space + 1)) as Record<string, unknown>,
      };
    });
}

it('runs the notifier on task.done, task.failed, section.done and queue.idle with the event on stdin', async () => {
  const { repo, out } = await notifyRepo();
  const result = await runCli(['start', '--once'], { cwd: repo, env: { ADW_NOTIFY_OUT: out } });
  expect(result.code).toBe(3);
  const events = await recorded(out);
  const byType = new Map(events.map((e) => [e.type, e.event]));
  expect([...byType.keys()].sort()).toEqual([
    'queue.idle',
    'section.done',
    'task.done',
    'task.failed',
  ]);
  const [done, failed] = markers(await readTasks(repo));
  expect(byType.get('task.done')).toMatchObject({
    type: 'task.done',
    id: done?.id,
    section: 'docs',
    description: 'Write the docs',
    costUsd: 0.25,
  });
  expect(byType.get('task.failed')).toMatchObject({
    id: failed?.id,
    section: 'api',
    error: 'agent reported an error: could not do it',
  });
  expect(byType.get('section.done')).toMatchObject({ section: 'docs', tasks: 1 });
  expect(byType.get('queue.idle')).toMatchObject({ done: 1, failed: 1 });
  // Each event once: the api section never finished, the queue went idle once.
  expect(events).toHaveLength(4);
  expect(result.stdout).not.toContain('notifier');
});

it.each(['fail', 'hang'])(
  'a notifier that does %s never holds up a task, and is one warning per event',
  async (mode) => {
    const { repo, out } = await notifyRepo();
    const daemon = startCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_NOTIFY_OUT: out, ADW_NOTIFY_MODE: mode },
    });
    // Both outcomes are in tasks.md while notifiers for them were already started.
    await waitFor(
      async () => {
        const emojis = markers(await readTasks(repo)).map((m) => m.emoji);
        const types = (await recorded(out)).map((e) => e.type);
        return (
          emojis.join('') === '✅❌' && types.includes('task.done') && types.includes('task.failed')
        );
      },
      60_000,
      () => `both outcomes and their notifications (${daemon.output()})`,
    );
    const result = await daemon.done;
    expect(result.code).toBe(3);
    const warning =
      mode === 'fail'
        ? 'notifier failed (exit 1): webhook said no'
        : 'notifier did not finish within 10s; stopped it';
    const warnings = result.stdout.split('\n').filter((line) => line.includes(warning));
    const events = await recorded(out);
    expect(events.map((e) => e.type).sort()).toEqual([
      'queue.idle',
      'section.done',
      'task.done',
      'task.failed',
    ]);
    expect(warnings).toHaveLength(events.length);
    expect(markers(await readTasks(repo)).map((m) => m.emoji)).toEqual(['✅', '❌']);
  },
);
