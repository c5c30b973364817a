import { asNumber, asObject, asString, formatCost, oneLine, shortResult } from './json-values.js';
import type { JsonObject } from './json-values.js';

// The argument that says what a tool call does, by tool name (Claude Code's built-in tools).
const MAIN_ARGUMENT: Record<string, string> = {
  Bash: 'command',
  Read: 'file_path',
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
  Glob: 'pattern',
  Grep: 'pattern',
  WebFetch: 'url',
  WebSearch: 'query',
  Task: 'description',
};

/** The main argument of a tool call: the known one for the tool, else its first string input. */
export function mainArgument(tool: string, input: JsonObject | null): string {
  if (input === null) return '';
  const named = MAIN_ARGUMENT[tool];
  const value =
    (named === undefined ? null : asString(input[named])) ??
    Object.values(input).find((v): v is string => typeof v === 'string') ??
    null;
  if (value !== null) return oneLine(value);
  if (Array.isArray(input.todos)) return `${input.todos.length} items`;
  return '';
}

function contentBlocks(event: JsonObject): JsonObject[] {
  const content = asObject(event.message)?.content;
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.map(asObject).filter((b) => b !== null) : [];
}

function toolResultText(block: JsonObject): string {
  const content = block.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => asString(asObject(part)?.text) ?? '')
    .filter((text) => text !== '')
    .join('\n');
}

function assistantLines(event: JsonObject): string[] {
  const lines: string[] = [];
  for (const block of contentBlocks(event)) {
    const text = asString(block.text);
    if (block.type === 'text' && text !== null && text.trim() !== '') {
      lines.push(
        ...text
          .trim()
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => `💬 ${line.trimEnd()}`),
      );
    } else if (block.type === 'tool_use') {
      const tool = asString(block.name) ?? 'tool';
      const argument = mainArgument(tool, asObject(block.input));
      lines.push(argument === '' ? `→ ${tool}` : `→ ${tool}: ${argument}`);
    }
  }
  return lines;
}

function userLines(event: JsonObject): string[] {
  return contentBlocks(event)
    .filter((block) => block.type === 'tool_result')
    .map((block) =>
      block.is_error === true
        ? `  ✗ ${shortResult(toolResultText(block))}`
        : `  ← ${shortResult(toolResultText(block))}`,
    );
}

function resultLines(event: JsonObject): string[] {
  const failed = event.is_error === true;
  const facts: string[] = [asString(event.subtype) ?? (failed ? 'error' : 'success')];
  const turns = asNumber(event.num_turns);
  if (turns !== null) facts.push(`${turns} turn${turns === 1 ? '' : 's'}`);
  const cost = asNumber(event.total_cost_usd);
  if (cost !== null) facts.push(formatCost(cost));
  const lines = [`${failed ? '✗' : '✔'} result: ${facts.join(', ')}`];
  const text = asString(event.result);
  if (text !== null && text.trim() !== '') lines.push(`  ${oneLine(text, 300)}`);
  return lines;
}

/**
 * Readable lines for one event of Claude Code's `--output-format stream-json` output, or null
 * when the object is not one of its events. Events nobody needs to read (hooks, stream deltas)
 * give no lines.
 */
export function humanizeClaudeEvent(event: JsonObject): string[] | null {
  switch (event.type) {
    case 'system': {
      if (event.subtype !== 'init') return [];
      const model = asString(event.model);
      return [`● session started${model === null ? '' : ` (model ${model})`}`];
    }
    case 'assistant':
      return assistantLines(event);
    case 'user':
      return userLines(event);
    case 'result':
      return resultLines(event);
    case 'stream_event':
      return [];
    default:
      return null;
  }
}
