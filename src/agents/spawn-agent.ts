import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { errnoCode } from '../system/errno.js';
import { RUN_TOKEN_VARIABLE } from './containment.js';

/** What spawning needs: the argv, where, the environment on top of ours, the stdin and the run's token. */
export interface SpawnOptions {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  stdin: string;
  token: string;
}

function spawnErrorMessage(error: Error, executable: string): string {
  const code = errnoCode(error);
  if (code === 'ENOENT') return `agent executable not found: ${executable}`;
  if (code === 'EACCES') return `agent executable is not executable: ${executable}`;
  return `could not start agent ${basename(executable)}: ${error.message}`;
}

/**
 * Starts the agent in its own process group, its environment marked with the run's token, and
 * writes the prompt to its stdin. Returns the child, or one line saying why it could not start.
 */
export async function spawnAgent(
  options: SpawnOptions,
): Promise<{ child: ChildProcess & { pid: number } } | { spawnError: string }> {
  const executable = options.argv[0] ?? '';
  let child: ChildProcess;
  try {
    child = spawn(executable, options.argv.slice(1), {
      cwd: options.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, [RUN_TOKEN_VARIABLE]: options.token },
    });
  } catch (error) {
    // Thrown synchronously for arguments no process can receive: an empty argv, a NUL byte.
    const message = error instanceof Error ? error.message : String(error);
    return { spawnError: `could not start agent ${basename(executable)}: ${message}` };
  }
  // An agent that exits without reading its stdin closes the pipe: EPIPE is not our failure.
  child.stdin?.on('error', () => undefined);
  const failure = await new Promise<Error | null>((resolve) => {
    child.once('spawn', () => {
      resolve(null);
    });
    child.once('error', resolve);
  });
  const pid = child.pid;
  if (failure !== null || pid === undefined) {
    const cwdExists = await stat(options.cwd).then(
      (info) => info.isDirectory(),
      () => false,
    );
    return {
      spawnError: cwdExists
        ? spawnErrorMessage(failure ?? new Error('no pid'), executable)
        : `agent working directory not found: ${options.cwd}`,
    };
  }
  child.stdin?.end(options.stdin);
  return { child: child as ChildProcess & { pid: number } };
}
