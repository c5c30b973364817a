import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { newRunToken, stopRunProcesses } from './containment.js';
import { killGroup } from './kill-group.js';
import { watchLimits } from './limits.js';
import { outputReader, type OutputReader } from './output-reader.js';
import { spawnAgent } from './spawn-agent.js';
import type { AgentOutcome, RunAgentOptions } from './types.js';

const OUTPUT_TAIL = 64 * 1024;
/** After every process of the run is gone, how long we wait for its pipes to close. */
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

// Splits a stream into lines for a reader (stdout) or nobody (stderr).
function lineSplitter(reader: OutputReader | null): { push(chunk: string): void; end(): void } {
  let partial = '';
  return {
    push(chunk) {
      reader?.chunk(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) reader?.line(line.trim());
    },
    end() {
      if (partial !== '') reader?.line(partial.trim());
      partial = '';
    },
  };
}

/**
 * Runs one agent process and returns how it ended; never throws for the agent's sake. Every
 * process it started — its group, and anything that left the group but carries the run's token —
 * is gone when the promise resolves.
 */
export async function runAgent(options: RunAgentOptions): Promise<AgentOutcome> {
  const started = Date.now();
  const graceMs = options.killGraceMs ?? 5000;
  const token = options.token ?? newRunToken();
  const tail = new Tail();
  const reader = outputReader(options.reader ?? 'plain');
  const stdoutLines = lineSplitter(reader);
  const stderrLines = lineSplitter(null);

  await mkdir(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const logClosed = new Promise<void>((resolve) => {
    log.on('close', resolve);
    log.on('error', () => {
      resolve();
    });
  });

  const finish = async (
    ended: Pick<AgentOutcome, 'exitCode' | 'signal' | 'spawnError' | 'stoppedBy'>,
  ): Promise<AgentOutcome> => {
    log.end();
    await logClosed;
    stdoutLines.end();
    stderrLines.end();
    const { result, answer, failedMarker } = reader.end();
    const ok =
      ended.spawnError === null &&
      ended.exitCode === 0 &&
      ended.stoppedBy === null &&
      result?.isError !== true &&
      !failedMarker;
    return { ok, ...ended, durationMs: Date.now() - started, output: tail.value(), result, answer };
  };

  if (options.signal?.aborted === true) {
    return finish({ exitCode: null, signal: null, spawnError: null, stoppedBy: 'abort' });
  }

  const spawned = await spawnAgent({
    argv: options.argv,
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin ?? '',
    token,
  });
  if ('spawnError' in spawned) {
    return finish({
      exitCode: null,
      signal: null,
      spawnError: spawned.spawnError,
      stoppedBy: null,
    });
  }
  const { child } = spawned;
  options.onSpawn?.(child.pid);

  let stopping: Promise<unknown> | null = null;
  const stop = (): Promise<unknown> => {
    stopping ??= Promise.all([killGroup(child.pid, graceMs), stopRunProcesses(token, graceMs)]);
    return stopping;
  };
  const limits = watchLimits(options, () => void stop());

  // Resolves when the pipe closes; every chunk resets the idle timer and goes to the log.
  const collect = (stream: Readable | null, lines: { push(chunk: string): void }): Promise<void> =>
    new Promise<void>((resolve) => {
      if (stream === null) {
        resolve();
        return;
      }
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        limits.touch();
        tail.push(chunk);
        lines.push(chunk);
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
  limits.dispose();

  // The agent is gone; anything it left behind, in its group or out of it, is stopped too, so no
  // agent process ever outlives its step.
  await stop();

  let pipeTimer: NodeJS.Timeout | undefined;
  const pipeDeadline = new Promise<void>((resolve) => {
    pipeTimer = setTimeout(resolve, PIPE_CLOSE_MS);
  });
  await Promise.race([pipesClosed, pipeDeadline]);
  clearTimeout(pipeTimer);
  child.stdout?.destroy();
  child.stderr?.destroy();

  return finish({
    exitCode: exit.code,
    signal: exit.signal,
    spawnError: null,
    stoppedBy: limits.stoppedBy(),
  });
}
