import { Type, type Static } from '@fastify/type-provider-typebox';
import type { BadgeDefinition, HabitAward, Streak, TierStatus } from '@careloop/core';

/**
 * The habit loop's answers, one TypeBox schema each (type, validation and OpenAPI in one): the award
 * shown the moment a task is completed, and the member's rewards summary.
 */

const Bilingual = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const BadgeView = Type.Object({
  id: Type.String(),
  title: Bilingual,
  description: Bilingual,
  awardedAt: Type.Optional(Type.String()),
});

export const StreakView = Type.Object({
  current: Type.Integer({ description: 'active local days in the current streak' }),
  longest: Type.Integer(),
  state: Type.Union(
    [
      Type.Literal('none'),
      Type.Literal('active-today'),
      Type.Literal('pending'),
      Type.Literal('at-risk'),
      Type.Literal('broken'),
    ],
    {
      description:
        'pending: yesterday was active, act today to extend; at-risk: yesterday was missed, act today and a grace day keeps the streak',
    },
  ),
  startedOn: NullableString,
  lastActiveOn: NullableString,
  graceDays: Type.Array(Type.String()),
});

const TierRef = Type.Object({ id: Type.String(), name: Bilingual });

export const TierView = Type.Object({
  id: Type.String(),
  name: Bilingual,
  growthPoints: Type.Integer({ description: 'points earned in the last 12 local months' }),
  next: Type.Union([
    Type.Object({ id: Type.String(), name: Bilingual, pointsNeeded: Type.Integer() }),
    Type.Null(),
  ]),
});

export const LedgerEntryView = Type.Object({
  key: Type.String(),
  kind: Type.Union([
    Type.Literal('earn'),
    Type.Literal('bonus'),
    Type.Literal('redeem'),
    Type.Literal('expire'),
  ]),
  points: Type.Integer(),
  at: Type.String(),
  reason: Type.Unknown(),
});

/** What completing a task (or recording a reading) earned, returned in the same response. */
export const AwardView = Type.Object({
  points: Type.Integer({ description: 'points just earned (task + streak bonus)' }),
  balance: Type.Integer({
    description: 'spendable balance after the award (derived from the ledger)',
  }),
  entries: Type.Array(LedgerEntryView),
  newBadges: Type.Array(BadgeView),
  streak: StreakView,
  tier: Type.Evaluate(
    Type.Intersect([TierView, Type.Object({ changed: Type.Boolean(), previous: TierRef })]),
  ),
});
export type AwardView = Static<typeof AwardView>;

export function toStreakView(s: Streak): Static<typeof StreakView> {
  return {
    current: s.current,
    longest: s.longest,
    state: s.state,
    startedOn: s.startedOn,
    lastActiveOn: s.lastActiveOn,
    graceDays: s.graceDays,
  };
}

export function toTierView(t: TierStatus): Static<typeof TierView> {
  return {
    id: t.tier.id,
    name: t.tier.name,
    growthPoints: t.growthPoints,
    next: t.next
      ? { id: t.next.tier.id, name: t.next.tier.name, pointsNeeded: t.next.pointsNeeded }
      : null,
  };
}

export function toBadgeView(b: BadgeDefinition, awardedAt?: string): Static<typeof BadgeView> {
  return {
    id: b.id,
    title: b.title,
    description: b.description,
    ...(awardedAt ? { awardedAt } : {}),
  };
}

export function toAwardView(a: HabitAward): AwardView {
  return {
    points: a.points,
    balance: a.balance,
    entries: a.entries.map((e) => ({
      key: e.key,
      kind: e.kind,
      points: e.points,
      at: e.at,
      reason: e.reason,
    })),
    newBadges: a.newBadges.map((b) => toBadgeView(b)),
    streak: toStreakView(a.streak),
    tier: {
      ...toTierView(a.tier),
      changed: a.tierChanged,
      previous: { id: a.previousTier.id, name: a.previousTier.name },
    },
  };
}

export const RedemptionView = Type.Object({
  id: Type.String(),
  rewardId: Type.String(),
  title: Bilingual,
  points: Type.Integer(),
  periodKey: NullableString,
  status: Type.String(),
  at: Type.String(),
});

export const RewardsSummaryView = Type.Object({
  memberId: Type.String(),
  timeZone: Type.String(),
  balance: Type.Integer({ description: 'spendable points, derived from the append-only ledger' }),
  tier: Type.Evaluate(
    Type.Intersect([
      TierView,
      Type.Object({
        benefits: Type.Array(
          Type.Object({ id: Type.String(), title: Bilingual, description: Bilingual }),
        ),
      }),
    ]),
  ),
  streak: StreakView,
  badges: Type.Array(BadgeView),
  recent: Type.Array(LedgerEntryView, { description: 'latest ledger entries, newest first' }),
  nextExpiry: Type.Union([Type.Object({ at: Type.String(), points: Type.Integer() }), Type.Null()]),
  redemptions: Type.Array(RedemptionView),
});

export const RedemptionResultView = Type.Object({
  redemption: RedemptionView,
  balance: Type.Integer(),
  duplicate: Type.Boolean(),
});

export const RewardView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Bilingual,
  description: Bilingual,
  cost: Type.Integer(),
  stockRemaining: Type.Union([Type.Integer(), Type.Null()], { description: 'null: unlimited' }),
  limit: Type.Union([Type.Object({ count: Type.Integer(), per: Type.String() }), Type.Null()]),
  minTier: NullableString,
  active: Type.Boolean(),
});
