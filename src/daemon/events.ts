import type { Diagnostic } from '../tasks/index.js';

/** What the daemon tells listeners (HTTP event stream, notifier) as it works. */
export type DaemonEvent =
  | { type: 'task.claimed'; id: string; section: string; line: number; description: string }
  | { type: 'task.step'; id: string; step: string }
  | {
      type: 'task.done';
      id: string;
      section: string;
      description: string;
      commit: string | null;
      costUsd: number | null;
      durationMs: number | null;
    }
  | {
      type: 'task.failed';
      id: string;
      section: string;
      description: string;
      error: string | null;
      costUsd: number | null;
      durationMs: number | null;
    }
  | { type: 'task.released'; id: string; section: string }
  | { type: 'file.changed' }
  | { type: 'diagnostics'; diagnostics: Diagnostic[] }
  | { type: 'section.done'; section: string; tasks: number }
  | { type: 'queue.idle'; done: number; failed: number };

/** The names of the events. */
export type DaemonEventType = DaemonEvent['type'];

/** Receives daemon events; a listener that throws never disturbs the daemon. */
export type DaemonEventListener = (event: DaemonEvent & { at: string }) => void;

/** Where the daemon sends its events; it never waits for listeners. */
export interface DaemonEvents {
  emit(event: DaemonEvent): void;
  /** Adds a listener; the returned function removes it. */
  subscribe(listener: DaemonEventListener): () => void;
}

/** A synchronous fan-out of daemon events to its listeners, each stamped with the time. */
export function createDaemonEvents(onListenerError?: (error: unknown) => void): DaemonEvents {
  const listeners = new Set<DaemonEventListener>();
  return {
    emit(event) {
      const stamped = { ...event, at: new Date().toISOString() };
      for (const listener of [...listeners]) {
        try {
          listener(stamped);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
