import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { hasFailedMarker, isResultLine, readClaudeStream } from './claude-stream.js';
import { killGroup } from './kill-group.js';
import type { AgentOutcome, RunAgentOptions } from './types.js';

const OUTPUT_TAIL = 64 * 1024;
/** setTimeout fires at once for delays above 2^31-1 ms: longer limits are clamped (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After the whole group is gone, how long we wait for its pipes to close (a process that left the group may hold them). */
const PIPE_CLOSE_MS = 1000;

// Keeps the last OUTPUT_TAIL characters of everything the agent printed.
class Tail {
  private text = '';
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * OUTPUT_TAIL) this.text = this.text.slice(-OUTPUT_TAIL);
  }
  value(): string {
    return this.text.slice(-OUTPUT_TAIL);
  }
}

// Splits a stream into lines and watches each for claude's result event and WORK_RESULT:failed.
class LineScanner {
  private partial = '';
  resultLine: string | null = null;
  failedMarker = false;
  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.scan(line);
  }
  end(): void {
    this.scan(this.partial);
    this.partial = '';
  }
  private scan(raw: string): void {
    const line = raw.trim();
    if (isResultLine(line)) this.resultLine = line;
    else if (hasFailedMarker(line)) this.failedMarker = true;
  }
}

function errnoCode(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function spawnErrorMessage(error: Error, executable: string): string {
  const name = basename(executable);
  const code = errnoCode(error);
  if (code === 'ENOENT') return `agent executable not found: ${name}`;
  if (code === 'EACCES') return `agent executable is not executable: ${name}`;
  return `could not start agent ${name}: ${error.message}`;
}

/**
 * Runs one agent process in its own process group and returns how it ended; never throws for the
 * agent's sake. The whole group (grandchildren included) is gone when the promise resolves.
 */
export async function runAgent(options: RunAgentOptions): Promise<AgentOutcome> {
  const started = Date.now();
  const executable = options.argv[0] ?? '';
  const graceMs = options.killGraceMs ?? 5000;
  const tail = new Tail();
  const stdoutLines = new LineScanner();
  const stderrLines = new LineScanner();
  const state = { timedOut: false, idle: false, aborted: false };

  await mkdir(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const logClosed = new Promise<void>((resolve) => {
    log.on('close', resolve);
    log.on('error', () => {
      resolve();
    });
  });

  const finish = async (partial: Partial<AgentOutcome>): Promise<AgentOutcome> => {
    log.end();
    await logClosed;
    stdoutLines.end();
    stderrLines.end();
    const resultLine = stdoutLines.resultLine ?? stderrLines.resultLine;
    const result = resultLine === null ? null : readClaudeStream(resultLine);
    const failedMarker =
      stdoutLines.failedMarker ||
      stderrLines.failedMarker ||
      (result?.text != null && hasFailedMarker(result.text));
    const exitCode = partial.exitCode ?? null;
    const spawnError = partial.spawnError ?? null;
    const ok =
      spawnError === null &&
      exitCode === 0 &&
      !state.timedOut &&
      !state.idle &&
      !state.aborted &&
      result?.isError !== true &&
      !failedMarker;
    return {
      ok,
      exitCode,
      signal: partial.signal ?? null,
      ...state,
      durationMs: Date.now() - started,
      spawnError,
      output: tail.value(),
      result,
    };
  };

  if (options.signal?.aborted === true) {
    state.aborted = true;
    return finish({});
  }

  let child: ChildProcess;
  try {
    child = spawn(executable, options.argv.slice(1), {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
  } catch (error) {
    // Thrown synchronously for arguments no process can receive: an empty argv, a NUL byte.
    const message = error instanceof Error ? error.message : String(error);
    return finish({ spawnError: `could not start agent ${basename(executable)}: ${message}` });
  }

  const spawned = new Promise<Error | null>((resolve) => {
    child.once('spawn', () => {
      resolve(null);
    });
    child.once('error', resolve);
  });
  const spawnFailure = await spawned;
  const pid = child.pid;
  if (spawnFailure !== null || pid === undefined) {
    const error = spawnFailure ?? new Error('no pid');
    const cwdExists = await stat(options.cwd).then(
      (info) => info.isDirectory(),
      () => false,
    );
    const spawnError = cwdExists
      ? spawnErrorMessage(error, executable)
      : `agent working directory not found: ${options.cwd}`;
    return finish({ spawnError });
  }
  options.onSpawn?.(pid);

  let stopping: Promise<unknown> | null = null;
  const stop = (): Promise<unknown> => {
    stopping ??= killGroup(pid, graceMs);
    return stopping;
  };

  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => {
        state.idle = true;
        void stop();
      },
      Math.min(options.idleTimeoutMs, MAX_TIMER_MS),
    );
  };
  const stepTimer = setTimeout(
    () => {
      state.timedOut = true;
      void stop();
    },
    Math.min(options.stepTimeoutMs, MAX_TIMER_MS),
  );
  armIdle();

  const onAbort = (): void => {
    state.aborted = true;
    void stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // Resolves when the pipe closes; every chunk resets the idle timer and goes to the log.
  const collect = (stream: Readable | null, scanner: LineScanner): Promise<void> =>
    new Promise<void>((resolve) => {
      if (stream === null) {
        resolve();
        return;
      }
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        armIdle();
        tail.push(chunk);
        scanner.push(chunk);
        log.write(chunk);
      });
      stream.on('close', resolve);
      stream.on('error', () => {
        resolve();
      });
    });
  const pipesClosed = Promise.all([
    collect(child.stdout, stdoutLines),
    collect(child.stderr, stderrLines),
  ]);

  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  clearTimeout(stepTimer);
  clearTimeout(idleTimer);
  options.signal?.removeEventListener('abort', onAbort);

  // The leader is gone; anything it left behind in its group is stopped too, so no agent
  // process ever outlives its step.
  await stop();

  let pipeTimer: NodeJS.Timeout | undefined;
  const pipeDeadline = new Promise<void>((resolve) => {
    pipeTimer = setTimeout(resolve, PIPE_CLOSE_MS);
  });
  await Promise.race([pipesClosed, pipeDeadline]);
  clearTimeout(pipeTimer);
  child.stdout?.destroy();
  child.stderr?.destroy();

  return finish({ exitCode: exit.code, signal: exit.signal });
}
