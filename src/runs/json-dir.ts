import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The parsed `*.json` files of a folder (none when it does not exist). A file being replaced or
 * damaged is skipped: it says nothing about the state it would record.
 */
export async function readJsonDir(dir: string): Promise<unknown[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const values: unknown[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      values.push(JSON.parse(await readFile(join(dir, name), 'utf8')));
    } catch {
      // Skipped, as said above.
    }
  }
  return values;
}
