import { spawn } from 'node:child_process';
import type { Logger } from 'pino';
import type { DaemonEvent, DaemonEvents, DaemonEventType } from '../daemon/index.js';

/** The events that run the notifier command. */
export const NOTIFY_EVENTS: readonly DaemonEventType[] = [
  'task.done',
  'task.failed',
  'section.done',
  'queue.idle',
];

/** A notifier that runs a command per event; `close` waits for commands still running. */
export interface Notifier {
  close(): Promise<void>;
}

const STDERR_SHOWN = 300;

/**
 * Runs `argv` for each notable event, with the event as JSON on stdin and its type in ADW_EVENT.
 * Fire and forget: the daemon never waits for it, a command that fails is one warning, and one
 * that runs past `timeoutMs` has its process group killed (and is one warning).
 */
export function startNotifier(
  events: DaemonEvents,
  argv: readonly string[],
  log: Logger,
  timeoutMs = 10_000,
): Notifier {
  const running = new Set<Promise<void>>();
  const unsubscribe = events.subscribe((event) => {
    if (!NOTIFY_EVENTS.includes(event.type)) return;
    const run = notify(argv, event, log, timeoutMs).finally(() => running.delete(run));
    running.add(run);
  });
  return {
    async close() {
      unsubscribe();
      await Promise.all([...running]);
    },
  };
}

function notify(
  argv: readonly string[],
  event: DaemonEvent & { at: string },
  log: Logger,
  timeoutMs: number,
): Promise<void> {
  const [file = '', ...args] = argv;
  const fields = { event: event.type, notifier: argv };
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, ADW_EVENT: event.type },
      // Its own process group: a timeout stops the command and whatever it started.
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_SHOWN);
    });
    // A command that does not read its stdin closes the pipe early: that is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(event) + '\n');
    child.on('error', (error) => {
      clearTimeout(timer);
      log.warn({ ...fields, err: error }, `notifier could not be started: ${error.message}`);
      resolve();
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = stderr.trim() === '' ? '' : `: ${stderr.trim()}`;
      if (timedOut) {
        log.warn(fields, `notifier did not finish within ${timeoutMs / 1000}s; stopped it`);
      } else if (code !== 0) {
        log.warn(
          { ...fields, code, signal },
          `notifier failed (exit ${code ?? signal ?? '?'})${said}`,
        );
      }
      resolve();
    });
  });
}
