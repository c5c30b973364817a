import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdwError } from '../../src/errors.js';
import { configKeys, envName, loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/temp.js';

// Whatever the file, env and flags hold, loading either succeeds or fails with CONFIG_INVALID
// and a one-line message: never a TypeError, never a zod error, never a multi-line dump.
async function outcome(load: () => Promise<unknown>): Promise<void> {
  try {
    await load();
  } catch (error) {
    expect(error).toBeInstanceOf(AdwError);
    expect((error as AdwError).code).toBe('CONFIG_INVALID');
    expect((error as AdwError).message).not.toContain('\n');
  }
}

const keyOrJunk = fc.oneof(fc.constantFrom(...configKeys), fc.string({ maxLength: 12 }));

describe('loadConfig never throws anything but CONFIG_INVALID', () => {
  it('for any JSON in the file', async () => {
    const repoDir = await tempDir();
    const file = join(repoDir, 'adw-trigger.json');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.dictionary(keyOrJunk, fc.jsonValue({ maxDepth: 2 })), fc.jsonValue()),
        async (content) => {
          await writeFile(file, JSON.stringify(content));
          await outcome(() => loadConfig({ repoDir, env: {} }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for any text in the file', async () => {
    const repoDir = await tempDir();
    const file = join(repoDir, 'adw-trigger.json');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (text) => {
        await writeFile(file, text);
        await outcome(() => loadConfig({ repoDir, env: {} }));
      }),
      { numRuns: 300 },
    );
  });

  it('for any text in env vars and any value in flags', async () => {
    const repoDir = await tempDir();
    const env = fc.dictionary(fc.constantFrom(...configKeys.map(envName)), fc.string(), {
      maxKeys: 4,
    });
    const flags = fc.dictionary(
      fc.constantFrom(...configKeys),
      fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(env, flags, async (envValues, flagValues) => {
        await outcome(() => loadConfig({ repoDir, env: envValues, flags: flagValues }));
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission', async () => {
    const repoDir = await tempDir();
    const file = join(repoDir, 'adw-trigger.json');
    await writeFile(file, '{}');
    await chmod(file, 0o000);
    const error = await loadConfig({ repoDir, env: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdwError);
    expect((error as AdwError).code).toBe('CONFIG_UNREADABLE');
    expect((error as AdwError).message).toBe(
      `adw-trigger.json: cannot be read: EACCES: permission denied, open '${file}'`,
    );
  });
});
