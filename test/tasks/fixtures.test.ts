import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

const dir = fileURLToPath(new URL('../fixtures/tasks/', import.meta.url));
const names = (await readdir(dir))
  .filter((name) => name.endsWith('.md'))
  .map((name) => name.slice(0, -3));

describe('fixture files parse to their .json', () => {
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(4);
  });

  it.each(names)('%s.md', async (name) => {
    const source = await readFile(join(dir, `${name}.md`), 'utf8');
    const expected: unknown = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'));
    expect(parseTasks(source, options)).toEqual(expected);
  });
});
