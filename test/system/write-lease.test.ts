import { execFileSync, spawn } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { writersOf, writersOfPath } from '../../src/system/write-lease.js';
import { tempDir } from '../helpers/temp.js';

// A process of its own that opens `path` for appending and keeps it open until killed.
async function holdOpenForWriting(path: string): Promise<() => Promise<void>> {
  const child = spawn('sh', ['-c', 'exec 3>>"$1"; echo ready; exec sleep 60', 'sh', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
}

describe('writersOf', () => {
  afterEach(() => {
    delete process.env.ADW_TRIGGER_WRITE_LEASE;
  });

  it('is built and answers here (Linux, a file of this user)', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n');
    expect((await writersOfPath(path))?.writing).toBe(false);
  });

  it('sees a writer in this process, and none once it closed or when it only reads', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n');
    const reader = await open(path, 'r');
    for (const flags of ['w', 'a', 'r+'] as const) {
      const writer = await open(path, flags);
      expect(writersOf(reader.fd), flags).toBe(true);
      await writer.close();
      expect(writersOf(reader.fd), flags).toBe(false);
    }
    const other = await open(path, 'r');
    expect(writersOf(reader.fd)).toBe(false);
    await other.close();
    await reader.close();
  });

  it('sees a writer in another process, until it exits', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n');
    const stop = await holdOpenForWriting(path);
    const reader = await open(path, 'r');
    try {
      expect(writersOf(reader.fd)).toBe(true);
      expect((await writersOfPath(path))?.writing).toBe(true);
    } finally {
      await stop();
    }
    expect(writersOf(reader.fd)).toBe(false);
    await reader.close();
  });

  it('cannot tell (null) when turned off with ADW_TRIGGER_WRITE_LEASE=off', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n');
    process.env.ADW_TRIGGER_WRITE_LEASE = 'off';
    const writer = await open(path, 'a');
    expect((await writersOfPath(path))?.writing).toBeNull();
    await writer.close();
  });

  it('does not wait for a writer of a FIFO in the place of the file, and cannot tell there', async () => {
    const path = join(await tempDir(), 'tasks.md');
    execFileSync('mkfifo', [path]);
    expect((await writersOfPath(path))?.writing).toBeNull();
  });

  it('is null for a file that is not there', async () => {
    expect(await writersOfPath(join(await tempDir(), 'missing.md'))).toBeNull();
  });

  it('leaves the process standing when a lease break signals it (SIGIO is ignored)', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n');
    await writersOfPath(path); // loads the addon
    process.kill(process.pid, 'SIGIO');
    await sleep(50);
    expect(process.pid).toBeGreaterThan(0);
  });
});
