import { DateTime } from 'luxon';

/**
 * Local-time arithmetic for the contact policy. Everything is done in the member's IANA zone with
 * luxon so that a local day is 23 or 25 hours long across a DST change, exactly as the member lives it.
 */

export interface QuietWindow {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

const clockPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** 'HH:mm' → minutes after midnight, or null when malformed. */
export function parseClock(text: string): number | null {
  const m = clockPattern.exec(text);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

export function toQuietWindow(
  hours: { start: string; end: string },
  path: string,
): QuietWindow | string {
  const start = parseClock(hours.start);
  if (start === null) return `${path}.start: expected HH:mm (00:00–23:59), got '${hours.start}'`;
  const end = parseClock(hours.end);
  if (end === null) return `${path}.end: expected HH:mm (00:00–23:59), got '${hours.end}'`;
  return { start, end };
}

function minuteOfDay(t: DateTime): number {
  return t.hour * 60 + t.minute;
}

/** Inside the window; start === end means no quiet hours. Windows may wrap midnight (22:00–08:00). */
export function isQuiet(t: DateTime, w: QuietWindow): boolean {
  const m = minuteOfDay(t);
  if (w.start === w.end) return false;
  if (w.start < w.end) return m >= w.start && m < w.end;
  return m >= w.start || m < w.end;
}

/** The local instant `minutes` after midnight of t's local date (luxon shifts through a DST gap). */
export function atMinuteOfDay(t: DateTime, minutes: number): DateTime {
  return t
    .startOf('day')
    .set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/** When the quiet period containing `t` ends. Only call when isQuiet(t, w). */
export function quietEnd(t: DateTime, w: QuietWindow): DateTime {
  const sameDay = atMinuteOfDay(t, w.end);
  return sameDay > t ? sameDay : atMinuteOfDay(t.plus({ days: 1 }), w.end);
}

/**
 * Moves `t` later the same local day to the member's best send hour, when one is known, is later
 * than `t` and is not quiet; otherwise keeps `t`.
 */
export function nudgeToBestHour(
  t: DateTime,
  w: QuietWindow,
  bestSendHour: number | null,
): DateTime {
  if (bestSendHour === null) return t;
  const best = atMinuteOfDay(t, bestSendHour * 60);
  return best > t && !isQuiet(best, w) && best.hasSame(t, 'day') ? best : t;
}

/** First allowed instant of the local day containing `day`, nudged to the best send hour. */
export function firstAllowedOfDay(
  day: DateTime,
  w: QuietWindow,
  bestSendHour: number | null,
): DateTime {
  const dayStart = day.startOf('day');
  const first = isQuiet(dayStart, w) ? quietEnd(dayStart, w) : dayStart;
  return nudgeToBestHour(first, w, bestSendHour);
}

/** The member's local calendar date of an instant, e.g. '2026-03-08'. */
export function localDate(at: DateTime): string {
  return at.toISODate() ?? '';
}

export function inZone(iso: string, zone: string): DateTime {
  return DateTime.fromISO(iso, { zone });
}
