import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { CommitLookup } from '../../src/git/look-up-commits.js';
import { git, gitEnv, makeRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

// The `git cat-file --batch-check` processes running in `dir` (Linux: /proc).
function catFilesIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (command !== 'git\0cat-file\0--batch-check\0') continue;
      if (readlinkSync(`/proc/${name}/cwd`) === dir) found.push(Number(name));
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return found;
}

async function until(done: () => boolean): Promise<void> {
  for (let wait = 5; !done(); wait = Math.min(wait * 2, 100)) await sleep(wait);
}

async function repoWithTwoCommits() {
  const dir = realpathSync(await makeRepo());
  const first = await git(dir, 'rev-parse', 'HEAD');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
  const second = await git(dir, 'rev-parse', 'HEAD');
  return { dir, first, second };
}

describe('CommitLookup: one cat-file for many questions', () => {
  it('answers as the refs are now: moved, made, packed and deleted after it started', async () => {
    const { dir, first, second } = await repoWithTwoCommits();
    const lookup = new CommitLookup(dir, gitEnv);
    expect(await lookup.lookUp(['main'])).toEqual([second]);

    await git(dir, 'update-ref', 'refs/heads/main', first);
    await git(dir, 'branch', 'later', second);
    expect(await lookup.lookUp(['main', 'later'])).toEqual([first, second]);

    await git(dir, 'pack-refs', '--all');
    await git(dir, 'update-ref', 'refs/heads/later', first);
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'third');
    const third = await git(dir, 'rev-parse', 'HEAD');
    expect(await lookup.lookUp(['later', third])).toEqual([first, third]);

    await git(dir, 'branch', '-D', 'later');
    expect(await lookup.lookUp(['later'])).toEqual([null]);
    expect(catFilesIn(dir)).toHaveLength(1);
  });

  it('gives each of many questions at once its own answers, in order', async () => {
    const { dir, first, second } = await repoWithTwoCommits();
    await git(dir, 'branch', 'old', first);
    const lookup = new CommitLookup(dir, gitEnv);
    const questions = Array.from({ length: 40 }, (_, index) =>
      index % 3 === 0 ? ['main', 'old'] : index % 3 === 1 ? ['nope', 'old', 'main'] : ['old'],
    );
    const answers = await Promise.all(questions.map((names) => lookup.lookUp(names)));
    answers.forEach((answer, index) => {
      const expected =
        index % 3 === 0 ? [second, first] : index % 3 === 1 ? [null, first, second] : [first];
      expect(answer).toEqual(expected);
    });
  });

  it('answers null for what names no commit, and asks nothing for an empty name or a line break', async () => {
    const { dir, second } = await repoWithTwoCommits();
    await git(dir, 'tag', '-a', '-m', 'v1', 'v1', second);
    const blob = await git(dir, 'rev-parse', 'HEAD:README.md');
    const lookup = new CommitLookup(dir, gitEnv);
    expect(await lookup.lookUp(['', 'main\nmain', 'v1', blob, 'no-such-branch'])).toEqual([
      null,
      null,
      second,
      null,
      null,
    ]);
    expect(await lookup.unknown([second.slice(0, 7), 'abcdef1', 'not hex'])).toEqual(
      new Set(['abcdef1']),
    );
    expect(catFilesIn(dir)).toHaveLength(1);
  });

  it('lets its process go when idle, and starts another at the next question', async () => {
    const { dir, second } = await repoWithTwoCommits();
    const lookup = new CommitLookup(dir, gitEnv, 50);
    expect(await lookup.lookUp(['main'])).toEqual([second]);
    const [first] = catFilesIn(dir);
    expect(first).toBeDefined();

    await until(() => catFilesIn(dir).length === 0);

    expect(await lookup.lookUp(['main'])).toEqual([second]);
    const again = catFilesIn(dir);
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(first);
  });

  it('fails the questions of a process that dies, and the next question gets a new one', async () => {
    const { dir, second } = await repoWithTwoCommits();
    const lookup = new CommitLookup(dir, gitEnv);
    await lookup.lookUp(['main']);
    const [pid] = catFilesIn(dir);
    process.kill(pid ?? 0, 'SIGKILL');
    // A question may reach it before its end is seen: it fails, and says so.
    const answer = await lookup.lookUp(['main']).catch((error: unknown) => error);
    if (answer instanceof Error) expect(isAdwError(answer, 'GIT_FAILED')).toBe(true);
    else expect(answer).toEqual([second]);
    await until(() => !catFilesIn(dir).includes(pid ?? 0));
    expect(await lookup.lookUp(['main'])).toEqual([second]);
  });

  it("says git's reason when the folder is no repository", async () => {
    const dir = await tempDir();
    const lookup = new CommitLookup(dir, { ...gitEnv, GIT_CEILING_DIRECTORIES: dir });
    const error = await lookup.lookUp(['main']).catch((caught: unknown) => caught as Error);
    expect(isAdwError(error, 'GIT_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot look up commits in ${dir}: .*not a git repository`),
    );
  });

  it('never keeps a command running: a script that asked ends on its own, its cat-file with it', async () => {
    const { dir, second } = await repoWithTwoCommits();
    const script = join(await tempDir(), 'ask.mjs');
    const module = new URL('../../dist/git/look-up-commits.js', import.meta.url).href;
    await writeFile(
      script,
      `const { CommitLookup } = await import(${JSON.stringify(module)});\n` +
        `const lookup = new CommitLookup(process.argv[2], process.env, 600000);\n` +
        `console.log((await lookup.lookUp(['main']))[0]);\n`,
    );
    const run = spawnSync(process.execPath, [script, dir], {
      env: gitEnv,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe(second);
    await until(() => catFilesIn(dir).length === 0);
  });
});
