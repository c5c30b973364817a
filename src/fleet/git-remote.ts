import { isAbsolute, resolve } from 'node:path';
import { AdwError } from '../errors.js';
import { gitEnvironment, gitFailure, runGit } from '../git/run-git.js';

// A remote or ref that git would read as an option is refused before it reaches git.
function checked(...values: string[]): void {
  for (const value of values) {
    if (value.startsWith('-') || value === '') {
      throw new AdwError('GIT_FAILED', `Expected a remote or ref, got \`${value}\``);
    }
  }
}

// Runs git in `dir`; a failure says what we were `doing` and what git said.
async function gitDoing(dir: string, args: string[], doing: string): Promise<string> {
  try {
    return (await runGit(dir, args, { env: gitEnvironment() })).stdout;
  } catch (error) {
    throw gitFailure('GIT_FAILED', doing, error);
  }
}

/** Pushes `commit` to `ref` on `remote` (a name or URL), replacing what the private ref held. */
export async function pushRef(
  dir: string,
  remote: string,
  commit: string,
  ref: string,
): Promise<void> {
  checked(remote, commit, ref);
  const args = ['push', '--quiet', '--no-verify', remote, `+${commit}:${ref}`];
  await gitDoing(dir, args, `Cannot push ${ref} to ${remote}`);
}

/**
 * Fetches `ref` from `remote` into local ref `into`. No automatic maintenance afterwards: a
 * background gc must not start from the daemon while it moves refs (as for its commits).
 */
export async function fetchRef(
  dir: string,
  remote: string,
  ref: string,
  into: string,
): Promise<void> {
  checked(remote, ref, into);
  const args = [
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-auto-maintenance',
    remote,
    `+${ref}:${into}`,
  ];
  await gitDoing(dir, args, `Cannot fetch ${ref} from ${remote}`);
}

/** fetchRef, then the commit `into` names now. */
export async function fetchTip(
  dir: string,
  remote: string,
  ref: string,
  into: string,
): Promise<string> {
  await fetchRef(dir, remote, ref, into);
  const args = ['rev-parse', '--verify', `${into}^{commit}`];
  return (await gitDoing(dir, args, `Cannot fetch ${ref} from ${remote}`)).trim();
}

/**
 * The URL of remote `name` in `dir` (or `name` itself when it is already a URL or path) as a
 * worker elsewhere can use it: a relative path is made absolute.
 */
export async function remoteUrl(dir: string, name: string): Promise<string> {
  checked(name);
  let url = name;
  if (!name.includes('/') && !name.includes(':')) {
    const args = ['remote', 'get-url', name];
    url = (await gitDoing(dir, args, `The repository has no remote \`${name}\``)).trim();
  }
  // `scheme://…` and scp-like `host:path` are URLs; anything else is a path on this machine.
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+:/.test(url);
  return isUrl || isAbsolute(url) ? url : resolve(dir, url);
}
