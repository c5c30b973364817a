import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { CLI, cliEnv } from '../helpers/cli.js';
import { makeTaskRepo } from '../helpers/task-repo.js';

// `adw-trigger COMMAND | true`: the reader is gone before the first write (node starts in far
// more time than `true` takes to exit), so every write meets a closed pipe.
function intoClosedPipe(command: string, cwd: string): Promise<number | null> {
  const script = `set -o pipefail; "$0" "$1" "$2" 2>stderr.txt | true`;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script, process.execPath, CLI, command],
      { cwd, env: cliEnv() },
      (error) => {
        resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : null);
      },
    );
  });
}

describe('output into a closed pipe', () => {
  it.each([['config'], ['plan'], ['status']])(
    '%s | true ends quietly: exit 0, no EPIPE stack trace',
    async (command) => {
      const tasks = Array.from({ length: 50 }, (_, i) => `[] Task ${i}\n`).join('');
      const repo = await makeTaskRepo(tasks, { agent: fakeAgent('commit') });
      const code = await intoClosedPipe(command, repo);
      expect(await readFile(join(repo, 'stderr.txt'), 'utf8')).toBe('');
      expect(code).toBe(0);
    },
  );
});
