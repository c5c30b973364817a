import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gitEnv } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Slow (packs, installs the dependencies into a fresh prefix): the way to install until the
// package is published, tried exactly as the docs say.
describe('npm pack', () => {
  it(
    'gives a tarball that installs with npm install -g into a prefix and runs `adw-trigger demo`',
    { timeout: 600_000 },
    async () => {
      const work = await tempDir('adw-pack-');
      const packed = await run('npm', ['pack', '--pack-destination', work, '--silent'], {
        cwd: ROOT,
        env: { ...process.env, npm_config_ignore_scripts: 'true' },
      });
      const tarball = packed.stdout.trim().split('\n').at(-1) ?? '';
      expect(tarball).toMatch(/^adw-trigger-.*\.tgz$/);
      const prefix = join(work, 'prefix');
      await run(
        'npm',
        [
          'install',
          '-g',
          '--prefix',
          prefix,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          join(work, tarball),
        ],
        { cwd: work, maxBuffer: 16 * 1024 * 1024 },
      );
      const bin = join(prefix, 'bin', 'adw-trigger');
      expect(await readdir(join(prefix, 'bin'))).toContain('adw-trigger');
      const demoTmp = await tempDir('adw-pack-demo-');
      const demo = await run(bin, ['demo'], {
        cwd: demoTmp,
        env: { ...gitEnv, TMPDIR: demoTmp },
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(demo.stdout).toContain('Demo repository: ');
      expect(demo.stdout).toMatch(/✅/);
    },
  );
});
