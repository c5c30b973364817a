import { spawn } from 'node:child_process';
import { gitFailure } from './run-git.js';

/**
 * The hashes (hex abbreviations) that name no commit in the repository at `root`, found with one
 * `git cat-file --batch-check` for all of them: one process however many ✅ lines there are.
 * An ambiguous abbreviation names commits, so it is not unknown.
 */
export async function unknownCommits(
  root: string,
  env: NodeJS.ProcessEnv,
  hashes: readonly string[],
): Promise<Set<string>> {
  const asked = [...new Set(hashes)].filter((hash) => /^[0-9a-f]{4,64}$/i.test(hash));
  if (asked.length === 0) return new Set();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch-check'], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(stderr.trim() || `git cat-file exited with code ${String(code)}`));
    });
    // `^{commit}` peels tags and answers `missing` for a blob or tree: only commits count.
    child.stdin.end(asked.map((hash) => `${hash}^{commit}\n`).join(''));
  }).catch((error: unknown) => {
    throw gitFailure('GIT_FAILED', `Cannot look up commits in ${root}`, error);
  });
  const answers = output.split('\n');
  return new Set(asked.filter((_hash, index) => answers[index]?.endsWith(' missing') === true));
}
