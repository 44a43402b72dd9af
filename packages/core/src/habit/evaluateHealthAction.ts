import { badgeCatalogue, newlyEarnedBadges, type BadgeDefinition } from './badges.ts';
import { memberLocalDate } from './localDays.ts';
import {
  defaultPointsExpiry,
  dueExpiries,
  growthPoints,
  pointsBalance,
  taskEarnEntry,
  type PointsEntry,
  type PointsExpiryRule,
} from './pointsLedger.ts';
import { dueStreakBonuses, streakMilestones, type StreakMilestone } from './streakMilestones.ts';
import { computeStreak, defaultStreakRules, type Streak, type StreakRules } from './streaks.ts';
import { memberTiers, tierStatus, type TierDefinition, type TierStatus } from './tiers.ts';

/** Every rule of the habit loop in one place, so operators (and tests) can swap them as data. */
export interface HabitRules {
  streak: StreakRules;
  expiry: PointsExpiryRule;
  milestones: readonly StreakMilestone[];
  badges: readonly BadgeDefinition[];
  tiers: readonly TierDefinition[];
}

export const defaultHabitRules: HabitRules = {
  streak: defaultStreakRules,
  expiry: defaultPointsExpiry,
  milestones: streakMilestones,
  badges: badgeCatalogue,
  tiers: memberTiers,
};

export interface HealthActionInput {
  now: Date;
  timeZone: string;
  /** The member's ledger as stored before this action. */
  ledger: readonly PointsEntry[];
  /** Member tasks this action completed (by hand, or by data: a BP reading completes "measure your BP"). */
  completedTasks: readonly { taskId: string; points: number }[];
  /** Local dates on which the member already did a health action; today is added here. */
  activeDates: readonly string[];
  /** Counts including this action. */
  counts: { readings: number; tasksCompleted: number };
  /** Badge ids the member holds already. */
  heldBadges: readonly string[];
}

/** What a health action earned: shown to the member at once (seed 003: the reward is immediate). */
export interface HabitAward {
  /** New ledger entries to append: earn per task, streak bonuses, and expiries that fell due. */
  entries: PointsEntry[];
  /** Points just earned (earn + bonus). */
  points: number;
  /** Spendable balance after the entries. */
  balance: number;
  streak: Streak;
  newBadges: BadgeDefinition[];
  tier: TierStatus;
  previousTier: TierDefinition;
  tierChanged: boolean;
}

/**
 * The reward for a health action, decided purely: earn entries for the completed tasks (keyed by
 * task, so a retry earns nothing), the streak with today counted, milestone bonuses, newly reached
 * badges, and the tier before and after. Entries already in the ledger are left out.
 */
export function evaluateHealthAction(
  input: HealthActionInput,
  rules: HabitRules = defaultHabitRules,
): HabitAward {
  const { now, timeZone, ledger } = input;
  const today = memberLocalDate(now, timeZone);
  const held = new Set(ledger.map((e) => e.key));
  const entries: PointsEntry[] = [];
  const add = (e: PointsEntry) => {
    if (held.has(e.key)) return;
    held.add(e.key);
    entries.push(e);
  };

  for (const e of dueExpiries(ledger, now, timeZone, rules.expiry)) add(e);
  for (const t of input.completedTasks) {
    if (!Number.isInteger(t.points) || t.points < 0)
      throw new RangeError(`task ${t.taskId}: points must be a whole number ≥ 0, got ${t.points}`);
    if (t.points > 0) add(taskEarnEntry(t.taskId, t.points, now));
  }
  const streak = computeStreak([...input.activeDates, today], today, rules.streak);
  for (const e of dueStreakBonuses(streak, ledger, now, rules.milestones)) add(e);

  const after = [...ledger, ...entries];
  const previous = tierStatus(growthPoints(ledger, now, timeZone), rules.tiers).tier;
  const tier = tierStatus(growthPoints(after, now, timeZone), rules.tiers);
  const newBadges = newlyEarnedBadges(
    { ...input.counts, longestStreak: streak.longest },
    input.heldBadges,
    rules.badges,
  );
  return {
    entries,
    points: entries
      .filter((e) => e.kind === 'earn' || e.kind === 'bonus')
      .reduce((s, e) => s + e.points, 0),
    balance: pointsBalance(after, now, timeZone, rules.expiry),
    streak,
    newBadges,
    tier,
    previousTier: previous,
    tierChanged: previous.id !== tier.tier.id,
  };
}
