import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchLimits } from '../../src/agents/limits.js';

// The limits are timers: a fake clock decides exactly when output arrives, so no test races the
// machine's load.
describe('watchLimits', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('output resets the idle timer; silence for idleTimeout stops the run once', () => {
    const stops: string[] = [];
    const limits = watchLimits({ stepTimeoutMs: 60_000, idleTimeoutMs: 700 }, () => {
      stops.push('stop');
    });
    for (let i = 0; i < 5; i += 1) {
      vi.advanceTimersByTime(600);
      limits.touch();
    }
    expect(limits.stoppedBy()).toBeNull();
    vi.advanceTimersByTime(700);
    expect(limits.stoppedBy()).toBe('idleTimeout');
    vi.advanceTimersByTime(60_000);
    expect(limits.stoppedBy()).toBe('idleTimeout');
    expect(stops).toEqual(['stop']);
    limits.dispose();
  });

  it('the step timeout wins over output', () => {
    const limits = watchLimits({ stepTimeoutMs: 1000, idleTimeoutMs: 700 }, () => undefined);
    for (let i = 0; i < 4; i += 1) {
      vi.advanceTimersByTime(300);
      limits.touch();
    }
    expect(limits.stoppedBy()).toBe('stepTimeout');
    limits.dispose();
  });

  it('an abort stops the run', () => {
    const controller = new AbortController();
    const limits = watchLimits(
      { stepTimeoutMs: 1000, idleTimeoutMs: 1000, signal: controller.signal },
      () => undefined,
    );
    controller.abort();
    expect(limits.stoppedBy()).toBe('abort');
    limits.dispose();
  });

  it('output after the exit re-arms nothing: no timer outlives its agent', () => {
    let stopped = 0;
    const limits = watchLimits({ stepTimeoutMs: 60_000, idleTimeoutMs: 600_000 }, () => {
      stopped += 1;
    });
    limits.dispose();
    limits.touch();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(700_000);
    expect(stopped).toBe(0);
    expect(limits.stoppedBy()).toBeNull();
  });
});
