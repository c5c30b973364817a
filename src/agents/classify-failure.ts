import type { AgentKind } from './agent-spec.js';
import { lastOutputLine } from './describe-failure.js';
import { parseResetTime } from './reset-time.js';
import type { AgentOutcome } from './types.js';

/**
 * What kind of failure an agent run ended in. `transient`: the API or network failed for a moment
 * (5xx, overloaded, connection): retried with backoff. `rate-limit`: HTTP 429 or a usage limit:
 * not the task's failure, dispatch pauses. `permanent`: the setup is wrong (key, request, model):
 * no retry can help. `task`: anything else (the agent's own failure), retried as before.
 */
export type FailureClass = 'transient' | 'rate-limit' | 'permanent' | 'task';

/** What to fix for a permanent failure. */
export type PermanentCause = 'authentication' | 'billing' | 'bad-request' | 'unknown-model';

/** A failure, classified from what the agent reported. */
export interface ClassifiedFailure {
  class: FailureClass;
  /** The agent's own error text (one line), or null when it reported none. */
  message: string | null;
  /** HTTP status the agent named, if any. */
  status: number | null;
  /** For `rate-limit`: when the agent says the limit resets (ms since the epoch). */
  resetAt: number | null;
  /** For `permanent`: what is wrong. */
  cause: PermanentCause | null;
}

/** What the classifier reads: the outcome of one run and the agent that ran. */
export interface FailureInput {
  kind: AgentKind | 'plain';
  outcome: Pick<AgentOutcome, 'exitCode' | 'output' | 'result' | 'stoppedBy' | 'spawnError'>;
  now: number;
  /** Zone of clock times the agent printed without one (default: this process's). */
  timeZone?: string;
}

// An HTTP status as agents print it: `API Error: 429`, `last status: 429 Too Many Requests`,
// `unexpected status 401 Unauthorized`, `Request rejected (429)`, `HTTP 503`.
const STATUS =
  /(?:API Error:?|status:?|HTTP(?:\/\d(?:\.\d)?)?|rejected \(|status code)\s*(\d{3})\b|\b(\d{3}) (?:Too Many Requests|Unauthorized|Forbidden|Bad Request|Not Found|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b/i;

const RATE_LIMIT =
  /rate.?limit|usage limit|too many requests|you['’]ve hit your|quota exceeded|insufficient_quota|limit reached/i;
const AUTHENTICATION =
  /authenticat|unauthori[sz]ed|invalid (?:x-)?api.?key|incorrect api key|api key (?:is )?(?:invalid|missing|not valid)|please run \/login|permission_error|forbidden|oauth token/i;
const BILLING = /credit balance is too low|billing|payment required/i;
const UNKNOWN_MODEL =
  /model(?:[: `'"]+[\w.:/@-]+[`'"]?)? (?:does not exist|is not supported|not found)|model_not_found|unknown model|invalid model|not_found_error.*model|issue with the selected model/i;
const BAD_REQUEST = /invalid_request_error|bad request|prompt is too long/i;
const TRANSIENT =
  /overloaded|internal server error|server_error|api_error|high demand|temporar(?:y|ily)|service unavailable|bad gateway|gateway timeout|timed? ?out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|fetch failed|network|connection (?:error|refused|reset|closed)|stream (?:disconnected|error)/i;

// Claude's own label of an API error (the `error` field of its synthetic assistant message).
const CLAUDE_ERRORS: Record<string, { class: FailureClass; cause: PermanentCause | null }> = {
  rate_limit: { class: 'rate-limit', cause: null },
  authentication_failed: { class: 'permanent', cause: 'authentication' },
  billing_error: { class: 'permanent', cause: 'billing' },
  invalid_request: { class: 'permanent', cause: 'bad-request' },
};

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// The error the agent reported: claude's error result, codex's turn.failed, else the last
// line a plain program printed (where CLIs put their error).
function reportedError(input: FailureInput): string | null {
  const { result, output } = input.outcome;
  if (result?.isError === true && result.text !== null && result.text !== '') {
    return oneLine(result.text);
  }
  if (input.kind === 'claude' && result !== null) return null;
  return lastOutputLine(output);
}

function byStatus(status: number): Pick<ClassifiedFailure, 'class' | 'cause'> | null {
  if (status === 429) return { class: 'rate-limit', cause: null };
  if (status === 401 || status === 403) return { class: 'permanent', cause: 'authentication' };
  if (status === 402) return { class: 'permanent', cause: 'billing' };
  // A 404 names the model or a wrong base URL: either way, nothing a retry fixes.
  if (status === 404) return { class: 'permanent', cause: 'unknown-model' };
  if (status === 400 || status === 422) return { class: 'permanent', cause: 'bad-request' };
  if (status === 408 || status >= 500) return { class: 'transient', cause: null };
  return null;
}

function byText(message: string): Pick<ClassifiedFailure, 'class' | 'cause'> | null {
  if (RATE_LIMIT.test(message)) return { class: 'rate-limit', cause: null };
  if (BILLING.test(message)) return { class: 'permanent', cause: 'billing' };
  if (AUTHENTICATION.test(message)) return { class: 'permanent', cause: 'authentication' };
  if (UNKNOWN_MODEL.test(message)) return { class: 'permanent', cause: 'unknown-model' };
  if (BAD_REQUEST.test(message)) return { class: 'permanent', cause: 'bad-request' };
  if (TRANSIENT.test(message)) return { class: 'transient', cause: null };
  return null;
}

/**
 * Classifies a failed agent run from what the agent reported: claude's result and API error
 * label, codex's `turn.failed`/`error`, a plain program's last line, and its exit code. Runs we
 * stopped ourselves (limits, aborts) and programs that never started are the task's own failure.
 */
export function classifyFailure(input: FailureInput): ClassifiedFailure {
  const { outcome } = input;
  const message = reportedError(input);
  const none: ClassifiedFailure = {
    class: 'task',
    message,
    status: null,
    resetAt: null,
    cause: null,
  };
  if (outcome.stoppedBy !== null || outcome.spawnError !== null) return none;
  const statusMatch = message === null ? null : STATUS.exec(message);
  const statusText = statusMatch?.[1] ?? statusMatch?.[2];
  const status = statusText === undefined ? null : Number(statusText);
  const label = outcome.result?.apiError ?? null;
  const verdict =
    (label === null ? undefined : CLAUDE_ERRORS[label]) ??
    (message === null ? null : byText(message)) ??
    (status === null ? null : byStatus(status));
  if (verdict === null) return { ...none, status };
  const resetAt =
    verdict.class === 'rate-limit' && message !== null
      ? parseResetTime(message, input.now, input.timeZone)
      : null;
  return { class: verdict.class, message, status, resetAt, cause: verdict.cause };
}
