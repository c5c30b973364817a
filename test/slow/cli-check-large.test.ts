import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

// About 8 s (writing and parsing 50 MB): too slow for the fast project.
describe('adw-trigger check on a large file', () => {
  it(
    'parses a 50 MB file without crashing and finds the error on its last line',
    { timeout: 90_000 },
    async () => {
      const dir = await tempDir();
      const parts: string[] = [];
      let size = 0;
      let count = 0;
      while (size < 50 * 1024 * 1024) {
        const line = `${count % 100 === 0 ? `## Git Worktree part-${count}\n` : ''}[] Task number ${count} with a few words #sonnet\n`;
        parts.push(line);
        size += Buffer.byteLength(line);
        count++;
      }
      parts.push('[🟢] The very last line\n');
      const text = parts.join('');
      await writeFile(join(dir, 'big.md'), text);
      const lastLine = text.split('\n').length - 1;
      const result = await runCli(['check', 'big.md'], { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^big\\.md:${lastLine}:1 error unknown-marker `));
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(result.code).toBe(1);
    },
  );
});
