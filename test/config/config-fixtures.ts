import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { AdwError, type AdwErrorCode } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';

/** The config file's name in a repository. */
export const FILE = 'adw-trigger.json';

/** A temp repository dir holding `content` as adw-trigger.json (JSON-encoded unless a string). */
export async function repoWith(content?: unknown): Promise<string> {
  const dir = await tempDir('adw-config-');
  if (content !== undefined) {
    const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
    await writeFile(join(dir, FILE), text);
  }
  return dir;
}

/** Runs `load`, expects AdwError `code` with exactly `message`, and an untouched file. */
export async function expectInvalid(
  repoDir: string,
  load: () => Promise<unknown>,
  message: string,
  code: AdwErrorCode = 'CONFIG_INVALID',
): Promise<void> {
  const before = await readFile(join(repoDir, FILE)).catch(() => null);
  const error = await load().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AdwError);
  expect((error as AdwError).code).toBe(code);
  expect((error as AdwError).message).toBe(message);
  expect(await readFile(join(repoDir, FILE)).catch(() => null)).toEqual(before);
}
