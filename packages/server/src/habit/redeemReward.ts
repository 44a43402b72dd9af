import {
  decideRedemption,
  dueExpiries,
  growthPoints,
  pointsBalance,
  redemptionEntry,
  tierFor,
  type RedemptionRefusal,
} from '@careloop/core';
import type { Db, Queryable } from '../db/Db.ts';
import { badRequest, HttpProblem, notFound } from '../http/problem.ts';
import { iso } from '../storage/rows.ts';
import {
  appendLedger,
  loadHabitState,
  loadLedger,
  rewardColumns,
  toRewardDefinition,
  type RewardRow,
} from './habitStore.ts';

/** A refused redemption: problem+json with the first reason and every refusal, in both locales. */
export class RedemptionRefused extends HttpProblem {
  constructor(readonly refusals: readonly RedemptionRefusal[]) {
    super(409, 'Redemption Refused', refusals.map((r) => r.message.en).join(' '), [
      { path: 'body.rewardId', message: refusals.map((r) => r.reason).join(', ') },
    ]);
  }

  override toJSON(instance?: string): Record<string, unknown> {
    return { ...super.toJSON(instance), reason: this.refusals[0]?.reason, refusals: this.refusals };
  }
}

export interface RedemptionView {
  id: string;
  rewardId: string;
  title: { 'zh-CN': string; en: string };
  points: number;
  periodKey: string | null;
  status: string;
  at: string;
}

export interface RedemptionResult {
  redemption: RedemptionView;
  /** Spendable balance after the redemption. */
  balance: number;
  /** True when this clientId had already been redeemed: nothing was spent again. */
  duplicate: boolean;
}

interface RedemptionRow {
  id: string;
  reward_id: string;
  title: { 'zh-CN': string; en: string };
  points: number;
  period_key: string | null;
  status: string;
  at: Date | string;
}

const redemptionColumns = `x.id::text AS id, x.reward_id, r.title, x.points, x.period_key, x.status, x.at`;

export const toRedemptionView = (r: RedemptionRow): RedemptionView => ({
  id: r.id,
  rewardId: r.reward_id,
  title: r.title,
  points: r.points,
  periodKey: r.period_key,
  status: r.status,
  at: iso(r.at),
});

export async function loadRedemptions(
  q: Queryable,
  memberId: string,
  limit: number,
): Promise<RedemptionView[]> {
  const { rows } = await q.query<RedemptionRow>(
    `SELECT ${redemptionColumns} FROM redemptions x JOIN rewards r ON r.id = x.reward_id
      WHERE x.member_id = $1 ORDER BY x.at DESC, x.id DESC LIMIT $2`,
    [memberId, limit],
  );
  return rows.map(toRedemptionView);
}

/**
 * Redeems a reward for a member in one transaction. The member row is locked, so two redemptions
 * of one member are serialised and the balance cannot be spent twice; the reward row is locked for
 * its stock. Idempotent by the client's id: a retry returns the first redemption and spends nothing.
 */
export async function redeemReward(
  db: Db,
  input: { memberId: string; rewardId: string; clientId: string; now: Date },
): Promise<RedemptionResult> {
  const { memberId, rewardId, clientId, now } = input;
  return db.transaction(async (tx) => {
    const locked = await tx.query('SELECT 1 FROM members WHERE id = $1 FOR UPDATE', [memberId]);
    if (locked.rows.length === 0) throw notFound(`no member '${memberId}'`);
    const state = await loadHabitState(tx, memberId);
    const timeZone = state!.timeZone;

    const existing = await tx.query<RedemptionRow>(
      `SELECT ${redemptionColumns} FROM redemptions x JOIN rewards r ON r.id = x.reward_id
        WHERE x.member_id = $1 AND x.client_id = $2`,
      [memberId, clientId],
    );
    const prior = existing.rows[0];
    if (prior) {
      if (prior.reward_id !== rewardId)
        throw new HttpProblem(
          409,
          'Conflict',
          `clientId '${clientId}' was already used to redeem '${prior.reward_id}'`,
          [{ path: 'body.clientId', message: 'already used for another reward' }],
        );
      const ledger = await loadLedger(tx, memberId);
      return {
        redemption: toRedemptionView(prior),
        balance: pointsBalance(ledger, now, timeZone),
        duplicate: true,
      };
    }

    const rewardRows = await tx.query<RewardRow>(
      `SELECT ${rewardColumns} FROM rewards r WHERE r.id = $1 FOR UPDATE`,
      [rewardId],
    );
    const row = rewardRows.rows[0];
    if (!row)
      throw badRequest(`unknown reward '${rewardId}'`, [
        { path: 'body.rewardId', message: `no reward '${rewardId}' in the catalogue` },
      ]);
    const reward = toRewardDefinition(row);
    const ledger = await loadLedger(tx, memberId);
    const balance = pointsBalance(ledger, now, timeZone);
    const previous = await tx.query<{ at: Date | string }>(
      `SELECT at FROM redemptions WHERE member_id = $1 AND reward_id = $2 AND status <> 'cancelled'`,
      [memberId, rewardId],
    );
    const decision = decideRedemption({
      reward,
      balance,
      tier: tierFor(growthPoints(ledger, now, timeZone)).id,
      previousRedemptions: previous.rows.map((r) => iso(r.at)),
      redeemedCount: row.redeemed,
      now,
      timeZone,
    });
    if (!decision.ok) throw new RedemptionRefused(decision.refusals);

    const entry = redemptionEntry(reward, clientId, now);
    await appendLedger(tx, memberId, [...dueExpiries(ledger, now, timeZone), entry]);
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO redemptions (member_id, reward_id, client_id, points, period_key, status, at)
       VALUES ($1, $2, $3, $4, $5, 'confirmed', $6) RETURNING id::text AS id`,
      [memberId, rewardId, clientId, reward.cost, decision.periodKey, now.toISOString()],
    );
    return {
      redemption: {
        id: inserted.rows[0]!.id,
        rewardId,
        title: reward.title,
        points: reward.cost,
        periodKey: decision.periodKey,
        status: 'confirmed',
        at: now.toISOString(),
      },
      balance: balance - reward.cost,
      duplicate: false,
    };
  });
}
