import { apiErrorOf, hasFailedMarker, isResultLine, readClaudeStream } from './claude-stream.js';
import { CodexEvents } from './codex-jsonl.js';
import type { AgentKind } from './agent-spec.js';
import type { AgentResult } from './types.js';

/** How many characters of a plain agent's stdout make its final answer. */
const PLAIN_ANSWER = 4 * 1024;

/** What an agent's output says once it ended. */
export interface OutputReading {
  result: AgentResult | null;
  /** The agent's final answer: what `{{STEP.output}}` carries and the only place `WORK_RESULT:failed` counts. */
  answer: string | null;
  failedMarker: boolean;
}

/** Reads an agent's stdout line by line; stderr is for the log and failure reasons only. */
export interface OutputReader {
  line(line: string): void;
  /** The stdout text as received (for plain agents). */
  chunk(chunk: string): void;
  end(): OutputReading;
}

function verdict(result: AgentResult | null, answer: string | null): OutputReading {
  return { result, answer, failedMarker: answer !== null && hasFailedMarker(answer) };
}

// claude --output-format stream-json: the final `result` event holds answer, cost and usage.
function claudeReader(): OutputReader {
  let resultLine: string | null = null;
  let apiError: string | null = null;
  return {
    line(line) {
      if (isResultLine(line)) resultLine = line;
      apiError = apiErrorOf(line) ?? apiError;
    },
    chunk() {
      return;
    },
    end() {
      const read = resultLine === null ? null : readClaudeStream(resultLine);
      const result = read === null || apiError === null ? read : { ...read, apiError };
      return verdict(result, result?.isError === true ? null : (result?.text ?? null));
    },
  };
}

// codex exec --json: JSONL events; the answer is the last agent_message.
function codexReader(): OutputReader {
  const events = new CodexEvents();
  return {
    line(line) {
      events.push(line);
    },
    chunk() {
      return;
    },
    end() {
      return verdict(events.result(), events.finalAnswer());
    },
  };
}

// Any other program: its stdout is its answer; a claude-style result line is honoured if present.
function plainReader(): OutputReader {
  const claude = claudeReader();
  let stdout = '';
  let marker = false;
  return {
    line: (line) => {
      claude.line(line);
      marker ||= hasFailedMarker(line);
    },
    chunk(chunk) {
      stdout += chunk;
      if (stdout.length > 2 * PLAIN_ANSWER) stdout = stdout.slice(-PLAIN_ANSWER);
    },
    end() {
      const reading = claude.end();
      const answered =
        reading.result !== null ? reading : verdict(null, stdout.slice(-PLAIN_ANSWER));
      return { ...answered, failedMarker: answered.failedMarker || marker };
    },
  };
}

/** The reader of an agent kind's output. */
export function outputReader(kind: AgentKind | 'plain'): OutputReader {
  switch (kind) {
    case 'claude':
      return claudeReader();
    case 'codex':
      return codexReader();
    default:
      return plainReader();
  }
}
