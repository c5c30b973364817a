import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { dashboardOf, httpRequest } from '../helpers/http.js';
import type { ApiState } from '../../src/http/api-state.js';
import type { CliProcess } from '../helpers/cli.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

const gate = fakeAgent('gate');
const running: CliProcess[] = [];

afterEach(async () => {
  for (const daemon of running.splice(0)) {
    daemon.child.kill('SIGTERM');
    await daemon.done;
  }
});

function start(repo: string, env: Record<string, string> = {}): CliProcess {
  const daemon = startCli(['start'], { cwd: repo, env });
  running.push(daemon);
  return daemon;
}

// The config makeTaskRepo writes, with `values` on top; saved the way editors do (temp + rename).
async function saveConfig(repo: string, agent: string, values: Record<string, unknown>) {
  const text = JSON.stringify(
    { agent: 'command', command: [process.execPath, agent], pollInterval: '1s', ...values },
    null,
    2,
  );
  await saveFile(repo, 'adw-trigger.json', text);
}

async function saveFile(repo: string, name: string, text: string): Promise<void> {
  const path = join(repo, name);
  await writeFile(`${path}.swp`, text);
  await rename(`${path}.swp`, path);
}

/** The agents' start and end marks, in the order they were written. */
async function marks(log: string): Promise<{ kind: string; id: string }[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [kind = '', id = ''] = line.split(' ');
      return { kind, id };
    });
}

/** How many agents ran at once, at most, over the marks from the `from`-th start on. */
function mostAtOnce(list: { kind: string }[], from = 1): number {
  let now = 0;
  let most = 0;
  let starts = 0;
  for (const mark of list) {
    if (mark.kind === 'start') starts++;
    now += mark.kind === 'start' ? 1 : -1;
    if (starts >= from) most = Math.max(most, now);
  }
  return most;
}

const count = async (log: string, kind: string) =>
  (await marks(log)).filter((mark) => mark.kind === kind).length;

function logLines(daemon: CliProcess, pattern: RegExp): string[] {
  return daemon
    .output()
    .split('\n')
    .filter((line) => pattern.test(line));
}

interface DaemonJson {
  config: { inForce: boolean; file: string | null; error: string | null; needsRestart: string[] };
}

// The daemon as `status --json` shows it, once `until` holds: the daemon writes its record just
// after it logs, so the first read may come before it.
async function statusDaemon(
  repo: string,
  until: (daemon: DaemonJson) => boolean,
): Promise<DaemonJson> {
  return waitFor(async () => {
    const result = await runCli(['status', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const daemons = (JSON.parse(result.stdout) as { daemons: DaemonJson[] }).daemons;
    expect(daemons).toHaveLength(1);
    return until(daemons[0]!) ? daemons[0] : null;
  }, 30_000);
}

describe('live reload of adw-trigger.json and workflow files', () => {
  it('raising concurrency while 10 tasks wait starts more at once; lowering it stops none and starts fewer', async () => {
    const dir = await tempDir();
    const log = join(dir, 'marks.log');
    const gateFile = join(dir, 'gate');
    await writeFile(gateFile, '0');
    const tasks = Array.from({ length: 10 }, (_, i) => `[] Task ${i + 1}\n`).join('');
    const repo = await makeTaskRepo(`# Tasks\n\n${tasks}`, {
      agent: gate,
      config: { concurrency: 1 },
    });
    const daemon = start(repo, { ADW_FAKE_LOG: log, ADW_FAKE_GATE: gateFile });
    await waitFor(async () => (await count(log, 'start')) === 1, 30_000, 'the first agent');

    await saveConfig(repo, gate, { concurrency: 4 });
    // No agent can end while the gate is shut: four starts are four agents at once.
    await waitFor(
      async () => (await count(log, 'start')) === 4,
      30_000,
      () => daemon.output(),
    );
    expect(await count(log, 'end')).toBe(0);
    await waitFor(
      () => logLines(daemon, /configuration reloaded \(concurrency 1 → 4\)/).length === 1,
    );

    await saveConfig(repo, gate, { concurrency: 2 });
    await waitFor(() => logLines(daemon, /concurrency 4 → 2/).length === 1, 30_000, 'the reload');
    // Lowering stops nothing: the four running agents finish, then at most two run.
    await writeFile(gateFile, '4');
    await waitFor(
      async () => (await count(log, 'start')) === 6,
      30_000,
      () => daemon.output(),
    );
    await writeFile(gateFile, '10');
    await waitFor(
      async () => markers(await readTasks(repo)).every((task) => task.emoji === '✅'),
      60_000,
      () => daemon.output(),
    );
    const all = await marks(log);
    expect(all.filter((mark) => mark.kind === 'start')).toHaveLength(10);
    expect(mostAtOnce(all)).toBe(4);
    // From the fifth start on, the lowered value holds; starts 5 and 6 wait at the gate together.
    expect(mostAtOnce(all, 5)).toBe(2);
  });

  it('a broken edit keeps the daemon on the last good configuration, logged once and shown by status', async () => {
    const commit = fakeAgent('commit');
    const repo = await makeTaskRepo('# Tasks\n\n[] First\n', {
      agent: commit,
      config: { concurrency: 1, http: '0' },
    });
    const daemon = start(repo);
    const url = await dashboardOf(repo);
    await waitFor(async () => markers(await readTasks(repo))[0]?.emoji === '✅', 30_000);
    const before = await readTasks(repo);

    const broken = '{\n  "concurrency": 2,\n';
    await saveFile(repo, 'adw-trigger.json', broken);
    await waitFor(
      () => logLines(daemon, /Invalid JSON/).length > 0,
      30_000,
      () => daemon.output(),
    );
    const [error] = logLines(daemon, /Invalid JSON/);
    expect(JSON.parse(error!)).toMatchObject({
      level: 50,
      file: 'adw-trigger.json',
      msg: expect.stringMatching(
        /^adw-trigger\.json:3:1: Invalid JSON: .*\(the configuration loaded at .* stays in force\)$/,
      ) as unknown,
    });
    expect(await readTasks(repo)).toBe(before);
    let state = await statusDaemon(repo, (d) => !d.config.inForce);
    expect(state.config).toMatchObject({ inForce: false, file: 'adw-trigger.json' });
    expect(state.config.error).toMatch(/Invalid JSON/);
    const text = await runCli(['status'], { cwd: repo });
    expect(text.stdout).toContain('adw-trigger.json on disk is NOT in force: adw-trigger.json:3:1');
    expect(
      ((await httpRequest(`${url}api/v1/state`)).json() as ApiState).daemon.config,
    ).toMatchObject({ inForce: false, file: 'adw-trigger.json', error: state.config.error });

    // The same bytes saved again, and a task run meanwhile on the old configuration: one error.
    await saveFile(repo, 'adw-trigger.json', broken);
    await writeFile(join(repo, 'tasks.md'), `${before}[] Second\n`);
    await waitFor(async () => markers(await readTasks(repo))[1]?.emoji === '✅', 30_000);
    expect(logLines(daemon, /Invalid JSON/)).toHaveLength(1);
    expect(daemon.child.exitCode).toBeNull();

    // An unknown key and a bad value: each refused with the loader's message, naming key and value.
    const now = await readTasks(repo);
    await saveFile(repo, 'adw-trigger.json', '{"concurency": 2}');
    await waitFor(
      () =>
        logLines(daemon, /Unknown key `concurency` \(did you mean `concurrency`\?\)/).length === 1,
    );
    await saveConfig(repo, commit, { concurrency: 0 });
    await waitFor(
      () =>
        logLines(daemon, /Expected `concurrency` to be a whole number from 1 to 256, got `0`/)
          .length === 1,
    );
    expect(await readTasks(repo)).toBe(now);

    await saveConfig(repo, commit, { concurrency: 3, http: '0' });
    // Two lines, in this order; the second may arrive in a later chunk of the daemon's output.
    await waitFor(
      () => logLines(daemon, /configuration reloaded \(concurrency 1 → 3\)/).length === 1,
    );
    expect(logLines(daemon, /valid again and is in force/)).toHaveLength(1);
    state = await statusDaemon(repo, (d) => d.config.inForce);
    expect(state.config).toMatchObject({
      inForce: true,
      file: null,
      error: null,
      needsRestart: [],
    });
    expect(
      ((await httpRequest(`${url}api/v1/state`)).json() as ApiState).daemon.config,
    ).toMatchObject({ inForce: true, error: null });
  });

  it('a key that cannot change live is logged as needing a restart and kept', async () => {
    const commit = fakeAgent('commit');
    const repo = await makeTaskRepo('# Tasks\n\n[] First\n', { agent: commit });
    const daemon = start(repo);
    await waitFor(async () => markers(await readTasks(repo))[0]?.emoji === '✅', 30_000);
    await saveConfig(repo, commit, { worktreeDir: 'elsewhere', retries: 0 });
    await waitFor(() => logLines(daemon, /configuration reloaded \(retries 1 → 0\)/).length === 1);
    expect(logLines(daemon, /needs a restart/)[0]).toContain(
      '`worktreeDir` changed to elsewhere: needs a restart; trees stays in force until then',
    );
    expect(logLines(daemon, /needs a restart/)).toHaveLength(1);
    const shown = await statusDaemon(repo, (d) => d.config.needsRestart.length > 0);
    expect(shown.config.needsRestart).toEqual(['worktreeDir']);
    const text = await runCli(['status'], { cwd: repo });
    expect(text.stdout).toContain('changed, needs a restart to apply: worktreeDir');
    // The next task still gets its worktree in the folder in force.
    await writeFile(join(repo, 'tasks.md'), `${await readTasks(repo)}[] Second\n`);
    await waitFor(async () => markers(await readTasks(repo))[1]?.emoji === '✅', 30_000);
    const second = markers(await readTasks(repo))[1]!;
    expect(existsSync(join(repo, 'trees', second.id!))).toBe(true);
    expect(existsSync(join(repo, 'elsewhere'))).toBe(false);
  });

  it('a workflow file change applies to the next task; a broken one keeps the last good', async () => {
    const workflow = (word: string) =>
      `---\nname: build\ntags: [adw_build]\n---\n\n## implement\n\n${word}: {{task}}\n`;
    const repo = await makeTaskRepo('# Tasks\n\n[] First\n', {
      agent: fakeAgent('commit'),
      files: { '.adw/workflows/build.md': workflow('BEFORE') },
    });
    const daemon = start(repo);
    await waitFor(async () => markers(await readTasks(repo))[0]?.emoji === '✅', 30_000);
    const first = markers(await readTasks(repo))[0]!;
    expect(await runGit(repo, first.hash!, `agent-${first.id!}.txt`)).toBe('BEFORE: First');

    await saveFile(repo, '.adw/workflows/build.md', workflow('AFTER'));
    await waitFor(() => logLines(daemon, /workflow build changed/).length === 1, 30_000);
    await writeFile(join(repo, 'tasks.md'), `${await readTasks(repo)}[] Second\n`);
    await waitFor(async () => markers(await readTasks(repo))[1]?.emoji === '✅', 30_000);
    const second = markers(await readTasks(repo))[1]!;
    expect(await runGit(repo, second.hash!, `agent-${second.id!}.txt`)).toBe('AFTER: Second');

    await saveFile(repo, '.adw/workflows/build.md', 'no front matter\n');
    await waitFor(() => logLines(daemon, /stays in force/).length === 1, 30_000);
    const state = await statusDaemon(repo, (d) => !d.config.inForce);
    expect(state.config).toMatchObject({ inForce: false, file: '.adw/workflows/build.md' });
    await writeFile(join(repo, 'tasks.md'), `${await readTasks(repo)}[] Third\n`);
    await waitFor(async () => markers(await readTasks(repo))[2]?.emoji === '✅', 30_000);
    const third = markers(await readTasks(repo))[2]!;
    expect(await runGit(repo, third.hash!, `agent-${third.id!}.txt`)).toBe('AFTER: Third');
  });
});

async function runGit(repo: string, commit: string, file: string): Promise<string> {
  return (await git(repo, 'show', `${commit}:${file}`)).trim();
}
