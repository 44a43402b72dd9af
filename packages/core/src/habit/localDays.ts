import { DateTime, IANAZone } from 'luxon';

/**
 * Local calendar days for the habit loop. A "day" is the member's own local date in their IANA zone
 * (luxon), so a day is 23 or 25 hours long across a DST change, exactly as the member lives it;
 * date arithmetic runs on calendar dates, never on multiples of 24 hours.
 */

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The member's local calendar date ('2026-03-08') of an instant. */
export function memberLocalDate(at: Date | string, timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
  const t =
    typeof at === 'string'
      ? DateTime.fromISO(at, { zone: timeZone })
      : DateTime.fromJSDate(at, { zone: timeZone });
  if (!t.isValid) throw new RangeError(`not an ISO instant: '${String(at)}'`);
  return t.toISODate()!;
}

function calendarDate(date: string): DateTime {
  const d = isoDate.test(date) ? DateTime.fromISO(date, { zone: 'UTC' }) : null;
  if (!d || !d.isValid) throw new RangeError(`not a calendar date (YYYY-MM-DD): '${date}'`);
  return d;
}

/** Whole calendar days from a to b (b − a); positive when b is later. */
export function calendarDaysBetween(a: string, b: string): number {
  return Math.round(calendarDate(b).diff(calendarDate(a), 'days').days);
}

export function addCalendarDays(date: string, days: number): string {
  return calendarDate(date).plus({ days }).toISODate()!;
}

export type CalendarPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * The member's local calendar period containing `now`: '2026-03-10' (day), '2026-W11' (ISO week,
 * Monday first), '2026-03' (month), '2026-Q1' (quarter), '2026' (year).
 */
export function localPeriodKey(period: CalendarPeriod, now: Date, timeZone: string): string {
  const d = calendarDate(memberLocalDate(now, timeZone));
  switch (period) {
    case 'day':
      return d.toISODate()!;
    case 'week':
      return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
    case 'month':
      return d.toFormat('yyyy-MM');
    case 'quarter':
      return `${d.year}-Q${d.quarter}`;
    case 'year':
      return String(d.year);
  }
}

/** The instant the local calendar year `year` starts in the member's zone. */
export function startOfLocalYear(year: number, timeZone: string): Date {
  return DateTime.fromObject({ year, month: 1, day: 1 }, { zone: timeZone }).toJSDate();
}
