import { followRun } from '../humanize/index.js';

/** Lines of a running task's output, as relayed to the event stream. */
export interface TaskOutput {
  type: 'task.output';
  id: string;
  step: string;
  lines: string[];
}

/**
 * Follows the logs of running tasks (one follower per task, until its run ends) and hands their
 * humanized lines to `send`, so that every dashboard gets live output over one event stream.
 */
export class OutputRelay {
  private readonly following = new Map<string, Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly adwDir: string,
    private readonly send: (output: TaskOutput) => void,
    private readonly pollMs = 250,
  ) {}

  /** Starts following a task's logs, unless already following them. */
  follow(id: string): void {
    if (this.following.has(id) || this.abort.signal.aborted) return;
    const done = followRun({
      adwDir: this.adwDir,
      id,
      signal: this.abort.signal,
      pollMs: this.pollMs,
      onLines: (step, lines) => {
        this.send({ type: 'task.output', id, step, lines });
      },
    })
      .catch(() => undefined)
      .finally(() => this.following.delete(id));
    this.following.set(id, done);
  }

  /** Stops every follower and waits for them. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.following.values()]);
  }
}
