// Quiet hours (docs/config.md `quietHours`): a daily window of local wall-clock time, `from`
// inclusive to `to` exclusive, crossing midnight when `to` < `from`; `from` == `to` is an empty
// window (never quiet), so a typo never silences a whole day. Pure and safe for the window.
//
// Local time is read with Intl in an explicit time zone (default: the system's), not with the
// Date getters: that keeps the daylight-saving rules testable for any zone in one process.
import type { QuietHours } from './notify.js';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of an `HH:MM` value, or undefined when it is not one. */
export function minutesOf(hhmm: string): number | undefined {
  const m = HH_MM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

export function isValidHhMm(value: string): boolean {
  return minutesOf(value) !== undefined;
}

/** The system's time zone (what "local time" means when none is given). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock reading of an instant in a time zone. */
function wallAt(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** A wall-clock reading as if it were UTC (ms): the arithmetic base for offsets. */
function wallAsUtc(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at an instant (ms; positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallAt(whole, timeZone)) - whole;
}

/** Whether quiet hours hold at this instant (local time in `timeZone`). */
export function isQuiet(q: QuietHours, at: Date, timeZone: string = systemTimeZone()): boolean {
  const from = minutesOf(q.from);
  const to = minutesOf(q.to);
  if (from === undefined || to === undefined || from === to) return false;
  const w = wallAt(at.getTime(), timeZone);
  const t = w.hour * 60 + w.minute;
  return from < to ? from <= t && t < to : t >= from || t < to;
}

/**
 * The first instant, strictly after `at`, at which the local clock reads `q.to`: when the quiet
 * hours that hold at `at` end. Daylight-saving safe: a `to` inside a skipped hour ends at the first
 * valid instant after it (the moment the clock jumps); a `to` inside a repeated hour ends at the
 * first of the two.
 */
export function quietEndsAt(q: QuietHours, at: Date, timeZone: string = systemTimeZone()): Date {
  const to = minutesOf(q.to);
  if (to === undefined) throw new Error(`quiet hours "to" is not HH:MM: ${JSON.stringify(q.to)}`);
  const atMs = at.getTime();
  const today = wallAt(atMs, timeZone);
  // Today's `to`, or tomorrow's; two days ahead covers a `to` skipped today at the very end.
  for (let dayAhead = 0; dayAhead <= 2; dayAhead++) {
    const wall = Date.UTC(today.year, today.month - 1, today.day + dayAhead, 0, to, 0);
    const instant = instantOfWall(wall, timeZone);
    if (instant > atMs) return new Date(instant);
  }
  /* c8 ignore next */
  throw new Error('unreachable: a local time recurs every day');
}

/**
 * The instant at which the local clock of `timeZone` reads `wall` (a wall reading as UTC ms): the
 * first of two in a repeated hour, the end of the gap in a skipped one.
 */
function instantOfWall(wall: number, timeZone: string): number {
  const HOUR = 3_600_000;
  // Offsets in force around that day (a day either side spans every transition there).
  const offsets = new Set([
    offsetAt(wall - 24 * HOUR, timeZone),
    offsetAt(wall + 24 * HOUR, timeZone),
  ]);
  const valid = [...offsets]
    .map((off) => wall - off)
    .filter((t) => wallAsUtc(wallAt(t, timeZone)) === wall)
    .sort((a, b) => a - b);
  if (valid.length > 0) return valid[0]!;
  // A skipped reading: the clock jumped over it. The jump happened between the reading taken with
  // the later offset and the one with the earlier; find the first minute on the far side of it.
  const [a, b] = [...offsets].map((off) => wall - off).sort((x, y) => x - y) as [number, number];
  const before = offsetAt(a, timeZone);
  let lo = a; // offset still `before`
  let hi = b; // offset already the new one
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
    if (mid === lo) break;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}
