import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { agentSpecOf } from '../../src/agents/index.js';
import { loadConfig } from '../../src/config/index.js';
import { ConfigInForce } from '../../src/daemon/index.js';
import type { ConfigState, InForce } from '../../src/daemon/index.js';
import { loadWorkflows } from '../../src/workflows/index.js';
import { makeRepo } from '../helpers/git.js';

type Check = (next: InForce) => Promise<string | null>;

async function liveIn(config: Record<string, unknown>, check: Check = () => Promise.resolve(null)) {
  const root = await makeRepo({ 'adw-trigger.json': JSON.stringify(config) });
  const logs: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line) as (typeof logs)[number]) },
  );
  const load = { repoDir: root, env: {} };
  const { config: loaded } = await loadConfig(load);
  const initial: InForce = {
    config: loaded,
    workflows: await loadWorkflows(root),
    agent: agentSpecOf(loaded, root),
  };
  const live = new ConfigInForce(initial, {
    root,
    load,
    log,
    check,
  });
  const states: ConfigState[] = [];
  live.subscribe((state) => states.push(state));
  const save = async (text: string) => {
    await writeFile(join(root, 'adw-trigger.json'), text);
    await live.reload();
  };
  return { root, live, logs, states, save, initial };
}

describe('ConfigInForce: the configuration tasks start with', () => {
  it('applies a valid change to what starts next; a task keeps what it got', async () => {
    const { live, logs, save, initial } = await liveIn({ concurrency: 1 });
    await live.reload();
    expect(logs).toEqual([]);
    const taken = live.current();
    await save(JSON.stringify({ concurrency: 3, model: 'opus', retries: 0 }));
    expect(taken).toBe(initial);
    expect(taken.config.concurrency).toBe(1);
    expect(live.current().config).toMatchObject({ concurrency: 3, model: 'opus', retries: 0 });
    expect(live.current().agent.defaultModel).toBe('opus');
    expect(live.parseOptions.defaultModel).toBe('opus');
    expect(live.state()).toMatchObject({ inForce: true, error: null, needsRestart: [] });
    expect(logs.map((entry) => entry.msg)).toEqual([
      'configuration reloaded (concurrency 1 → 3; model none → opus; retries 1 → 0): tasks started from now on use it',
    ]);
  });

  it.each([
    ['broken JSON', '{"concurrency": 2', /^adw-trigger\.json:1:18: Invalid JSON: /],
    ['an unknown key', '{"concurency": 2}', /^adw-trigger\.json: Unknown key `concurency`/],
    [
      'a bad value',
      '{"stepTimeout": "soon"}',
      /^adw-trigger\.json: Expected `stepTimeout` to be a duration.*got `"soon"`/,
    ],
  ])(
    'refuses %s whole, logs it once and says the file is not in force',
    async (_n, text, error) => {
      const { live, logs, states, save, initial } = await liveIn({ concurrency: 1 });
      await save(text);
      await live.reload();
      await save(text);
      expect(live.current()).toBe(initial);
      expect(live.state()).toMatchObject({ inForce: false, file: 'adw-trigger.json' });
      expect(live.state().error).toMatch(error);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ level: 50, file: 'adw-trigger.json' });
      expect(logs[0]?.msg).toMatch(error);
      expect(logs[0]?.msg).toMatch(/\(the configuration loaded at .+ stays in force\)$/);
      expect(states.at(-1)?.inForce).toBe(false);

      await save('{"concurrency": 2}');
      expect(live.current().config.concurrency).toBe(2);
      expect(live.state()).toMatchObject({ inForce: true, file: null, error: null });
      expect(logs.map((entry) => entry.msg)).toContain(
        'the configuration on disk is valid again and is in force',
      );
    },
  );

  it('refuses a configuration its check refuses (an agent that is not found)', async () => {
    const check = (next: InForce) =>
      Promise.resolve(next.agent.executable === 'nope' ? 'agent executable not found: nope' : null);
    const { live, logs, save, initial } = await liveIn({}, check);
    await save('{"claudeBin": "nope"}');
    expect(live.current()).toBe(initial);
    expect(live.state().error).toBe('adw-trigger.json: agent executable not found: nope');
    expect(logs).toHaveLength(1);
  });

  it('keeps a key that needs a restart, says so once, and applies the rest', async () => {
    const { live, logs, save } = await liveIn({ worktreeDir: 'trees' });
    await save('{"worktreeDir": "other", "retries": 3}');
    await save('{"worktreeDir": "other", "retries": 3, "concurrency": 2}');
    expect(live.current().config).toMatchObject({
      worktreeDir: 'trees',
      retries: 3,
      concurrency: 2,
    });
    expect(live.state().needsRestart).toEqual(['worktreeDir']);
    const warnings = logs.filter((entry) => entry.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ key: 'worktreeDir', value: 'other' });
    expect(warnings[0]?.msg).toBe(
      'adw-trigger.json: `worktreeDir` changed to other: needs a restart; trees stays in force until then',
    );
    await save('{"worktreeDir": "trees", "retries": 3, "concurrency": 2}');
    expect(live.state().needsRestart).toEqual([]);
    // A secret that needs a restart is named, never shown.
    await save('{"retries": 3, "concurrency": 2, "httpToken": "secret-token-0123456789"}');
    expect(live.state().needsRestart).toEqual(['httpToken']);
    expect(JSON.stringify(logs)).not.toContain('secret-token');
    expect(logs.at(-1)?.msg).toMatch(/`httpToken` changed to \(set, not shown\): needs a restart/);
  });

  it('picks up a workflow file, and refuses a broken one naming it', async () => {
    const { root, live, logs } = await liveIn({});
    await mkdir(join(root, '.adw', 'workflows'), { recursive: true });
    const file = join(root, '.adw', 'workflows', 'review.md');
    await writeFile(
      file,
      '---\nname: review\ntags: [review]\n---\n\n## look\n\nLook at {{task}}\n',
    );
    await live.reload();
    expect(live.parseOptions.workflows.map((w) => w.name)).toContain('review');
    expect(logs.at(-1)?.msg).toMatch(/workflow review changed/);
    await writeFile(file, 'no front matter\n');
    await live.reload();
    expect(live.parseOptions.workflows.map((w) => w.name)).toContain('review');
    expect(live.state()).toMatchObject({ inForce: false, file: '.adw/workflows/review.md' });
    expect(logs.at(-1)).toMatchObject({ level: 50, file: '.adw/workflows/review.md' });
  });
});
