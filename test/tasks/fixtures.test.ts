import { readdir, readFile, writeFile } from 'node:fs/promises';
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

  // `UPDATE=1 npx vitest run test/tasks/fixtures.test.ts` rewrites each .json from its .md, like
  // mdast's fixtures; review the diff before committing it.
  it.each(names)('%s.md', async (name) => {
    const source = await readFile(join(dir, `${name}.md`), 'utf8');
    if (process.env.UPDATE === '1') {
      const json = `${JSON.stringify(parseTasks(source, options), null, 2)}\n`;
      await writeFile(join(dir, `${name}.json`), json);
    }
    const expected: unknown = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'));
    expect(parseTasks(source, options)).toEqual(expected);
  });
});
