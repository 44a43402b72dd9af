// The habit loop (trigger → action → reward): points ledger, streaks, tiers, badges, rewards.
export {
  addCalendarDays,
  calendarDaysBetween,
  isValidTimeZone,
  memberLocalDate,
  localPeriodKey,
  startOfLocalYear,
  type CalendarPeriod,
} from './localDays.ts';
export {
  defaultPointsExpiry,
  dueExpiries,
  growthPoints,
  lotExpiresAt,
  nextExpiry,
  pointsBalance,
  pointsEntryKinds,
  taskEarnEntry,
  validatePointsEntry,
  type PointsEntry,
  type PointsEntryKind,
  type PointsExpiryRule,
  type PointsReason,
} from './pointsLedger.ts';
export {
  computeStreak,
  defaultStreakRules,
  streakAt,
  type Streak,
  type StreakRules,
  type StreakState,
} from './streaks.ts';
export {
  dueStreakBonuses,
  streakBonusKey,
  streakMilestones,
  type StreakMilestone,
} from './streakMilestones.ts';
export {
  benefitsOf,
  memberTiers,
  tierById,
  tierFor,
  tierRank,
  tierStatus,
  type TierBenefit,
  type TierDefinition,
  type TierId,
  type TierStatus,
} from './tiers.ts';
export {
  badgeById,
  badgeCatalogue,
  newlyEarnedBadges,
  type BadgeDefinition,
  type HabitStats,
} from './badges.ts';
export {
  decideRedemption,
  redemptionEntry,
  rewardById,
  rewardCatalogue,
  validateReward,
  type RedemptionDecision,
  type RedemptionRefusal,
  type RedemptionRefusalReason,
  type RedemptionRequest,
  type RewardDefinition,
  type RewardKind,
} from './rewards.ts';
export {
  defaultHabitRules,
  evaluateHealthAction,
  type HabitAward,
  type HabitRules,
  type HealthActionInput,
} from './evaluateHealthAction.ts';
