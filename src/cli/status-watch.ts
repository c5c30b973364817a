import { serialRunner } from '../daemon/serial.js';

/** What one drawing of `status --watch` shows, and whether live runs make it change by itself. */
export interface WatchFrame {
  text: string;
  live: boolean;
}

/** How `status --watch` reads the screen it shows and where it learns of changes. */
export interface StatusWatchInput {
  tasksPath: string;
  frame: () => Promise<WatchFrame>;
  write: (text: string) => void;
  onError: (error: unknown) => void;
  /** Resolves when the user asks to stop (Ctrl-C). */
  stopRequested: Promise<void>;
  tickMs?: number;
}

const CLEAR = '\x1b[2J\x1b[H';

/**
 * Keeps `status` on screen until `stopRequested`: draws once, then again when the task file
 * changes, one drawing at a time (a change during a drawing asks for exactly one more), and writes
 * only when the text differs from what is shown. While runs are live their elapsed time moves, so
 * a tick asks for a drawing too; with none live nothing runs between changes.
 */
export async function watchStatus(input: StatusWatchInput): Promise<void> {
  let shown: string | null = null;
  let live = false;
  let stopped = false;
  const runner = serialRunner(
    async () => {
      const frame = await input.frame();
      live = frame.live;
      if (stopped || frame.text === shown) return;
      shown = frame.text;
      input.write(CLEAR + frame.text);
    },
    { onError: input.onError, stopped: () => stopped },
  );
  const redraw = (): void => void runner.request();
  await runner.request();
  // Loaded here, not at start-up: only --watch needs the file watcher.
  const { watchTasksFile } = await import('../daemon/watcher.js');
  // Once the watcher is ready, draw again: an edit before that sent no event.
  const stopWatching = watchTasksFile(input.tasksPath, redraw, { poll: false, onReady: redraw });
  const timer = setInterval(() => {
    if (live) redraw();
  }, input.tickMs ?? 1000);
  await input.stopRequested;
  stopped = true;
  clearInterval(timer);
  await stopWatching();
}
