import { describe, expect, it } from 'vitest';
import { addDuration, nextLocalTime, parseProgramDuration } from './programTime.ts';
import { rruleOccurrences, validateRrule } from './recurrence.ts';

const isoList = (ds: Date[]): string[] => ds.map((d) => d.toISOString());

describe('validateRrule', () => {
  it('accepts a usable weekly rule and a medication rule with DTSTART when allowed', () => {
    expect(validateRrule('FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0')).toEqual([]);
    expect(validateRrule('RRULE:FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0')).toEqual([]);
    expect(
      validateRrule('DTSTART:20250301T000000\nRRULE:FREQ=DAILY;BYHOUR=8', { allowDtstart: true }),
    ).toEqual([]);
  });
  it('names what is wrong', () => {
    expect(validateRrule('DTSTART:20250301T000000\nRRULE:FREQ=DAILY;BYHOUR=8')).toEqual([
      'DTSTART is not allowed: a program schedule starts at the enrollment',
    ]);
    expect(validateRrule('FREQ=DAILY;BYHOUR=24')).toEqual(['BYHOUR: 24 is outside 0…23']);
    expect(validateRrule('FREQ=DAILY;BYHOUR=8;BYMINUTE=60')).toEqual([
      'BYMINUTE: 60 is outside 0…59',
    ]);
    expect(validateRrule('FREQ=DAILY;BYHOUR=8;FOO=1')).toEqual(["unknown RRULE part 'FOO'"]);
    expect(validateRrule('BYHOUR=8')).toEqual(['FREQ is missing']);
    expect(validateRrule('FREQ=DAILY;BYHOUR=8;INTERVAL=0')).toEqual([
      "INTERVAL: '0' is not a positive whole number",
    ]);
    expect(validateRrule('FREQ=DAILY;BYHOUR=8;COUNT=3;UNTIL=20250101')).toEqual([
      'COUNT and UNTIL cannot both be given',
    ]);
    expect(validateRrule('FREQ=DAILY;FREQ=WEEKLY;BYHOUR=8')).toEqual(['FREQ appears twice']);
    expect(validateRrule('')).toEqual(['empty RRULE']);
    expect(validateRrule('garbage')).toEqual(["'garbage' is not NAME=VALUE", 'FREQ is missing']);
  });
  it('allows hourly rules without BYHOUR but not daily ones', () => {
    expect(validateRrule('FREQ=HOURLY;INTERVAL=4')).toEqual([]);
    expect(validateRrule('FREQ=MONTHLY;BYMONTHDAY=1')[0]).toContain('needs BYHOUR');
  });
});

describe('rruleOccurrences on the member’s wall clock', () => {
  it('keeps 08:00 local across the US spring-forward change (2025-03-09, New York)', () => {
    const times = rruleOccurrences(
      'FREQ=DAILY;BYHOUR=8;BYMINUTE=0',
      'America/New_York',
      new Date('2025-03-07T05:00:00Z'),
      new Date('2025-03-08T00:00:00Z'),
      new Date('2025-03-11T00:00:00Z'),
    );
    // EST (UTC−5) before, EDT (UTC−4) after.
    expect(isoList(times)).toEqual([
      '2025-03-08T13:00:00.000Z',
      '2025-03-09T12:00:00.000Z',
      '2025-03-10T12:00:00.000Z',
    ]);
  });

  it('keeps 08:00 local across the autumn change (2025-10-26, Berlin)', () => {
    const times = rruleOccurrences(
      'FREQ=DAILY;BYHOUR=8',
      'Europe/Berlin',
      new Date('2025-10-01T00:00:00Z'),
      new Date('2025-10-25T00:00:00Z'),
      new Date('2025-10-27T00:00:00Z'),
    );
    expect(isoList(times)).toEqual(['2025-10-25T06:00:00.000Z', '2025-10-26T07:00:00.000Z']);
  });

  it('gives the same local time to members in different zones', () => {
    const rule = 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0';
    const from = new Date('2025-03-01T00:00:00Z');
    const to = new Date('2025-03-10T00:00:00Z');
    expect(isoList(rruleOccurrences(rule, 'Asia/Shanghai', from, from, to))).toEqual([
      '2025-03-02T11:00:00.000Z',
      '2025-03-09T11:00:00.000Z',
    ]);
    expect(isoList(rruleOccurrences(rule, 'Europe/London', from, from, to))).toEqual([
      '2025-03-02T19:00:00.000Z',
      '2025-03-09T19:00:00.000Z',
    ]);
  });

  it('counts INTERVAL from the anchor day, and honours a DTSTART as local time', () => {
    const anchor = new Date('2025-03-03T00:00:00+08:00');
    const from = new Date('2025-03-03T00:00:00+08:00');
    const to = new Date('2025-03-09T00:00:00+08:00');
    expect(
      isoList(
        rruleOccurrences('FREQ=DAILY;INTERVAL=2;BYHOUR=9', 'Asia/Shanghai', anchor, from, to),
      ),
    ).toEqual(['2025-03-03T01:00:00.000Z', '2025-03-05T01:00:00.000Z', '2025-03-07T01:00:00.000Z']);
    expect(
      isoList(
        rruleOccurrences(
          'DTSTART:20250304T000000\nRRULE:FREQ=DAILY;INTERVAL=2;BYHOUR=9',
          'Asia/Shanghai',
          anchor,
          from,
          to,
        ),
      ),
    ).toEqual(['2025-03-04T01:00:00.000Z', '2025-03-06T01:00:00.000Z', '2025-03-08T01:00:00.000Z']);
  });

  it('is half-open: an occurrence exactly at `to` belongs to the next window', () => {
    const at = new Date('2025-03-03T01:00:00Z');
    expect(
      rruleOccurrences(
        'FREQ=DAILY;BYHOUR=9',
        'Asia/Shanghai',
        at,
        new Date('2025-03-02T00:00:00Z'),
        at,
      ),
    ).toEqual([]);
    expect(
      rruleOccurrences('FREQ=DAILY;BYHOUR=9', 'Asia/Shanghai', at, at, new Date(at.getTime() + 1)),
    ).toHaveLength(1);
  });
});

describe('durations and local times', () => {
  it('parses shorthand and ISO 8601, rejecting zero and nonsense', () => {
    expect(parseProgramDuration('3d')).toEqual({ days: 3 });
    expect(parseProgramDuration('90m')).toEqual({ minutes: 90 });
    expect(parseProgramDuration('2w')).toEqual({ weeks: 2 });
    expect(parseProgramDuration('PT3H')).toEqual({ hours: 3 });
    expect(parseProgramDuration('0d')).toBeNull();
    expect(parseProgramDuration('PT0S')).toBeNull();
    expect(parseProgramDuration('3 days')).toBeNull();
  });

  it('adds days on the calendar (same wall time across DST) and hours exactly', () => {
    const before = new Date('2025-03-08T13:00:00Z'); // 08:00 EST
    expect(addDuration(before, { days: 1 }, 'America/New_York').toISOString()).toBe(
      '2025-03-09T12:00:00.000Z',
    );
    expect(addDuration(before, { hours: 24 }, 'America/New_York').toISOString()).toBe(
      '2025-03-09T13:00:00.000Z',
    );
  });

  it('finds the next local time of day at or after an instant', () => {
    const z = 'Asia/Shanghai';
    expect(nextLocalTime(new Date('2025-03-03T07:59:00+08:00'), '08:00', z).toISOString()).toBe(
      '2025-03-03T00:00:00.000Z',
    );
    expect(nextLocalTime(new Date('2025-03-03T08:00:00+08:00'), '08:00', z).toISOString()).toBe(
      '2025-03-03T00:00:00.000Z',
    );
    expect(nextLocalTime(new Date('2025-03-03T08:01:00+08:00'), '08:00', z).toISOString()).toBe(
      '2025-03-04T00:00:00.000Z',
    );
  });
});
