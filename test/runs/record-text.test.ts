import { rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordText } from '../../src/runs/record-text.js';
import { tempDir } from '../helpers/temp.js';

// Replaces a record file whole, as writeFileAtomic does.
async function replace(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

// Past the age at which a record file's text is kept.
const settle = (): Promise<void> => sleep(1_100);

describe('readRecordText', () => {
  it('returns the new text after a settled file is replaced whole or rewritten in place, at the same size', async () => {
    const path = join(await tempDir(), 'run.json');
    await replace(path, '{"status":"running"}');
    await settle();
    expect(await readRecordText(path)).toBe('{"status":"running"}');
    expect(await readRecordText(path)).toBe('{"status":"running"}');
    await replace(path, '{"status":"finishd"}');
    expect(await readRecordText(path)).toBe('{"status":"finishd"}');
    await settle();
    expect(await readRecordText(path)).toBe('{"status":"finishd"}');
    await writeFile(path, '{"status":"claimed"}');
    expect(await readRecordText(path)).toBe('{"status":"claimed"}');
  });

  it('throws for a file that is gone, and forgets its text', async () => {
    const path = join(await tempDir(), 'run.json');
    await replace(path, '{"status":"done"}');
    await settle();
    expect(await readRecordText(path)).toBe('{"status":"done"}');
    await rm(path);
    await expect(readRecordText(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await replace(path, '{"status":"gone"}');
    expect(await readRecordText(path)).toBe('{"status":"gone"}');
  });
});
