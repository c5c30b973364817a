import { describe, expect, it } from 'vitest';
import { parseResetTime } from '../../src/agents/reset-time.js';

const NOW = Date.parse('2026-12-01T02:10:30Z');
const at = (iso: string): number => Date.parse(iso);

describe('parseResetTime', () => {
  it.each([
    // claude (subscription): minute precision, in the zone it names
    ["You've hit your session limit · resets 3am (UTC)", at('2026-12-01T03:00:00Z')],
    ["You've hit your session limit · resets 2:45am (UTC)", at('2026-12-01T02:45:00Z')],
    ["You've hit your weekly limit · resets 9pm (Europe/Paris)", at('2026-12-01T20:00:00Z')],
    ["You've hit your weekly limit · resets Dec 3, 9:44am (UTC)", at('2026-12-03T09:44:00Z')],
    // a time already passed today is tomorrow's
    ["You've hit your session limit · resets 1am (UTC)", at('2026-12-02T01:00:00Z')],
    // the current minute (seconds cut off): the end of that minute
    ["You've hit your session limit · resets 2:10am (UTC)", at('2026-12-01T02:11:00Z')],
    // codex: in the local zone (here UTC)
    ['… or try again at 2:12 AM.', at('2026-12-01T02:12:00Z')],
    ['… or try again at 2:12 PM.', at('2026-12-01T14:12:00Z')],
    ['… or try again at Dec 3rd, 2026 9:44 AM.', at('2026-12-03T09:44:00Z')],
    // other forms
    ['Claude AI usage limit reached|1764558000', 1764558000 * 1000],
    ['usage limit reached, resets at 2026-12-01T05:00:00Z', at('2026-12-01T05:00:00Z')],
    ['Rate limit reached. Please try again in 20s.', NOW + 20_000],
    ['Rate limit reached. Please try again in 1m30s.', NOW + 90_000],
    ['rate limited, retry after 2 minutes', NOW + 120_000],
    ['usage limit, resets in 5 hours', NOW + 5 * 3_600_000],
    // no time
    ['You’ve hit your usage limit. Try again later.', null],
    ['API Error: 429 rate_limit_error', null],
    ['retry 3 times', null],
    ['resets 25:99am (UTC)', null],
  ] as const)('%s', (text, expected) => {
    expect(parseResetTime(text, NOW, 'UTC')).toBe(expected);
  });

  it('reads a zoneless clock time in the zone given', () => {
    expect(parseResetTime('try again at 9:00 AM.', NOW, 'America/New_York')).toBe(
      at('2026-12-01T14:00:00Z'),
    );
  });

  it('an unknown zone name falls back to the zone given', () => {
    expect(parseResetTime('resets 3am (Mars/Olympus)', NOW, 'UTC')).toBe(
      at('2026-12-01T03:00:00Z'),
    );
  });
});
