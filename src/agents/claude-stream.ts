import type { AgentResult, AgentUsage } from './types.js';

/** What claude prints (cli.js) when `--dangerously-skip-permissions` is used as root without IS_SANDBOX=1. */
export const ROOT_REFUSAL_TEXT =
  '--dangerously-skip-permissions cannot be used with root/sudo privileges';

/** The failure reason we give for that refusal: what to do about it. */
export const ROOT_REFUSAL_REASON =
  "claude refuses --dangerously-skip-permissions as root; set IS_SANDBOX=1 in the daemon's environment (containers/sandboxes) or run as a normal user";

/** True when the output shows claude refusing to run as root. */
export function isRootRefusal(output: string): boolean {
  return output.includes(ROOT_REFUSAL_TEXT);
}

/** True when a line of `text` starts with `WORK_RESULT:failed` (the agent's own verdict). */
export function hasFailedMarker(text: string): boolean {
  return /^[ \t>*_`-]*WORK_RESULT:\s*failed\b/im.test(text);
}

/**
 * Claude's label of an API error (`rate_limit`, `authentication_failed`, `billing_error`, …), from
 * an `assistant` event of the stream; null when the line is not such an event.
 */
export function apiErrorOf(line: string): string | null {
  if (!line.startsWith('{') || !line.includes('"assistant"') || !line.includes('"error"')) {
    return null;
  }
  const event = parseLine(line);
  return event?.type === 'assistant' ? str(event.error) : null;
}

/** True when `line` looks like claude's final stream-json event; cheap pre-check before JSON.parse. */
export function isResultLine(line: string): boolean {
  return line.startsWith('{') && line.includes('"type"') && line.includes('"result"');
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function readUsage(value: unknown): AgentUsage | null {
  if (typeof value !== 'object' || value === null) return null;
  const usage = value as Record<string, unknown>;
  return {
    inputTokens: num(usage.input_tokens) ?? 0,
    outputTokens: num(usage.output_tokens) ?? 0,
    cacheReadTokens: num(usage.cache_read_input_tokens) ?? 0,
    cacheCreationTokens: num(usage.cache_creation_input_tokens) ?? 0,
  };
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Reads claude's `--output-format stream-json --verbose` output and returns its final
 * `{"type":"result"}` event, or null when there is none. Garbled and partial lines are skipped.
 */
export function readClaudeStream(lines: string): AgentResult | null {
  let last: Record<string, unknown> | null = null;
  for (const raw of lines.split('\n')) {
    const line = raw.trim();
    if (!isResultLine(line)) continue;
    const event = parseLine(line);
    if (event?.type === 'result') last = event;
  }
  if (last === null) return null;
  return {
    isError: last.is_error === true,
    subtype: str(last.subtype),
    text: str(last.result),
    costUsd: num(last.total_cost_usd),
    numTurns: num(last.num_turns),
    sessionId: str(last.session_id),
    usage: readUsage(last.usage),
  };
}
