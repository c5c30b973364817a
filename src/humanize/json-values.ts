/** A JSON object as read from one line of agent output. */
export type JsonObject = Record<string, unknown>;

/** The value as an object, or null. */
export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : null;
}

/** The value as a string, or null. */
export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The value as a finite number, or null. */
export function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** One line of text, cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A short summary of a tool's output: its first non-empty line and how many lines it had. */
export function shortResult(text: string, max = 120): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return '(no output)';
  const first = oneLine(lines[0] ?? '', max);
  return lines.length === 1 ? first : `${first} (+${lines.length - 1} lines)`;
}

/** A dollar amount as people read it: `$0.25`, `$0.0031`. */
export function formatCost(usd: number): string {
  return usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}
