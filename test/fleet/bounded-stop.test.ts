import { pino } from 'pino';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { runStopSteps, settledWithin } from '../../src/fleet/bounded-stop.js';

interface Line {
  level: number;
  msg: string;
}

function recordingLog(): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Line) },
  );
  return { log, lines };
}

// A promise that never settles: a Redis command while the server is unreachable.
const never = (): Promise<void> => new Promise<void>(() => undefined);

describe('settledWithin', () => {
  it('is true for work that settles in time and false for work that does not', async () => {
    expect(await settledWithin(Promise.resolve(1), 1000)).toBe(true);
    expect(await settledWithin(never(), 10)).toBe(false);
  });

  it('rethrows a rejection in time, and ignores one that comes late', async () => {
    await expect(settledWithin(Promise.reject(new Error('refused')), 1000)).rejects.toThrow(
      'refused',
    );
    let reject: (error: Error) => void = () => undefined;
    const late = new Promise((_, fail) => {
      reject = fail;
    });
    expect(await settledWithin(late, 10)).toBe(false);
    // No unhandled rejection fails the run: it is nobody's to hear any more.
    reject(new Error('connection closed'));
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('runStopSteps', () => {
  it('runs every step in order past one that hangs and one that throws, naming each in the log', async () => {
    const { log, lines } = recordingLog();
    const ran: string[] = [];
    const inTime = await runStopSteps(
      [
        ['close the queue', () => never()],
        [
          'release the lease',
          () => {
            ran.push('lease');
            return Promise.reject(new Error('NOSCRIPT'));
          },
        ],
        [
          'remove the heartbeat',
          () => {
            ran.push('heartbeat');
            return Promise.resolve();
          },
        ],
      ],
      Date.now() + 50,
      log,
    );
    expect(inTime).toBe(false);
    expect(ran).toEqual(['lease', 'heartbeat']);
    expect(lines.map((line) => line.msg)).toEqual([
      'gave up waiting to close the queue while stopping (queue unreachable)',
      'could not release the lease while stopping',
    ]);
  });

  it('gives a step past the deadline a moment: a local cleanup still happens', async () => {
    const { log, lines } = recordingLog();
    const ran: string[] = [];
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 20));
    const inTime = await runStopSteps(
      [['remove the heartbeat', async () => slow().then(() => void ran.push('heartbeat'))]],
      Date.now() - 1000,
      log,
    );
    expect([inTime, ran, lines]).toEqual([true, ['heartbeat'], []]);
  });
});
