import { tmpdir } from 'node:os';
import { gitEnvironment, runGit } from './run-git.js';

/** Whether git accepts `name` as a branch name (`git check-ref-format --branch`). */
export async function isValidBranchName(name: string): Promise<boolean> {
  if (name.includes('\0')) return false; // cannot even be passed as an argument
  // Run outside any repository: inside one, `@{-1}` would expand to the previous branch.
  const { exitCode } = await runGit(tmpdir(), ['check-ref-format', '--branch', name], {
    env: gitEnvironment(),
    okExitCodes: [1, 128],
  });
  return exitCode === 0;
}
