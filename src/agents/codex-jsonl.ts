import type { AgentResult, AgentUsage } from './types.js';
import { addUsage } from './usage.js';

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parse(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    return record(JSON.parse(line));
  } catch {
    return null;
  }
}

/** What `codex exec --json` said over a run, read event by event. */
export class CodexEvents {
  private sessionId: string | null = null;
  private usage: AgentUsage | null = null;
  private turns = 0;
  private answer: string | null = null;
  private failure: string | null = null;
  private lastError: string | null = null;

  /** Reads one JSONL line; anything that is not an event is ignored. */
  push(line: string): void {
    const event = parse(line.trim());
    if (event === null) return;
    const type = event.type;
    if (type === 'thread.started') this.sessionId = text(event.thread_id) ?? this.sessionId;
    else if (type === 'turn.completed') this.addUsage(record(event.usage));
    else if (type === 'turn.failed') this.fail(record(event.error));
    else if (type === 'error') this.lastError = text(event.message) ?? this.lastError;
    else if (type === 'item.completed') this.readItem(record(event.item));
  }

  private fail(error: Record<string, unknown> | null): void {
    this.failure = text(error?.message) ?? this.lastError ?? 'turn failed';
  }

  private readItem(item: Record<string, unknown> | null): void {
    if (item?.type === 'agent_message') this.answer = text(item.text) ?? this.answer;
  }

  private addUsage(usage: Record<string, unknown> | null): void {
    if (usage === null) return;
    this.turns += 1;
    this.usage = addUsage(this.usage, {
      inputTokens: num(usage.input_tokens),
      outputTokens: num(usage.output_tokens),
      cacheReadTokens: num(usage.cached_input_tokens),
      cacheCreationTokens: num(usage.cache_write_input_tokens),
    });
  }

  /** The final answer: the text of the last `agent_message`. */
  finalAnswer(): string | null {
    return this.answer;
  }

  /** The run as a result; null when codex printed no event at all. */
  result(): AgentResult | null {
    if (this.sessionId === null && this.usage === null && this.failure === null) return null;
    return {
      isError: this.failure !== null,
      subtype: this.failure === null ? null : 'turn_failed',
      text: this.failure ?? this.answer,
      costUsd: null,
      numTurns: this.turns === 0 ? null : this.turns,
      sessionId: this.sessionId,
      usage: this.usage,
    };
  }
}
