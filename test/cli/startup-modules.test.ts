import { copyFile, cp, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor, type CliResult } from '../helpers/cli.js';
import { makeTaskRepo } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

const REGISTER = fileURLToPath(new URL('../fixtures/module-log/register.mjs', import.meta.url));

// A valid value of every kind of key.
const EVERY_KIND = {
  concurrency: 3,
  pollInterval: '2s',
  baseRef: 'main',
  defaultSection: 'feat',
  worktreeDir: 'trees',
  agent: 'codex',
  agentArgs: ['--x'],
  model: 'gpt-5',
  models: { codex: { opus: 'gpt-5' } },
  prices: { 'gpt-5': { input: 1.25, output: 10 } },
  retries: 2,
  maxCostPerTask: 0.5,
  http: 8080,
  httpToken: 'x'.repeat(16),
  notify: ['true'],
  hooks: { afterCreate: 'true' },
  linkDirs: ['node_modules'],
  land: 'push',
  sectionChecks: ['true'],
  onConflict: 'resolve',
  queue: 'redis://127.0.0.1:6379',
};

// Runs the built CLI with every module it loads written to a log; returns the run and the log.
async function runLogged(
  args: string[],
  cwd: string,
  cli?: string,
): Promise<{ result: CliResult; modules: string[] }> {
  const log = join(await tempDir('adw-modules-'), 'modules.log');
  await writeFile(log, '');
  const result = await runCli(args, {
    cwd,
    cli,
    env: { NODE_OPTIONS: `--import=${REGISTER}`, MODULE_LOG_FILE: log },
  });
  const modules = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
  return { result, modules };
}

// The packages of node_modules among `modules`.
function packagesOf(modules: readonly string[]): Set<string> {
  const names = modules.flatMap(
    (module) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module)?.[1] ?? [],
  );
  return new Set(names);
}

describe('what a command loads at start', () => {
  it('check of a plain file outside a repository loads no zod, yaml, pino, remark or git code', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '[] a task\n[] another\n');
    const { result, modules } = await runLogged(['check', 'tasks.md'], dir);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // The log works: it saw the command's own module and commander.
    expect(modules.some((module) => module.endsWith('/dist/cli/check.js'))).toBe(true);
    const packages = packagesOf(modules);
    expect(packages).toContain('commander');
    for (const name of ['zod', 'yaml', 'pino', 'pino-pretty', 'remark-parse', 'unified'])
      expect(packages).not.toContain(name);
    expect(modules.filter((module) => /\/dist\/(git|daemon|agents\/run)/.test(module))).toEqual([]);
  });

  it('check still validates a configuration file that sets a key, without zod', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '[] a task\n');
    await writeFile(join(dir, 'adw-trigger.json'), '{"concurrency": 0}\n');
    const { result, modules } = await runLogged(['check', 'tasks.md'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('adw-trigger.json: Expected `concurrency` to be');
    expect(modules.some((module) => module.endsWith('/dist/config/plain-check.js'))).toBe(true);
    expect(packagesOf(modules)).not.toContain('zod');
  });

  it('check loads a valid configuration setting keys of every kind without zod', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '[] a task\n');
    await writeFile(join(dir, 'adw-trigger.json'), `${JSON.stringify(EVERY_KIND)}\n`);
    const { result, modules } = await runLogged(['check', 'tasks.md'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(modules.some((module) => module.endsWith('/dist/config/plain-check.js'))).toBe(true);
    expect(packagesOf(modules)).not.toContain('zod');
  });

  it('config lists every key with its description without zod', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'adw-trigger.json'), '{"concurrency": 3}\n');
    const { result, modules } = await runLogged(['config', '--repo', dir], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/concurrency\s+3\s+file\s+\S/);
    expect(packagesOf(modules)).not.toContain('zod');
  });

  it('a build whose value rules are for another schema checks the file with zod', async () => {
    // A copy of the built program, its schema.json written for another schema (a partial build).
    const copy = await tempDir('adw-stale-build-');
    await cp(fileURLToPath(new URL('../../dist', import.meta.url)), join(copy, 'dist'), {
      recursive: true,
    });
    await copyFile(
      fileURLToPath(new URL('../../package.json', import.meta.url)),
      join(copy, 'package.json'),
    );
    await symlink(
      fileURLToPath(new URL('../../node_modules', import.meta.url)),
      join(copy, 'node_modules'),
    );
    const facts = join(copy, 'dist', 'config', 'schema.json');
    const built = JSON.parse(await readFile(facts, 'utf8')) as { fingerprint: string };
    await writeFile(facts, JSON.stringify({ ...built, fingerprint: '0'.repeat(64) }));

    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '[] a task\n');
    await writeFile(join(dir, 'adw-trigger.json'), '{"concurrency": 0}\n');
    const cli = join(copy, 'dist', 'cli', 'main.js');
    const { result, modules } = await runLogged(['check', 'tasks.md'], dir, cli);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('adw-trigger.json: Expected `concurrency` to be');
    expect(packagesOf(modules)).toContain('zod');
    expect(modules.some((module) => module.endsWith('/dist/config/zod-checker.js'))).toBe(true);
  });

  it('a daemon started and reloaded with a configuration that sets keys loads no zod', async () => {
    const repo = await makeTaskRepo('# Tasks\n', {
      agent: fakeAgent('gate'),
      config: { concurrency: 1 },
    });
    const log = join(await tempDir('adw-modules-'), 'modules.log');
    await writeFile(log, '');
    const daemon = startCli(['start'], {
      cwd: repo,
      env: { NODE_OPTIONS: `--import=${REGISTER}`, MODULE_LOG_FILE: log },
    });
    const saveConfig = async (values: Record<string, unknown>) => {
      const config = { agent: 'command', command: [process.execPath, fakeAgent('gate')] };
      await writeFile(join(repo, 'adw-trigger.json.swp'), JSON.stringify({ ...config, ...values }));
      await rename(join(repo, 'adw-trigger.json.swp'), join(repo, 'adw-trigger.json'));
    };
    try {
      await waitFor(() => /"msg":"watching[^"]*tasks file/.test(daemon.output()));
      await saveConfig({ concurrency: 0 });
      await waitFor(() => daemon.output().includes('Expected `concurrency` to be a whole number'));
      await saveConfig({ concurrency: 3, pollInterval: '2s' });
      await waitFor(() => daemon.output().includes('configuration reloaded (concurrency 1 → 3'));
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.done;
    }
    const modules = (await readFile(log, 'utf8')).split('\n');
    expect(modules.some((module) => module.endsWith('/dist/daemon/config-in-force.js'))).toBe(true);
    expect(modules.some((module) => module.endsWith('/dist/config/plain-check.js'))).toBe(true);
    expect(packagesOf(modules)).not.toContain('zod');
  });

  it('--version loads no command module, only the program and its error type', async () => {
    const { result, modules } = await runLogged(['--version'], await tempDir());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const own = modules.filter((module) => module.includes('/dist/'));
    expect(own.map((module) => module.replace(/.*\/dist\//, '')).sort()).toEqual([
      'cli/main.js',
      'cli/version.js',
      'errors.js',
    ]);
  });
});
