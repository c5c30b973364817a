import { configKeys, type ConfigKey } from './keys.js';

// Folds case and separators so `step_timeout`, `StepTimeout` and `step-timeout` all meet.
function fold(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The configuration key a mistyped name most likely meant, or null when none is close. */
export function closestConfigKey(name: string): ConfigKey | null {
  const folded = fold(name);
  // Two edits catch a typo in a short name; longer names tolerate a third (`retry`).
  const limit = folded.length >= 5 ? 3 : 2;
  let best: ConfigKey | null = null;
  let bestDistance = Infinity;
  let prefixed: ConfigKey | null = null;
  for (const key of configKeys) {
    const target = fold(key);
    const d = distance(folded, target);
    if (d < bestDistance) {
      best = key;
      bestDistance = d;
    }
    // A key cut short or run on (`poll`, `worktreeDirectory`) is close whatever its length.
    const shorter = Math.min(folded.length, target.length);
    if (shorter >= 4 && (folded.startsWith(target) || target.startsWith(folded))) prefixed ??= key;
  }
  // A real typo of one key wins over a prefix of another (`retry`: retries, not retryBackoff).
  return bestDistance <= limit ? best : prefixed;
}
