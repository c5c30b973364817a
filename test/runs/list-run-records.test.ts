import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRunRecords, runDir, writeRunRecord } from '../../src/runs/index.js';
import type { RunRecord } from '../../src/runs/index.js';
import { runRecordOf } from '../helpers/run-records.js';
import { tempDir } from '../helpers/temp.js';

const record = (id: string, status: RunRecord['status']): RunRecord =>
  runRecordOf({ id, status, daemonPid: 1, startedAt: '2026-01-01T00:00:00.000Z' });

// As a record left alone for a minute: its file times an hour back.
async function atRest(adwDir: string, id: string): Promise<void> {
  const past = new Date(Date.now() - 3_600_000);
  await utimes(join(runDir(adwDir, id), 'run.json'), past, past);
}

const byId = (records: RunRecord[]) => new Map(records.map((each) => [each.id, each]));

describe('listRunRecords', () => {
  it('reads every record once; a damaged or missing run.json is left out', async () => {
    const adwDir = await tempDir();
    await writeRunRecord(adwDir, record('aaaa0001', 'done'));
    await writeRunRecord(adwDir, record('aaaa0002', 'failed'));
    await writeRunRecord(adwDir, record('aaaa0003', 'running'));
    await writeFile(join(runDir(adwDir, 'aaaa0003'), 'run.json'), '{"id": "aaaa0003", ');
    await writeRunRecord(adwDir, record('aaaa0004', 'done'));
    await rm(join(runDir(adwDir, 'aaaa0004'), 'run.json'));

    const records = byId(await listRunRecords(adwDir));

    expect([...records.keys()].sort()).toEqual(['aaaa0001', 'aaaa0002']);
    expect(records.get('aaaa0002')?.status).toBe('failed');
  });

  it('keeps a record at rest while its file is unchanged: the same object, not read again', async () => {
    const adwDir = await tempDir();
    await writeRunRecord(adwDir, record('bbbb0001', 'done'));
    await atRest(adwDir, 'bbbb0001');

    const first = byId(await listRunRecords(adwDir)).get('bbbb0001');
    const second = byId(await listRunRecords(adwDir)).get('bbbb0001');

    expect(first?.status).toBe('done');
    expect(second).toBe(first);
  });

  it('reads a kept record again once it is rewritten, even to the same size', async () => {
    const adwDir = await tempDir();
    await writeRunRecord(adwDir, record('cccc0001', 'running'));
    await atRest(adwDir, 'cccc0001');
    await listRunRecords(adwDir);
    const path = join(runDir(adwDir, 'cccc0001'), 'run.json');
    const size = (await readFile(path)).length;

    // `running` and `retried` are the same length.
    await writeRunRecord(adwDir, record('cccc0001', 'retried'));

    expect((await readFile(path)).length).toBe(size);
    expect(byId(await listRunRecords(adwDir)).get('cccc0001')?.status).toBe('retried');
  });

  it('reads a record written moments ago at every call: each rewrite is seen', async () => {
    const adwDir = await tempDir();
    // Two rewrites in a row: the second file gets the first one's inode back, with the same size
    // (`claimed` and `retried` are the same length), and on a kernel with coarse file times the
    // same time.
    for (let round = 0; round < 20; round += 1) {
      await writeRunRecord(adwDir, record('dddd0001', 'claimed'));
      expect(byId(await listRunRecords(adwDir)).get('dddd0001')?.status).toBe('claimed');
      await writeRunRecord(adwDir, record('dddd0001', 'running'));
      await writeRunRecord(adwDir, record('dddd0001', 'retried'));
      expect(byId(await listRunRecords(adwDir)).get('dddd0001')?.status).toBe('retried');
    }
  });

  it('forgets a record whose folder was removed', async () => {
    const adwDir = await tempDir();
    await writeRunRecord(adwDir, record('eeee0001', 'done'));
    await writeRunRecord(adwDir, record('eeee0002', 'done'));
    await atRest(adwDir, 'eeee0001');
    await listRunRecords(adwDir);

    await rm(runDir(adwDir, 'eeee0001'), { recursive: true });

    expect([...byId(await listRunRecords(adwDir)).keys()]).toEqual(['eeee0002']);
  });

  it('hands out frozen records: a caller cannot change what the next one reads', async () => {
    const adwDir = await tempDir();
    await writeRunRecord(adwDir, record('ffff0001', 'done'));
    await atRest(adwDir, 'ffff0001');
    const [listed] = await listRunRecords(adwDir);

    expect(() => {
      if (listed !== undefined) listed.status = 'failed';
    }).toThrow(TypeError);
    expect((await listRunRecords(adwDir))[0]?.status).toBe('done');
  });

  it('lists nothing when there is no runs folder', async () => {
    expect(await listRunRecords(join(await tempDir(), 'missing'))).toEqual([]);
  });
});
