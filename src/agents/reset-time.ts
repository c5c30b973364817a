const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE, h: 60 * MINUTE, d: DAY };

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

// The wall clock of `time` in `timeZone`.
function wallOf(time: number, timeZone: string): Wall & { second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(time));
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour') % 24,
    minute: part('minute'),
    second: part('second'),
  };
}

// The instant at which the clocks of `timeZone` show `wall` (two passes settle DST offsets).
function instantOf(wall: Wall, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetAt = (time: number): number => {
    const w = wallOf(time, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - time;
  };
  const first = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(first);
}

function validZone(zone: string | undefined, fallback: string): string {
  if (zone === undefined) return fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}

function hour24(hour: number, meridiem: string | undefined): number {
  if (meridiem === undefined) return hour;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

/**
 * A clock time the agent printed at minute precision: the next time the clocks show it (today or,
 * once passed, tomorrow). The seconds were cut off, so a time within the current minute means the
 * end of that minute.
 */
function nextClockTime(
  clock: { hour: number; minute: number; date?: { month: number; day: number; year?: number } },
  now: number,
  timeZone: string,
): number {
  const today = wallOf(now, timeZone);
  const date = clock.date ?? { month: today.month, day: today.day };
  let wall: Wall = { year: date.year ?? today.year, ...date, ...clock };
  let at = instantOf(wall, timeZone);
  if (clock.date === undefined && at + MINUTE <= now) {
    const tomorrow = wallOf(at + DAY, timeZone);
    wall = { ...wall, year: tomorrow.year, month: tomorrow.month, day: tomorrow.day };
    at = instantOf(wall, timeZone);
  } else if (clock.date !== undefined && date.year === undefined && at + 180 * DAY <= now) {
    at = instantOf({ ...wall, year: wall.year + 1 }, timeZone);
  }
  return at <= now ? at + MINUTE : at;
}

// `Dec 3` / `Dec 3rd, 2026` / `December 3` → month and day (and year).
function readDate(
  monthName: string | undefined,
  day: string | undefined,
  year: string | undefined,
): { month: number; day: number; year?: number } | undefined {
  if (monthName === undefined || day === undefined) return undefined;
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return undefined;
  return year === undefined
    ? { month, day: Number(day) }
    : { month, day: Number(day), year: Number(year) };
}

const DATE = String.raw`(?:([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (?:(\d{4}),? )?)?`;
// claude: `resets 2:12am (UTC)`, `resets 9am (Europe/Paris)`, `resets Dec 3, 9:44am (UTC)`;
// codex: `try again at 2:12 AM.`, `try again at Dec 3rd, 2026 9:44 AM.`
const CLOCK = new RegExp(
  String.raw`(?:resets?|try again|available again|retry)(?: at| on)? ${DATE}(\d{1,2})(?::(\d{2}))? ?([ap]\.?m\.?)?(?: \(([A-Za-z0-9_+\-/]+)\))?`,
  'i',
);
const ISO =
  /(?:resets?|try again|retry)(?: at| after)? (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))/i;
// Claude Code's older form: `Claude AI usage limit reached|1735689600`.
const EPOCH = /limit reached\|(\d{10})\b/i;
const RELATIVE =
  /(?:try again|retry|resets?|available again)(?: after| in) ((?:\d+(?:\.\d+)?\s*(?:ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s*)+)/i;

function relativeMs(text: string): number | null {
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const unit = (match[2] ?? '').toLowerCase();
    const value = Number(match[1]);
    if (unit === 'ms') total += value;
    else total += value * (UNIT_MS[unit.startsWith('mi') ? 'm' : (unit[0] ?? 's')] ?? 1000);
  }
  return total > 0 ? total : null;
}

/**
 * When a rate or usage limit resets, read from the text an agent printed (ms since the epoch), or
 * null when it names no time. Clock times without a zone are read in `timeZone` (the agent's, which
 * is the daemon's unless its environment says otherwise).
 */
export function parseResetTime(
  text: string,
  now: number,
  timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone,
): number | null {
  const epoch = EPOCH.exec(text);
  if (epoch?.[1] !== undefined) return Number(epoch[1]) * 1000;
  const iso = ISO.exec(text);
  if (iso?.[1] !== undefined) {
    const at = Date.parse(iso[1]);
    if (Number.isFinite(at)) return at;
  }
  const relative = RELATIVE.exec(text);
  if (relative?.[1] !== undefined) {
    const ms = relativeMs(relative[1]);
    if (ms !== null) return now + ms;
  }
  const clock = CLOCK.exec(text);
  if (clock !== null) {
    const [, monthName, day, year, hour, minute, meridiem, zone] = clock;
    // A bare number with neither minutes nor am/pm is not a time ("retry 3 times").
    if (hour === undefined || (minute === undefined && meridiem === undefined)) return null;
    const h = hour24(Number(hour), meridiem?.replace(/\./g, ''));
    const m = minute === undefined ? 0 : Number(minute);
    if (h > 23 || m > 59) return null;
    const date = readDate(monthName, day, year);
    const zoneName = validZone(zone, timeZone);
    return nextClockTime(
      date === undefined ? { hour: h, minute: m } : { hour: h, minute: m, date },
      now,
      zoneName,
    );
  }
  return null;
}
