import { describe, expect, it } from 'vitest';
import { LocalCalendar } from './localCalendar.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('LocalCalendar', () => {
  it('counts the local dates a window overlaps, in the member time zone', () => {
    // 2024-01-01 00:00 in Shanghai is 2023-12-31 16:00 UTC: one local week.
    const start = utc('2023-12-31T16:00:00Z');
    const end = utc('2024-01-07T16:00:00Z');
    const shanghai = new LocalCalendar('Asia/Shanghai', start, end);
    expect(shanghai.days).toBe(7);
    expect(shanghai.localDate(0)).toBe('2024-01-01');
    expect(shanghai.weekday(0)).toBe(1); // 1 January 2024 was a Monday
    expect(shanghai.isWeekend(5)).toBe(true);
    expect(shanghai.isWeekend(4)).toBe(false);
    // London sees the same window starting on 31 December at 16:00: eight local dates.
    const london = new LocalCalendar('Europe/London', start, end);
    expect(london.days).toBe(8);
    expect(london.localDate(0)).toBe('2023-12-31');
  });

  it('turns local wall-clock times into instants, across daylight-saving changes', () => {
    const start = utc('2024-03-01T00:00:00Z');
    const end = utc('2024-04-15T00:00:00Z');
    const la = new LocalCalendar('America/Los_Angeles', start, end);
    const day = (date: string): number =>
      Math.round(
        (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${la.localDate(0)}T00:00:00Z`)) / 86_400_000,
      );
    // US DST began 10 March 2024: 07:00 PST = 15:00 UTC before, 07:00 PDT = 14:00 UTC after.
    expect(new Date(la.instant(day('2024-03-09'), 7 * 60)).toISOString()).toBe(
      '2024-03-09T15:00:00.000Z',
    );
    expect(new Date(la.instant(day('2024-03-11'), 7 * 60)).toISOString()).toBe(
      '2024-03-11T14:00:00.000Z',
    );
    const london = new LocalCalendar('Europe/London', start, end);
    const lday = (date: string): number =>
      Math.round(
        (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${london.localDate(0)}T00:00:00Z`)) /
          86_400_000,
      );
    // UK summer time began 31 March 2024: 08:00 GMT = 08:00 UTC, 08:00 BST = 07:00 UTC.
    expect(new Date(london.instant(lday('2024-03-30'), 8 * 60)).toISOString()).toBe(
      '2024-03-30T08:00:00.000Z',
    );
    expect(new Date(london.instant(lday('2024-04-01'), 8 * 60)).toISOString()).toBe(
      '2024-04-01T07:00:00.000Z',
    );
    // On the change day itself: 00:30 is still PST (08:30 UTC), 06:00 already PDT (13:00 UTC).
    expect(new Date(la.instant(day('2024-03-10'), 30)).toISOString()).toBe(
      '2024-03-10T08:30:00.000Z',
    );
    expect(new Date(la.instant(day('2024-03-10'), 6 * 60)).toISOString()).toBe(
      '2024-03-10T13:00:00.000Z',
    );
    // Local midnights bound a 23-hour day in spring.
    expect(la.instant(day('2024-03-11'), 0) - la.instant(day('2024-03-10'), 0)).toBe(
      23 * 3_600_000,
    );
    // Minutes past midnight and before it reach the neighbouring days (sleep that starts at 23:30).
    const sh = new LocalCalendar('Asia/Shanghai', start, end);
    expect(new Date(sh.instant(1, -30)).toISOString()).toBe('2024-03-01T15:30:00.000Z');
    expect(new Date(sh.instant(0, 1440 + 30)).toISOString()).toBe('2024-03-01T16:30:00.000Z');
  });

  it('rejects an unknown time zone by name', () => {
    expect(() => new LocalCalendar('Mars/Olympus', 0, 86_400_000)).toThrow(/Mars\/Olympus/);
  });
});
