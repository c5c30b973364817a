import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './cli.js';
import { tempDir } from './temp.js';

/** A redis-server of one test: its own port and folder, append-only, never evicting. */
export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** Stops it (SIGTERM, or SIGKILL) and waits for its end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and folder (its append-only file). */
  restart(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
    server.on('error', reject);
  });
}

async function listening(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}

/** Starts Debian's redis-server for one test. */
export async function startRedis(): Promise<RedisServer> {
  const dir = await tempDir('adw-redis-');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec');
    args.push('--maxmemory-policy', 'noeviction', '--protected-mode', 'yes');
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitFor(() => listening(port), 20_000, `redis-server on port ${String(port)}`);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    port,
    dir,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const running = child;
      if (running === null || running.exitCode !== null || running.signalCode !== null) return;
      const ended = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await ended;
      child = null;
    },
    restart: launch,
  };
}
