import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { expectInvalid, FILE, repoWith } from './config-fixtures.js';

describe('loadConfig: the file itself', () => {
  it.each<[string, string, string]>([
    [
      'a trailing comma',
      '{\n  "concurrency": 2,\n}\n',
      '3:1: Invalid JSON: expected a property name in double quotes, found `}`',
    ],
    ['a missing colon', '{"model" "opus"}', '1:10: Invalid JSON: expected `:`, found `"`'],
    [
      'single quotes',
      "{'model': 'opus'}",
      "1:2: Invalid JSON: expected a property name in double quotes, found `'`",
    ],
    [
      'a missing comma',
      '{\r\n  "a": 1\r\n  "b": 2\r\n}',
      '3:3: Invalid JSON: expected `,` or `}`, found `"`',
    ],
    [
      'an unterminated string',
      '{"model": "opus',
      '1:16: Invalid JSON: expected a closing `"`, found the end of the file',
    ],
    ['an empty file', '', '1:1: Invalid JSON: expected a value, found the end of the file'],
    ['a comment', '// settings\n{}', '1:1: Invalid JSON: expected a value, found `/`'],
    ['two objects', '{}\n{}', '2:1: Invalid JSON: expected the end of the file, found `{`'],
    [
      'a raw tab in a string',
      '{"model": "a\tb"}',
      '1:13: Invalid JSON: expected `\\n` instead of a raw control character, found `"\\t"`',
    ],
  ])('names the position of %s', async (_, text, message) => {
    const repoDir = await repoWith(text);
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      `adw-trigger.json:${message}`,
    );
  });

  it.each<[string, string]>([
    ['[]', '[]'],
    ['null', 'null'],
    ['"concurrency"', '"concurrency"'],
  ])('rejects a file holding %s instead of an object', async (text, shown) => {
    const repoDir = await repoWith(text);
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      `adw-trigger.json: Expected an object such as {"concurrency": 2}, got \`${shown}\``,
    );
  });

  it('reports a directory in place of the file as unreadable', async () => {
    const repoDir = await repoWith();
    await mkdir(join(repoDir, FILE));
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      'adw-trigger.json: is a directory, expected a JSON file',
      'CONFIG_UNREADABLE',
    );
  });

  it('rejects a symbolic link to a missing file instead of ignoring it', async () => {
    const repoDir = await repoWith();
    await symlink(join(repoDir, 'elsewhere.json'), join(repoDir, FILE));
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      'adw-trigger.json: is a symbolic link to a missing file',
      'CONFIG_UNREADABLE',
    );
  });

  it('reports a file that cannot be read with the system reason', async () => {
    const repoDir = await repoWith();
    const path = join(repoDir, FILE);
    await symlink(path, path);
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      `adw-trigger.json: cannot be read: ELOOP: too many symbolic links encountered, open '${path}'`,
      'CONFIG_UNREADABLE',
    );
  });

  it('rejects a file that is not UTF-8', async () => {
    const repoDir = await repoWith();
    await writeFile(join(repoDir, FILE), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      'adw-trigger.json: is not UTF-8 text',
    );
  });
});
