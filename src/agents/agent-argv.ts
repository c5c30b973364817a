import type { AgentSpec } from './agent-spec.js';

/** How one agent run is started: the argv (never through a shell) and what goes to its stdin. */
export interface AgentInvocation {
  argv: string[];
  /** Written to the agent's stdin, which is then closed. */
  stdin: string;
}

/**
 * Up to this many bytes the command agent also gets the prompt as its last argument. Linux refuses
 * a single argument over 128 KiB (E2BIG); above this the prompt goes by stdin only.
 */
export const MAX_PROMPT_ARGUMENT = 100 * 1024;

/**
 * The argv and stdin that run `spec` on `prompt` (SPEC §4). Claude and codex read the prompt from
 * stdin, so no prompt is ever taken for an option or a subcommand and none is too big for argv;
 * the model is passed as one `--model=NAME` element, and not at all when `model` is null. Claude
 * also gets `--max-budget-usd` when the task has a budget left (`maxBudgetUsd`).
 */
export function agentInvocation(
  spec: AgentSpec,
  prompt: string,
  model: string | null,
  maxBudgetUsd: number | null = null,
): AgentInvocation {
  const modelArgs = model === null ? [] : [`--model=${model}`];
  const budgetArgs = maxBudgetUsd === null ? [] : [`--max-budget-usd=${String(maxBudgetUsd)}`];
  switch (spec.kind) {
    case 'claude':
      return {
        argv: [
          spec.executable,
          '-p',
          ...modelArgs,
          '--output-format',
          'stream-json',
          '--verbose',
          '--dangerously-skip-permissions',
          ...budgetArgs,
          ...spec.args,
        ],
        stdin: prompt,
      };
    case 'codex':
      // `codex exec` is its non-interactive mode; the agent runs unattended in a throw-away
      // worktree, so it gets full access and no approval prompts (nobody could answer them).
      // `-` reads the prompt from stdin.
      return {
        argv: [
          spec.executable,
          'exec',
          '--json',
          '--dangerously-bypass-approvals-and-sandbox',
          '--skip-git-repo-check',
          ...modelArgs,
          ...spec.args,
          '-',
        ],
        stdin: prompt,
      };
    case 'command': {
      const fits = Buffer.byteLength(prompt) <= MAX_PROMPT_ARGUMENT;
      return {
        argv: [spec.executable, ...spec.args, ...(fits ? [prompt] : [])],
        stdin: prompt,
      };
    }
  }
}
