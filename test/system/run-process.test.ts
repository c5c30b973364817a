import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  processStarter,
  runProcessStartedBy,
  type ProcessResult,
} from '../../src/system/run-process.js';
import { tempDir } from '../helpers/temp.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

// The error a promise rejects with (a test failure when it resolves).
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: unknown }> {
  const outcome = await promise.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error) || outcome.message.startsWith('expected a rejection')) {
    throw outcome instanceof Error ? outcome : new Error(String(outcome));
  }
  return outcome;
}

// The descriptors a child of Node's execFile sees above 2: inherited by every child alike.
function inheritedByNodeChildren(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('ls', ['/proc/self/fd'], (error, stdout) => {
      if (error !== null) reject(new Error(error.message));
      else resolve(stdout.split('\n').filter((fd) => Number(fd) > 2));
    });
  });
}

it('starts git commands with posix_spawn here (Linux, the addon built at install)', () => {
  expect(processStarter()).toBe('posix_spawn');
});

describe.each(['posix_spawn', 'node'] as const)('runProcess started by %s', (starter) => {
  const run = (file: string, args: string[], options: { cwd?: string; maxBytes?: number } = {}) =>
    runProcessStartedBy(starter, file, args, {
      cwd: options.cwd ?? process.cwd(),
      env,
      maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    });

  it('gives the exit code and both outputs, as they were printed', async () => {
    const result = await run('sh', ['-c', 'printf "out\\nü"; printf err >&2; exit 3']);
    expect(result).toEqual<ProcessResult>({
      code: 3,
      signal: null,
      stdout: 'out\nü',
      stderr: 'err',
    });
  });

  it('gives the signal that ended the program, and no code', async () => {
    const result = await run('sh', ['-c', 'printf before; kill -TERM $$']);
    expect(result).toMatchObject({ code: null, signal: 'SIGTERM', stdout: 'before' });
  });

  it('passes arguments as they are, and only the given environment', async () => {
    const value = `a b "c" $(touch x) ; d`;
    const result = await runProcessStartedBy(
      starter,
      'sh',
      ['-c', 'printf "%s|%s|%s" "$1" "$ADW_X" "${HOME-unset}"', 'sh', value],
      { cwd: process.cwd(), env: { ...env, ADW_X: 'y' }, maxBytes: 1024 },
    );
    expect(result.stdout).toBe(`${value}|y|unset`);
  });

  it('runs in the given folder, with stdin at its end (a program reading it does not wait)', async () => {
    const dir = await tempDir();
    expect((await run('pwd', [], { cwd: dir })).stdout.trim()).toBe(dir);
    expect(await run('cat', [])).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
  });

  it('reads an output far larger than a pipe holds, whole', async () => {
    const result = await run('head', ['-c', String(5 * 1024 * 1024), '/dev/zero']);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(5 * 1024 * 1024);
  });

  it('fails a program that prints more than maxBytes, and ends it', async () => {
    // Not ended, it would sleep for ten minutes after printing; the test would time out.
    const script = 'head -c 100000 /dev/zero; exec sleep 600';
    const error = await rejection(run('sh', ['-c', script], { maxBytes: 1000 }));
    expect(error.code).toBe('ERR_CHILD_PROCESS_STDIO_MAXBUFFER');
    expect(error.message).toBe('sh printed more than 1000 bytes');
  });

  it('finds the program on the PATH of the given environment, a relative folder from cwd', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'bin'));
    const program = join(dir, 'bin', 'adw-fake-program');
    await writeFile(program, '#!/bin/sh\necho "fake $1"\n');
    await chmod(program, 0o755);
    const absolute = {
      cwd: process.cwd(),
      env: { PATH: `/nonexistent:${dir}/bin` },
      maxBytes: 1024,
    };
    expect((await runProcessStartedBy(starter, 'adw-fake-program', ['a'], absolute)).stdout).toBe(
      'fake a\n',
    );
    const relative = { cwd: dir, env: { PATH: 'bin' }, maxBytes: 1024 };
    expect((await runProcessStartedBy(starter, 'adw-fake-program', ['b'], relative)).stdout).toBe(
      'fake b\n',
    );
  });

  it('rejects a program that is not there, or a folder that is not, as Node names it', async () => {
    const missing = await rejection(run('adw-no-such-program', []));
    expect(missing.code).toBe('ENOENT');
    expect(missing.message).toContain('spawn adw-no-such-program ENOENT');
    const folder = await rejection(run('pwd', [], { cwd: '/nonexistent/folder' }));
    expect(folder.code).toBe('ENOENT');
  });

  it('starts the program with every signal at its default and none blocked (Node ignores SIGPIPE)', async () => {
    const status = (await run('cat', ['/proc/self/status'])).stdout;
    const mask = (name: string): bigint => {
      const match = new RegExp(`^${name}:\\s+([0-9a-f]+)$`, 'm').exec(status);
      if (match?.[1] === undefined) throw new Error(`no ${name} in ${status}`);
      return BigInt(`0x${match[1]}`);
    };
    expect(mask('SigBlk')).toBe(0n);
    // The 31 standard signals; glibc keeps its own two real-time ones (32, 33) to itself.
    expect(mask('SigIgn') & 0x7fffffffn).toBe(0n);
    // A writer to a closed pipe ends by SIGPIPE, silently, as under a shell (ignoring it, `yes`
    // would say "Broken pipe").
    expect((await run('sh', ['-c', 'yes | head -c 1 >/dev/null'])).stderr).toBe('');
  });

  it('leaves the child no descriptor of this process beyond what Node’s children get', async () => {
    const inherited = await inheritedByNodeChildren();
    const listed = (await run('ls', ['/proc/self/fd'])).stdout.split('\n').filter(Boolean);
    // `ls` has its own descriptor on /proc/self/fd open, numbered as in Node's child.
    const extra = listed.filter((fd) => Number(fd) > 2 && !inherited.includes(fd));
    expect(extra).toEqual([]);
  });

  it('runs many at once, each with its own output', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => run('sh', ['-c', `printf ${index}`])),
    );
    expect(results.map((result) => result.stdout)).toEqual(
      Array.from({ length: 40 }, (_, index) => String(index)),
    );
  });

  it('refuses an argument holding a NUL character, starting nothing', async () => {
    const dir = await tempDir();
    const marker = join(dir, 'ran');
    const error = await rejection(run('sh', ['-c', `touch ${marker}`, 'a\u0000b']));
    expect(error.message).toMatch(/NUL|null bytes/);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
  });
});
