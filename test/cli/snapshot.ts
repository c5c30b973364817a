import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gitEnv } from '../helpers/git.js';

const run = promisify(execFile);

async function walk(root: string, dir: string, out: Map<string, string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // .git changes under harmless reads (index refresh); its refs and worktrees are compared below.
      if (entry.name === '.git' && dir === root) continue;
      out.set(`${relative(root, path)}/`, 'dir');
      await walk(root, path, out);
    } else {
      out.set(relative(root, path), (await readFile(path)).toString('base64'));
    }
  }
}

/**
 * Every file under `dir` (outside `.git`) with its bytes, plus, in a git repository, every ref with
 * its commit and the worktree list: two equal snapshots mean a command changed nothing.
 */
export async function snapshotDir(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await walk(dir, dir, out);
  if (existsSync(join(dir, '.git'))) {
    const refs = await run('git', ['for-each-ref', '--format=%(refname) %(objectname)'], {
      cwd: dir,
      env: gitEnv,
    });
    out.set('git:refs', refs.stdout);
    const trees = await run('git', ['worktree', 'list', '--porcelain'], { cwd: dir, env: gitEnv });
    out.set('git:worktrees', trees.stdout);
  }
  return out;
}
