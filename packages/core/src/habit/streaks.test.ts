import { describe, expect, it } from 'vitest';
import { computeStreak, streakAt } from './streaks.ts';
import { calendarDaysBetween, memberLocalDate } from './localDays.ts';

const noGrace = { graceEveryDays: 0 };

describe('computeStreak', () => {
  it('is none without any health action', () => {
    expect(computeStreak([], '2026-03-10')).toMatchObject({
      current: 0,
      state: 'none',
      longest: 0,
      startedOn: null,
    });
  });

  it('counts consecutive local days, duplicates and order ignored', () => {
    const s = computeStreak(['2026-03-10', '2026-03-08', '2026-03-09', '2026-03-09'], '2026-03-10');
    expect(s).toMatchObject({
      current: 3,
      startedOn: '2026-03-08',
      lastActiveOn: '2026-03-10',
      state: 'active-today',
      longest: 3,
    });
  });

  it('keeps a streak alive through today when yesterday was active (pending)', () => {
    const s = computeStreak(['2026-03-08', '2026-03-09'], '2026-03-10');
    expect(s.state).toBe('pending');
    expect(s.current).toBe(2);
  });

  it('bridges one missed day with a grace day that is not counted', () => {
    const s = computeStreak(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-05'], '2026-03-05');
    expect(s.current).toBe(4);
    expect(s.graceDays).toEqual(['2026-03-04']);
    expect(s.startedOn).toBe('2026-03-01');
  });

  it('never bridges two missed days in a row', () => {
    const s = computeStreak(['2026-03-01', '2026-03-02', '2026-03-05'], '2026-03-05');
    expect(s).toMatchObject({ current: 1, startedOn: '2026-03-05', longest: 2 });
  });

  it('allows one grace day in any 7 consecutive days: 6 days apart is refused, 7 accepted', () => {
    // Grace on 03-03; next miss on 03-09 (6 days later) breaks the streak.
    const refused = computeStreak(
      [
        '2026-03-01',
        '2026-03-02',
        '2026-03-04',
        '2026-03-05',
        '2026-03-06',
        '2026-03-07',
        '2026-03-08',
        '2026-03-10',
      ],
      '2026-03-10',
    );
    expect(refused).toMatchObject({ current: 1, startedOn: '2026-03-10', longest: 7 });
    // Next miss on 03-10 (7 days after 03-03) is bridged.
    const accepted = computeStreak(
      [
        '2026-03-01',
        '2026-03-02',
        '2026-03-04',
        '2026-03-05',
        '2026-03-06',
        '2026-03-07',
        '2026-03-08',
        '2026-03-09',
        '2026-03-11',
      ],
      '2026-03-11',
    );
    expect(accepted.current).toBe(9);
    expect(accepted.graceDays).toEqual(['2026-03-03', '2026-03-10']);
  });

  it('is at-risk the day after a miss when grace is available, broken when it is not', () => {
    const atRisk = computeStreak(['2026-03-07', '2026-03-08'], '2026-03-10');
    expect(atRisk).toMatchObject({ state: 'at-risk', current: 2 });
    const noGraceLeft = computeStreak(['2026-03-05', '2026-03-07', '2026-03-08'], '2026-03-10');
    expect(noGraceLeft).toMatchObject({ state: 'broken', current: 0, startedOn: null, longest: 3 });
    const withoutGrace = computeStreak(['2026-03-07', '2026-03-08'], '2026-03-10', noGrace);
    expect(withoutGrace.state).toBe('broken');
  });

  it('is broken after two full missed days', () => {
    const s = computeStreak(['2026-03-06', '2026-03-07'], '2026-03-10');
    expect(s).toMatchObject({
      state: 'broken',
      current: 0,
      lastActiveOn: '2026-03-07',
      longest: 2,
    });
  });

  it('ignores dates after today (a clock or data error must not extend a streak)', () => {
    const s = computeStreak(['2026-03-10', '2026-03-11', '2026-03-12'], '2026-03-10');
    expect(s.current).toBe(1);
  });

  it('remembers the longest streak after a break', () => {
    const s = computeStreak(
      ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-03-09', '2026-03-10'],
      '2026-03-10',
    );
    expect(s).toMatchObject({ current: 2, longest: 4, longestStartedOn: '2026-02-01' });
  });

  it('rejects malformed dates', () => {
    expect(() => computeStreak(['2026-3-1'], '2026-03-10')).toThrow(/calendar date/);
  });
});

describe('streakAt: local days in the member time zone', () => {
  it('two actions 2 minutes apart across local midnight are two days (Asia/Shanghai)', () => {
    // 23:59 on 03-09 and 00:01 on 03-10 in Shanghai (UTC+8) — both on 03-09 in UTC.
    const s = streakAt(
      ['2026-03-09T15:59:00Z', '2026-03-09T16:01:00Z'],
      new Date('2026-03-09T16:05:00Z'),
      'Asia/Shanghai',
    );
    expect(s).toMatchObject({ current: 2, startedOn: '2026-03-09', state: 'active-today' });
  });

  it('two actions 22 hours apart on the same local day are one day', () => {
    const s = streakAt(
      ['2026-03-09T16:30:00Z', '2026-03-10T14:30:00Z'],
      new Date('2026-03-10T15:00:00Z'),
      'Asia/Shanghai',
    );
    expect(s.current).toBe(1);
  });

  it('counts the 23-hour day of the spring DST change (America/New_York, 2026-03-08)', () => {
    // 23:30 local on 03-07 (EST, UTC−5), 03-08 and 03-09 (EDT, UTC−4).
    const s = streakAt(
      ['2026-03-08T04:30:00Z', '2026-03-09T03:30:00Z', '2026-03-10T03:30:00Z'],
      new Date('2026-03-10T03:45:00Z'),
      'America/New_York',
    );
    expect(s).toMatchObject({ current: 3, startedOn: '2026-03-07', state: 'active-today' });
  });

  it('does not take 23 h 20 min across the spring change for consecutive days', () => {
    // 23:50 EST on 03-07 → 00:10 EDT on 03-09: less than 24 h apart, but 03-08 was missed.
    const at = ['2026-03-08T04:50:00Z', '2026-03-09T04:10:00Z'];
    expect(memberLocalDate(at[0]!, 'America/New_York')).toBe('2026-03-07');
    expect(memberLocalDate(at[1]!, 'America/New_York')).toBe('2026-03-09');
    const s = streakAt(at, new Date('2026-03-09T04:15:00Z'), 'America/New_York', noGrace);
    expect(s).toMatchObject({ current: 1, startedOn: '2026-03-09' });
    // With the default grace rule the missed 03-08 is bridged instead.
    const graced = streakAt(at, new Date('2026-03-09T04:15:00Z'), 'America/New_York');
    expect(graced).toMatchObject({ current: 2, graceDays: ['2026-03-08'] });
  });

  it('keeps the 25-hour day of the autumn DST change one day (America/New_York, 2026-11-01)', () => {
    // 00:01 EDT and 23:59 EST on 11-01: 24 h 58 min apart, the same local day.
    const s = streakAt(
      ['2026-11-01T04:01:00Z', '2026-11-02T04:59:00Z'],
      new Date('2026-11-02T04:59:30Z'),
      'America/New_York',
    );
    expect(s).toMatchObject({ current: 1, startedOn: '2026-11-01', state: 'active-today' });
    expect(calendarDaysBetween('2026-10-31', '2026-11-02')).toBe(2);
  });

  it('treats the same instants differently for members in different zones', () => {
    const at = ['2026-03-09T17:00:00Z', '2026-03-10T01:00:00Z'];
    const now = new Date('2026-03-10T02:00:00Z');
    expect(streakAt(at, now, 'Asia/Shanghai').current).toBe(1); // 01:00 and 09:00 on 03-10
    expect(streakAt(at, now, 'Europe/London').current).toBe(2); // 17:00 on 03-09, 01:00 on 03-10
  });

  it('rejects an unknown time zone', () => {
    expect(() => streakAt([], new Date('2026-03-10T00:00:00Z'), 'Mars/Olympus')).toThrow(
      /unknown time zone/,
    );
  });
});
