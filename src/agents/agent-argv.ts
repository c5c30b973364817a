import type { Config } from '../config/schema.js';
import { AdwError } from '../errors.js';

/**
 * The argv that runs the configured agent on `prompt` (SPEC §4). The prompt is always one argv
 * element: it never passes through a shell.
 */
export function agentArgv(config: Config, prompt: string, model: string): string[] {
  switch (config.agent) {
    case 'claude':
      return [
        config.claudeBin,
        '-p',
        prompt,
        '--model',
        model,
        '--output-format',
        'stream-json',
        '--verbose',
        '--dangerously-skip-permissions',
        ...config.agentArgs,
      ];
    case 'codex':
      // `codex exec` is its non-interactive mode; the agent runs unattended in a throw-away
      // worktree, so it gets full access and no approval prompts (nobody could answer them).
      return [
        config.codexBin,
        'exec',
        '--model',
        model,
        '--dangerously-bypass-approvals-and-sandbox',
        '--skip-git-repo-check',
        ...config.agentArgs,
        prompt,
      ];
    case 'command':
      if (config.command === undefined) {
        throw new AdwError(
          'CONFIG_INVALID',
          'Expected `command` to be set when `agent` is `command`',
        );
      }
      return [...config.command, prompt];
  }
}
