import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withCommitIdentity } from './identity.js';
import { gitEnvironment, runGit } from './run-git.js';

/** Makes `dir` a new repository on branch `main` with `files` committed (for `adw-trigger demo`). */
export async function createRepository(dir: string, files: Record<string, string>): Promise<void> {
  const env = gitEnvironment();
  await mkdir(dir, { recursive: true });
  await runGit(dir, ['init', '--quiet', '--initial-branch=main'], { env });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await runGit(dir, ['add', '-A'], { env });
  await runGit(dir, ['commit', '--quiet', '--no-verify', '-m', 'Initial commit'], {
    env: await withCommitIdentity(dir, env),
  });
}

/** The history of every branch as `git log --graph --oneline --decorate --all` draws it. */
export async function branchGraph(dir: string): Promise<string> {
  const { stdout } = await runGit(
    dir,
    ['log', '--graph', '--oneline', '--decorate', '--all', '--color=never'],
    { env: gitEnvironment() },
  );
  return stdout.trimEnd();
}
