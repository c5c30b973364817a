import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './cli.js';
import { git, gitEnv } from './git.js';

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

/** A running `git daemon` serving `base` on 127.0.0.1, pushes allowed. */
export interface GitDaemon {
  url: (repo: string) => string;
  stop: () => Promise<void>;
}

/** Starts `git daemon` (own process group, so stopping it stops its per-connection children). */
export async function startGitDaemon(base: string): Promise<GitDaemon> {
  const port = await freePort();
  const child = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--export-all',
      '--enable=receive-pack',
      `--base-path=${base}`,
      '--listen=127.0.0.1',
      `--port=${port}`,
      base,
    ],
    { env: gitEnv, detached: true, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const url = (repo: string): string => `git://127.0.0.1:${port}/${repo}`;
  const stop = async (): Promise<void> => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      return;
    }
    await exited;
  };
  return { url, stop };
}

/** Waits until `url` answers `git ls-remote`. */
export async function waitForRemote(cwd: string, url: string): Promise<void> {
  await waitFor(
    () =>
      git(cwd, 'ls-remote', url).then(
        () => true,
        () => false,
      ),
    20_000,
    `git daemon at ${url}`,
  );
}
