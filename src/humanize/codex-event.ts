import { asNumber, asObject, asString, oneLine, shortResult } from './json-values.js';
import type { JsonObject } from './json-values.js';

function fileChanges(item: JsonObject): string {
  const changes = Array.isArray(item.changes) ? item.changes.map(asObject) : [];
  const paths = changes
    .map((change) => {
      const path = asString(change?.path);
      const kind = asString(change?.kind);
      return path === null ? null : kind === null ? path : `${kind} ${path}`;
    })
    .filter((text) => text !== null);
  return paths.length === 0 ? '→ edit files' : `→ edit: ${oneLine(paths.join(', '))}`;
}

function itemLines(item: JsonObject, phase: 'started' | 'completed'): string[] {
  const text = asString(item.text);
  switch (item.type) {
    case 'command_execution': {
      const command = oneLine(asString(item.command) ?? '');
      if (phase === 'started') return [`→ $ ${command}`];
      const exit = asNumber(item.exit_code);
      const output = shortResult(asString(item.aggregated_output) ?? '');
      return [exit === null || exit === 0 ? `  ← ${output}` : `  ✗ exit ${exit}: ${output}`];
    }
    case 'agent_message':
      if (phase !== 'completed' || text === null) return [];
      return text
        .trim()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => `💬 ${line.trimEnd()}`);
    case 'file_change':
      return phase === 'completed' ? [fileChanges(item)] : [];
    case 'mcp_tool_call': {
      if (phase !== 'started') return [];
      const tool = [asString(item.server), asString(item.tool)].filter((p) => p !== null);
      return [`→ ${tool.join('.') || 'tool'}`];
    }
    case 'web_search':
      return phase === 'started' ? [`→ search: ${oneLine(asString(item.query) ?? '')}`] : [];
    case 'error':
      return phase === 'completed' ? [`⚠ ${oneLine(asString(item.message) ?? 'error', 300)}`] : [];
    default:
      return [];
  }
}

function usageLine(event: JsonObject): string {
  const usage = asObject(event.usage);
  const input = asNumber(usage?.input_tokens);
  const output = asNumber(usage?.output_tokens);
  if (input === null || output === null) return '✔ turn completed';
  return `✔ turn completed: ${input} input, ${output} output tokens`;
}

/**
 * Readable lines for one event of `codex exec --json` (JSONL), or null when the object is not one
 * of its events. Reasoning and partial updates give no lines.
 */
export function humanizeCodexEvent(event: JsonObject): string[] | null {
  switch (event.type) {
    case 'thread.started':
      return ['● session started'];
    case 'turn.started':
      return [];
    case 'item.started':
    case 'item.completed': {
      const item = asObject(event.item);
      if (item === null) return [];
      return itemLines(item, event.type === 'item.started' ? 'started' : 'completed');
    }
    case 'item.updated':
      return [];
    case 'turn.completed':
      return [usageLine(event)];
    case 'turn.failed': {
      const message = asString(asObject(event.error)?.message) ?? 'turn failed';
      return [`✗ turn failed: ${oneLine(message, 300)}`];
    }
    case 'error':
      return [`✗ ${oneLine(asString(event.message) ?? 'error', 300)}`];
    default:
      return null;
  }
}
