import { describe, expect, it } from 'vitest';
import { badgeCatalogue, newlyEarnedBadges } from './badges.ts';
import { dueStreakBonuses } from './streakMilestones.ts';
import { computeStreak } from './streaks.ts';
import type { PointsEntry } from './pointsLedger.ts';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
const zero = { readings: 0, tasksCompleted: 0, longestStreak: 0 };

describe('badges', () => {
  it('awards nothing before the first action', () => {
    expect(newlyEarnedBadges(zero, [])).toEqual([]);
  });

  it('awards the first-reading badge on the first reading', () => {
    expect(ids(newlyEarnedBadges({ ...zero, readings: 1 }, []))).toEqual(['first-reading']);
  });

  it('awards ten-tasks at 10, not at 9', () => {
    expect(ids(newlyEarnedBadges({ ...zero, tasksCompleted: 9 }, ['first-task']))).toEqual([]);
    expect(ids(newlyEarnedBadges({ ...zero, tasksCompleted: 10 }, ['first-task']))).toEqual([
      'tasks-10',
    ]);
  });

  it('awards streak badges at 7 and 30 days, not a day before', () => {
    expect(ids(newlyEarnedBadges({ ...zero, longestStreak: 6 }, []))).toEqual([]);
    expect(ids(newlyEarnedBadges({ ...zero, longestStreak: 7 }, []))).toEqual(['streak-7']);
    expect(ids(newlyEarnedBadges({ ...zero, longestStreak: 29 }, ['streak-7']))).toEqual([]);
    expect(ids(newlyEarnedBadges({ ...zero, longestStreak: 30 }, ['streak-7']))).toEqual([
      'streak-30',
    ]);
  });

  it('never awards a badge twice', () => {
    expect(
      newlyEarnedBadges({ readings: 5, tasksCompleted: 1, longestStreak: 1 }, [
        'first-reading',
        'first-task',
      ]),
    ).toEqual([]);
  });

  it('has unique ids and both locales for every badge', () => {
    expect(new Set(ids([...badgeCatalogue])).size).toBe(badgeCatalogue.length);
    for (const b of badgeCatalogue)
      expect(
        b.title['zh-CN'] && b.title.en && b.description['zh-CN'] && b.description.en,
      ).toBeTruthy();
  });
});

describe('streak milestone bonuses', () => {
  const now = new Date('2026-03-10T02:00:00Z');
  const week = (start: number) =>
    Array.from({ length: 7 }, (_, i) => `2026-03-${String(start + i).padStart(2, '0')}`);
  const bonus = (start: string, days: number): PointsEntry => ({
    key: `streak:${start}:${days}`,
    kind: 'bonus',
    points: 30,
    at: '2026-03-01T00:00:00Z',
    reason: { kind: 'streak', milestoneDays: days, streakStartedOn: start },
  });

  it('pays 30 points when a streak reaches 7 days, not at 6', () => {
    expect(dueStreakBonuses(computeStreak(week(4).slice(1), '2026-03-10'), [], now)).toEqual([]);
    expect(dueStreakBonuses(computeStreak(week(4), '2026-03-10'), [], now)).toEqual([
      {
        key: 'streak:2026-03-04:7',
        kind: 'bonus',
        points: 30,
        at: '2026-03-10T02:00:00.000Z',
        reason: { kind: 'streak', milestoneDays: 7, streakStartedOn: '2026-03-04' },
      },
    ]);
  });

  it('pays a streak once, even when a late reading joins it to an earlier run', () => {
    const s = computeStreak(week(4), '2026-03-10');
    expect(dueStreakBonuses(s, [bonus('2026-03-04', 7)], now)).toEqual([]);
    // The run that started 03-05 was paid; a backfilled 03-04 now starts the joined streak.
    expect(dueStreakBonuses(s, [bonus('2026-03-05', 7)], now)).toEqual([]);
  });

  it('pays a new streak again after a break', () => {
    const s = computeStreak(week(4), '2026-03-10');
    expect(dueStreakBonuses(s, [bonus('2026-02-01', 7)], now).map((e) => e.key)).toEqual([
      'streak:2026-03-04:7',
    ]);
  });

  it('pays nothing for a broken streak', () => {
    expect(dueStreakBonuses(computeStreak(week(1), '2026-03-10'), [], now)).toEqual([]);
  });
});
