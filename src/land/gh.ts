import { execFile } from 'node:child_process';
import { AdwError } from '../errors.js';

/** What a gh command printed and how it ended. */
export interface GhResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gh ARGS` in `cwd` (an argv array, no shell); never throws for a non-zero exit. */
export function runGh(cwd: string, args: string[], env = process.env): Promise<GhResult> {
  return new Promise((resolve) => {
    execFile(
      'gh',
      args,
      { cwd, env: { ...env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code =
          error === null
            ? 0
            : typeof error.code === 'number'
              ? error.code
              : error.code === 'ENOENT'
                ? 127
                : 1;
        resolve({
          code,
          stdout,
          stderr: error?.code === 'ENOENT' ? 'gh: command not found' : stderr,
        });
      },
    );
  });
}

/**
 * `land: "pr"` needs a gh that runs and is logged in: checked once at start, so that a missing
 * gh is an error the person sees at once rather than a failure after the work is done.
 */
export async function ghPreflight(land: string, cwd: string): Promise<void> {
  if (land !== 'pr') return;
  const status = await runGh(cwd, ['auth', 'status']);
  if (status.code === 0) return;
  const said = (status.stderr.trim() || status.stdout.trim()).split('\n').slice(-2).join(' ');
  throw new AdwError(
    'LAND_UNAVAILABLE',
    `\`land\` is "pr" but gh is not usable (install the GitHub CLI and run \`gh auth login\`): ${said}`,
  );
}
