import type { AgentKind } from './agent-spec.js';
import type { ClassifiedFailure, PermanentCause } from './classify-failure.js';

const MAX_MESSAGE = 100;

// Where each agent's credentials come from: what a person checks first.
const KEYS: Record<AgentKind | 'plain', string> = {
  claude: 'ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN / `claude login`)',
  codex: 'OPENAI_API_KEY (or the env_key of its model provider / `codex login`)',
  command: "the agent's API key in the daemon's environment",
  plain: "the agent's API key in the daemon's environment",
};

function what(cause: PermanentCause, kind: AgentKind | 'plain', model: string | null): string {
  switch (cause) {
    case 'authentication':
      return `authentication failed: check ${KEYS[kind]} in the daemon's environment`;
    case 'billing':
      return 'billing: the account has no credit left; add credit or use another key';
    case 'unknown-model':
      return `unknown model${model === null ? '' : ` ${model}`}: check \`model\`, \`models\` or the task's model tag`;
    case 'bad-request':
      return 'the API rejected the request as invalid: check `model`, `agentArgs` and the prompt size';
  }
}

/** The ❌ reason of a permanent failure: what to fix first, then what the agent said. */
export function permanentReason(
  failure: ClassifiedFailure,
  kind: AgentKind | 'plain',
  model: string | null,
): string {
  const head = what(failure.cause ?? 'bad-request', kind, model);
  const message = failure.message ?? '';
  const said = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  return said === '' ? head : `${head} (agent: ${said})`;
}
