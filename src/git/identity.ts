import { runGit } from './run-git.js';

/** The identity used when the repository configures none, so the daemon commits instead of failing. */
export const FALLBACK_IDENTITY = { name: 'adw-trigger', email: 'adw-trigger@localhost' } as const;

async function configured(cwd: string, key: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  // Exit 1: the key is not set.
  const { stdout } = await runGit(cwd, ['config', '--get', key], { env, okExitCodes: [1] });
  return stdout.trim() !== '';
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
  const parts = [
    ['name', 'user.name', FALLBACK_IDENTITY.name],
    ['email', 'user.email', FALLBACK_IDENTITY.email],
  ] as const;
  for (const [part, key, fallback] of parts) {
    if (await configured(cwd, key, env)) continue;
    for (const role of ['AUTHOR', 'COMMITTER']) {
      const variable = `GIT_${role}_${part.toUpperCase()}`;
      if (!env[variable]) result[variable] = fallback;
    }
  }
  return result;
}
