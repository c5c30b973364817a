import { runGit } from './run-git.js';

/** The identity used when the repository configures none, so the daemon commits instead of failing. */
export const FALLBACK_IDENTITY = { name: 'adw-trigger', email: 'adw-trigger@localhost' } as const;

// The identity parts the git config sets (non-empty), read in one process: `user.name` and
// `user.email` as `--get` would read them (the last value wins). Exit 1: neither is set.
async function configuredParts(cwd: string, env: NodeJS.ProcessEnv): Promise<Set<string>> {
  const args = ['config', '--null', '--get-regexp', '^user\\.(name|email)$'];
  const { stdout } = await runGit(cwd, args, { env, okExitCodes: [1] });
  // --null: each entry is `KEY\nVALUE\0`, or `KEY\0` for a key without a value.
  const values = new Map<string, string>();
  for (const entry of stdout.split('\0')) {
    const newline = entry.indexOf('\n');
    const key = newline === -1 ? entry : entry.slice(0, newline);
    if (key !== '') values.set(key, newline === -1 ? '' : entry.slice(newline + 1));
  }
  return new Set([...values].filter(([, value]) => value.trim() !== '').map(([key]) => key));
}

/**
 * `env` plus GIT_AUTHOR_* / GIT_COMMITTER_* for whatever part of the identity neither the git
 * config nor the environment provides. Without this, git either refuses ("Please tell me who you
 * are") or invents root@hostname, depending on the machine.
 */
export async function withCommitIdentity(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<NodeJS.ProcessEnv> {
  const result: NodeJS.ProcessEnv = { ...env };
  const variables = ['AUTHOR', 'COMMITTER'].flatMap((role) => [
    `GIT_${role}_NAME`,
    `GIT_${role}_EMAIL`,
  ]);
  // The environment sets every part: there is nothing to fill in, and no config to read.
  if (variables.every((variable) => env[variable])) return result;
  const configured = await configuredParts(cwd, env);
  const parts = [
    ['name', 'user.name', FALLBACK_IDENTITY.name],
    ['email', 'user.email', FALLBACK_IDENTITY.email],
  ] as const;
  for (const [part, key, fallback] of parts) {
    if (configured.has(key)) continue;
    for (const role of ['AUTHOR', 'COMMITTER']) {
      const variable = `GIT_${role}_${part.toUpperCase()}`;
      if (!env[variable]) result[variable] = fallback;
    }
  }
  return result;
}
