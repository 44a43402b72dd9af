import {
  badgeCatalogue,
  isValidTimeZone,
  type PointsEntry,
  type PointsReason,
  type RewardDefinition,
} from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
import { iso } from '../storage/rows.ts';

/** Rows of the habit tables, read and appended in the caller's transaction. */

// A member row with an unusable zone must not break ingest: fall back to the schema default.
const defaultZone = 'Asia/Shanghai';

export interface MemberHabitState {
  timeZone: string;
  /** Readings by the member or their device (a BP pair once), capped at the largest badge threshold. */
  readings: number;
  tasksCompleted: number;
  badges: { id: string; awardedAt: string }[];
}

const readingsCap = Math.max(
  1,
  ...badgeCatalogue.filter((b) => b.criterion.stat === 'readings').map((b) => b.criterion.atLeast),
);

export async function loadHabitState(
  q: Queryable,
  memberId: string,
): Promise<MemberHabitState | null> {
  const { rows } = await q.query<{
    time_zone: string;
    readings: number;
    tasks_done: number;
    badges: { id: string; awardedAt: string }[] | null;
  }>(
    `SELECT m.time_zone,
            (SELECT count(*)::int FROM (
               SELECT 1 FROM observations o
                WHERE o.member_id = m.id AND o.indicator IS NOT NULL AND o.source_kind IN ('self', 'device')
                  AND NOT (o.panel_key IS NOT NULL AND o.indicator = 'dbp')
                LIMIT $2) r) AS readings,
            (SELECT count(*)::int FROM tasks t WHERE t.member_id = m.id AND t.kind = 'member' AND t.status = 'done') AS tasks_done,
            (SELECT json_agg(json_build_object('id', b.badge_id, 'awardedAt', b.awarded_at) ORDER BY b.awarded_at, b.badge_id)
               FROM member_badges b WHERE b.member_id = m.id) AS badges
       FROM members m WHERE m.id = $1`,
    [memberId, readingsCap],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    timeZone: isValidTimeZone(r.time_zone) ? r.time_zone : defaultZone,
    readings: r.readings,
    tasksCompleted: r.tasks_done,
    badges: (r.badges ?? []).map((b) => ({ id: b.id, awardedAt: iso(b.awardedAt) })),
  };
}

export async function loadLedger(q: Queryable, memberId: string): Promise<PointsEntry[]> {
  const { rows } = await q.query<{
    idempotency_key: string;
    kind: PointsEntry['kind'];
    points: number;
    at: Date | string;
    reason: PointsReason;
  }>(
    `SELECT idempotency_key, kind, points, at, reason FROM points_ledger WHERE member_id = $1 ORDER BY at, id`,
    [memberId],
  );
  return rows.map((r) => ({
    key: r.idempotency_key,
    kind: r.kind,
    points: r.points,
    at: iso(r.at),
    reason: r.reason,
  }));
}

/** Appends entries (an existing key is left alone) and returns those this call inserted. */
export async function appendLedger(
  q: Queryable,
  memberId: string,
  entries: readonly PointsEntry[],
): Promise<PointsEntry[]> {
  if (entries.length === 0) return [];
  const { rows } = await q.query<{ idempotency_key: string }>(
    `INSERT INTO points_ledger (member_id, idempotency_key, kind, points, at, reason)
     SELECT $1, k, kind, p, at, r::jsonb FROM unnest($2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[]) AS t(k, kind, p, at, r)
     ON CONFLICT (member_id, idempotency_key) DO NOTHING
     RETURNING idempotency_key`,
    [
      memberId,
      entries.map((e) => e.key),
      entries.map((e) => e.kind),
      entries.map((e) => e.points),
      entries.map((e) => e.at),
      entries.map((e) => JSON.stringify(e.reason)),
    ],
  );
  const inserted = new Set(rows.map((r) => r.idempotency_key));
  return entries.filter((e) => inserted.has(e.key));
}

/** Records the member's local day of a health action; returns every active local date. */
export async function recordActiveDay(
  q: Queryable,
  memberId: string,
  localDate: string,
  timeZone: string,
  at: Date,
): Promise<string[]> {
  await q.query(
    `INSERT INTO habit_days (member_id, local_date, time_zone, first_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id, local_date) DO NOTHING`,
    [memberId, localDate, timeZone, at.toISOString()],
  );
  return loadActiveDates(q, memberId);
}

export async function loadActiveDates(q: Queryable, memberId: string): Promise<string[]> {
  const { rows } = await q.query<{ d: string }>(
    `SELECT to_char(local_date, 'YYYY-MM-DD') AS d FROM habit_days WHERE member_id = $1 ORDER BY local_date`,
    [memberId],
  );
  return rows.map((r) => r.d);
}

/** Awards badges (a badge already held is left alone); returns the ids this call awarded. */
export async function awardBadges(
  q: Queryable,
  memberId: string,
  badgeIds: readonly string[],
  at: Date,
): Promise<Set<string>> {
  if (badgeIds.length === 0) return new Set();
  const { rows } = await q.query<{ badge_id: string }>(
    `INSERT INTO member_badges (member_id, badge_id, awarded_at) SELECT $1, b, $3 FROM unnest($2::text[]) AS t(b)
     ON CONFLICT (member_id, badge_id) DO NOTHING RETURNING badge_id`,
    [memberId, badgeIds, at.toISOString()],
  );
  return new Set(rows.map((r) => r.badge_id));
}

export interface RewardRow {
  id: string;
  kind: RewardDefinition['kind'];
  title: RewardDefinition['title'];
  description: RewardDefinition['description'];
  cost: number;
  stock: number | null;
  limit_count: number | null;
  limit_period: NonNullable<RewardDefinition['limit']>['per'] | null;
  min_tier: RewardDefinition['minTier'];
  active: boolean;
  redeemed: number;
}

export const rewardColumns = `r.id, r.kind, r.title, r.description, r.cost, r.stock, r.limit_count, r.limit_period, r.min_tier, r.active,
  (SELECT count(*)::int FROM redemptions x WHERE x.reward_id = r.id AND x.status <> 'cancelled') AS redeemed`;

export function toRewardDefinition(r: RewardRow): RewardDefinition {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    cost: r.cost,
    stock: r.stock,
    limit:
      r.limit_count !== null && r.limit_period !== null
        ? { count: r.limit_count, per: r.limit_period }
        : null,
    minTier: r.min_tier,
    active: r.active,
  };
}
