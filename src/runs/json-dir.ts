import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The parsed `*.json` files of a folder (none when it does not exist). A file being replaced or
 * damaged is skipped: it says nothing about the state it would record.
 */
export async function readJsonDir(dir: string): Promise<unknown[]> {
  // A folder that is not there (yet) holds nothing.
  const names = await readdir(dir).catch((): string[] => []);
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
