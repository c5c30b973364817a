import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanAndClaim, type ScanInput, type ScanResult } from '../../src/daemon/claim-scan.js';
import { hashText } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp.js';

const parseOptions = {
  defaultSection: 'adw',
  defaultModel: 'sonnet',
  defaultWorkflow: 'build',
  workflows: [],
};

function input(tasksPath: string, over: Partial<ScanInput> = {}): ScanInput {
  let next = 0;
  return {
    tasksPath,
    parseOptions,
    records: () => Promise.resolve([]),
    lastHash: null,
    force: false,
    freeSlots: () => 1,
    newId: () => `0000000${String((next += 1))}`,
    recordClaims: () => Promise.resolve(),
    dropClaims: () => Promise.resolve(),
    ...over,
  };
}

function scanned(result: ScanResult): Extract<ScanResult, { kind: 'scanned' }> {
  if (result.kind !== 'scanned') throw new Error(`expected a scan, got ${JSON.stringify(result)}`);
  return result;
}

describe('scanAndClaim', () => {
  it('a line appended while a claim is written is read by the next scan, not taken as scanned', async () => {
    const dir = await tempDir();
    const tasksPath = join(dir, 'tasks.md');
    await writeFile(tasksPath, '# Tasks\n\n[] first task\n');
    // A person appends a line after the daemon read the file inside the lock, before its rename:
    // the daemon places its edit with the appended bytes after it.
    let appended = false;
    const first = scanned(
      await scanAndClaim(
        input(tasksPath, {
          recordClaims: async () => {
            if (appended) return;
            appended = true;
            await appendFile(tasksPath, '[] appended while the claim was written\n');
          },
        }),
      ),
    );
    const text = await readFile(tasksPath, 'utf8');
    expect(first.claims.map((claim) => claim.line)).toEqual([3]);
    expect(text).toMatch(
      /^\[🟡, 00000001\] first task\n\[\] appended while the claim was written\n$/m,
    );
    const second = scanned(
      await scanAndClaim(input(tasksPath, { lastHash: first.hash, newId: () => '00000002' })),
    );
    expect(second.claims.map((claim) => claim.line)).toEqual([4]);
    expect(await readFile(tasksPath, 'utf8')).toBe(
      '# Tasks\n\n[🟡, 00000001] first task\n[🟡, 00000002] appended while the claim was written\n',
    );
  });

  it('a claim written with nothing appended gives the hash of the file it wrote', async () => {
    const dir = await tempDir();
    const tasksPath = join(dir, 'tasks.md');
    await writeFile(tasksPath, '# Tasks\n\n[] only task\n');
    const result = scanned(await scanAndClaim(input(tasksPath)));
    const text = await readFile(tasksPath, 'utf8');
    expect(text).toBe('# Tasks\n\n[🟡, 00000001] only task\n');
    expect(result.hash).toBe(hashText(text));
    expect(await scanAndClaim(input(tasksPath, { lastHash: result.hash }))).toEqual({
      kind: 'unchanged',
    });
  });
});
