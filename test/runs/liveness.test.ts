import { hostname } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { settleOrphans } from '../../src/daemon/recovery.js';
import { liveness, readRunRecord, runOwnerOf, STALE_HEARTBEAT_MS } from '../../src/runs/index.js';
import type { DaemonIdentity, Liveness, Observer } from '../../src/runs/index.js';
import { deadPid, runRecordOf, writeRecordIn } from '../helpers/run-records.js';
import { tempDir } from '../helpers/temp.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const FRESH = new Date(NOW - 1000).toISOString();
const STALE = new Date(NOW - STALE_HEARTBEAT_MS - 1000).toISOString();
const HERE = hostname();
const OTHER = `${HERE}-other`;
// A live process of this host that is not this one: the parent of the test worker.
const LIVE_PID = process.ppid;
const DEAD_PID = deadPid();

function daemon(host: string, pid: number, heartbeat: string, instance = 'a'): DaemonIdentity {
  return { host, pid, instance, heartbeat };
}

describe('liveness: the one rule for recovery, status, health and logs', () => {
  const cli: Observer = { host: HERE, instance: null, now: NOW };
  const self: Observer = { host: HERE, instance: 'a', now: NOW };
  it.each<[string, DaemonIdentity, Observer, Liveness]>([
    ['another host, fresh heartbeat', daemon(OTHER, DEAD_PID, FRESH), cli, 'live'],
    [
      'another host, stale heartbeat: never dead from here',
      daemon(OTHER, LIVE_PID, STALE),
      cli,
      'silent',
    ],
    [
      'another host, stale, seen by a daemon',
      daemon(OTHER, process.pid, STALE, 'b'),
      self,
      'silent',
    ],
    ['this host, process gone', daemon(HERE, DEAD_PID, FRESH), cli, 'dead'],
    ['this host, process there, fresh', daemon(HERE, LIVE_PID, FRESH), cli, 'live'],
    ['this host, process there, stale (hung)', daemon(HERE, LIVE_PID, STALE), cli, 'dead'],
    [
      'this process, another instance (pid reused)',
      daemon(HERE, process.pid, FRESH, 'b'),
      self,
      'dead',
    ],
    ['this process, this instance', daemon(HERE, process.pid, STALE), self, 'live'],
    ['this process, seen by its API (no instance)', daemon(HERE, process.pid, FRESH), cli, 'live'],
  ])('%s', (_name, owner, observer, expected) => {
    expect(liveness(owner, observer)).toBe(expected);
  });

  it('recovery settles the run of a dead daemon here and leaves a silent one of another host', async () => {
    const repo = await tempDir('adw-liveness-');
    const adwDir = join(repo, '.adw');
    await writeRecordIn(repo, { id: 'aaaaaaaaa', heartbeat: STALE, agentPid: null });
    await writeRecordIn(repo, { id: 'bbbbbbbbb', host: OTHER, heartbeat: STALE });
    const records = [
      runRecordOf({ id: 'aaaaaaaaa', heartbeat: STALE, agentPid: null }),
      runRecordOf({ id: 'bbbbbbbbb', host: OTHER, heartbeat: STALE }),
    ];
    expect(records.map((record) => liveness(runOwnerOf(record), { ...self, now: NOW }))).toEqual([
      'dead',
      'silent',
    ]);
    const log = pino({ level: 'silent' });
    const settled = await settleOrphans(records, {
      adwDir,
      host: HERE,
      instance: 'a',
      now: NOW,
      log,
    });
    expect(settled.map((record) => [record.id, record.status])).toEqual([
      ['aaaaaaaaa', 'released'],
    ]);
    expect((await readRunRecord(adwDir, 'aaaaaaaaa'))?.status).toBe('released');
    expect((await readRunRecord(adwDir, 'bbbbbbbbb'))?.status).toBe('claimed');
  });
});
