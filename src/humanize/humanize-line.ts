import { humanizeClaudeEvent } from './claude-event.js';
import { humanizeCodexEvent } from './codex-event.js';
import { asObject } from './json-values.js';

// An ANSI colour or cursor sequence: agents print them on a terminal, they mean nothing here.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * Readable lines for one raw line of a step log: Claude stream-json and Codex JSONL events become
 * sentences, anything else (stderr, a command agent's prints) is shown as it is, blank lines
 * dropped. Never throws.
 */
export function humanizeLine(raw: string): string[] {
  const line = raw.replace(ANSI, '').trimEnd();
  if (line.trim() === '') return [];
  if (line.startsWith('{')) {
    let event = null;
    try {
      event = asObject(JSON.parse(line));
    } catch {
      // Not JSON after all (or cut short): shown as text.
    }
    if (event !== null) {
      const lines = humanizeClaudeEvent(event) ?? humanizeCodexEvent(event);
      if (lines !== null) return lines;
    }
  }
  return [line];
}

/** The readable lines of a whole log text. */
export function humanizeText(text: string): string[] {
  return text.split('\n').flatMap(humanizeLine);
}
