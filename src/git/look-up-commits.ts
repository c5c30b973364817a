import { spawn } from 'node:child_process';
import { gitFailure } from './run-git.js';

/**
 * git's answer for the commit each of `names` (hashes, refs, branches) names in the repository at
 * `root`: `SHA commit SIZE`, `NAME^{commit} missing` or `… ambiguous`. One `git cat-file
 * --batch-check` for all of them: one process however many there are. `^{commit}` peels tags and
 * answers `missing` for a blob or tree: only commits count.
 */
async function batchCheck(
  root: string,
  env: NodeJS.ProcessEnv,
  names: readonly string[],
): Promise<string[]> {
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
    child.stdin.end(names.map((name) => `${name}^{commit}\n`).join(''));
  }).catch((error: unknown) => {
    throw gitFailure('GIT_FAILED', `Cannot look up commits in ${root}`, error);
  });
  return output.split('\n').slice(0, names.length);
}

/**
 * The full sha of the commit each of `names` names, or null (missing, ambiguous, not a commit,
 * or a name git is not asked about: empty, or holding a line break that would read as two).
 */
export async function lookUpCommits(
  root: string,
  env: NodeJS.ProcessEnv,
  names: readonly string[],
): Promise<(string | null)[]> {
  const askable = (name: string): boolean => name !== '' && !/[\r\n]/.test(name);
  const asked = names.filter(askable);
  const answers = asked.length === 0 ? [] : await batchCheck(root, env, asked);
  let next = 0;
  return names.map((name) => {
    if (!askable(name)) return null;
    const answer = answers[next++] ?? '';
    return /^([0-9a-f]{40,64}) commit /.exec(answer)?.[1] ?? null;
  });
}

/**
 * The hashes (hex abbreviations) that name no commit in the repository at `root`. An ambiguous
 * abbreviation names commits, so it is not unknown.
 */
export async function unknownCommits(
  root: string,
  env: NodeJS.ProcessEnv,
  hashes: readonly string[],
): Promise<Set<string>> {
  const asked = [...new Set(hashes)].filter((hash) => /^[0-9a-f]{4,64}$/i.test(hash));
  if (asked.length === 0) return new Set();
  const answers = await batchCheck(root, env, asked);
  return new Set(asked.filter((_hash, index) => answers[index]?.endsWith(' missing') === true));
}
