import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const REGISTER = fileURLToPath(new URL('../fixtures/module-log/register.mjs', import.meta.url));

// Runs the built CLI with every module it loads written to a log; returns the run and the log.
async function runLogged(
  args: string[],
  cwd: string,
): Promise<{ result: CliResult; modules: string[] }> {
  const log = join(await tempDir('adw-modules-'), 'modules.log');
  await writeFile(log, '');
  const result = await runCli(args, {
    cwd,
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

  it('check still validates a configuration file that sets a key, with zod', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tasks.md'), '[] a task\n');
    await writeFile(join(dir, 'adw-trigger.json'), '{"concurrency": 0}\n');
    const { result, modules } = await runLogged(['check', 'tasks.md'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('adw-trigger.json: Expected `concurrency` to be');
    expect(packagesOf(modules)).toContain('zod');
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
