import {
  badgeById,
  benefitsOf,
  computeStreak,
  dueExpiries,
  growthPoints,
  memberLocalDate,
  nextExpiry,
  pointsBalance,
  tierStatus,
} from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
import { loadActiveDates, loadHabitState, loadLedger } from './habitStore.ts';
import { toBadgeView, toStreakView, toTierView } from './habitViews.ts';
import { loadRedemptions } from './redeemReward.ts';

/**
 * Everything the member's rewards screen shows, derived at `now` from the ledger, the active days
 * and the badges: balance, tier with benefits and the way to the next one, streak, badges, the
 * latest ledger entries, the next points to expire and recent redemptions. Read-only.
 */
export async function loadRewardsSummary(q: Queryable, memberId: string, now: Date) {
  const state = await loadHabitState(q, memberId);
  if (!state) return null;
  const { timeZone } = state;
  const ledger = await loadLedger(q, memberId);
  const days = await loadActiveDates(q, memberId);
  const tier = tierStatus(growthPoints(ledger, now, timeZone));
  return {
    memberId,
    timeZone,
    balance: pointsBalance(ledger, now, timeZone),
    tier: {
      ...toTierView(tier),
      benefits: benefitsOf(tier.tier.id).map((b) => ({
        id: b.id,
        title: b.title,
        description: b.description,
      })),
    },
    streak: toStreakView(computeStreak(days, memberLocalDate(now, timeZone))),
    badges: state.badges.flatMap((b) => {
      const def = badgeById(b.id);
      return def ? [toBadgeView(def, b.awardedAt)] : [];
    }),
    // Expiries that fell due but are not written yet are shown as they will be recorded.
    recent: [...ledger, ...dueExpiries(ledger, now, timeZone)]
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .slice(-20)
      .reverse()
      .map((e) => ({ key: e.key, kind: e.kind, points: e.points, at: e.at, reason: e.reason })),
    nextExpiry: nextExpiry(ledger, now, timeZone),
    redemptions: await loadRedemptions(q, memberId, 20),
  };
}
