import { calendarDaysBetween } from './localDays.ts';
import type { PointsEntry } from './pointsLedger.ts';
import type { Streak } from './streaks.ts';

/**
 * Bonus points when a streak reaches a milestone. Unlike badges (once in a lifetime) a bonus is
 * earned again by every new streak that reaches it, so coming back after a break pays.
 */
export interface StreakMilestone {
  days: number;
  bonus: number;
}

export const streakMilestones: readonly StreakMilestone[] = [
  { days: 7, bonus: 30 },
  { days: 30, bonus: 150 },
  { days: 100, bonus: 500 },
];

export function streakBonusKey(streakStartedOn: string, days: number): string {
  return `streak:${streakStartedOn}:${days}`;
}

/**
 * Bonus entries the current streak has earned and the ledger does not hold yet. A streak already
 * paid for a milestone is never paid again, even when a late reading joins it to an earlier run
 * (the earlier run's start date lies inside the joined streak).
 */
export function dueStreakBonuses(
  streak: Streak,
  ledger: readonly PointsEntry[],
  now: Date,
  milestones: readonly StreakMilestone[] = streakMilestones,
): PointsEntry[] {
  const start = streak.startedOn;
  const last = streak.lastActiveOn;
  if (start === null || last === null || streak.current === 0) return [];
  const paid = (days: number) =>
    ledger.some(
      (e) =>
        e.kind === 'bonus' &&
        e.reason.kind === 'streak' &&
        e.reason.milestoneDays === days &&
        calendarDaysBetween(start, e.reason.streakStartedOn) >= 0 &&
        calendarDaysBetween(e.reason.streakStartedOn, last) >= 0,
    );
  return milestones
    .filter((m) => streak.current >= m.days && !paid(m.days))
    .map((m) => ({
      key: streakBonusKey(start, m.days),
      kind: 'bonus' as const,
      points: m.bonus,
      at: now.toISOString(),
      reason: { kind: 'streak' as const, milestoneDays: m.days, streakStartedOn: start },
    }));
}
