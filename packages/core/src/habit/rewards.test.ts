import { describe, expect, it } from 'vitest';
import {
  decideRedemption,
  redemptionEntry,
  rewardById,
  rewardCatalogue,
  validateReward,
  type RedemptionRequest,
  type RewardDefinition,
} from './rewards.ts';
import { localPeriodKey } from './localDays.ts';
import { validatePointsEntry } from './pointsLedger.ts';

const course = rewardById('bp-self-management-course')!; // 100 points, 1 per month, unlimited
const consult = rewardById('dietitian-consultation')!; // 800 points, gold+, 50 in stock
const now = new Date('2026-03-10T02:00:00Z'); // 10:00 in Shanghai

const request = (over: Partial<RedemptionRequest> = {}): RedemptionRequest => ({
  reward: course,
  balance: 1000,
  tier: 'silver',
  previousRedemptions: [],
  redeemedCount: 0,
  now,
  timeZone: 'Asia/Shanghai',
  ...over,
});
const reasons = (d: ReturnType<typeof decideRedemption>) =>
  d.ok ? [] : d.refusals.map((r) => r.reason);

describe('decideRedemption', () => {
  it('allows a redemption that meets every rule and names its period', () => {
    expect(decideRedemption(request())).toEqual({ ok: true, periodKey: '2026-03' });
  });

  it('refuses when the balance is one point short, allows at exactly the cost', () => {
    const short = decideRedemption(request({ balance: 99 }));
    expect(reasons(short)).toEqual(['insufficient-balance']);
    expect(short.ok ? null : short.refusals[0]!.message).toEqual({
      'zh-CN': '积分不足：需要 100 分，当前 99 分。',
      en: 'Not enough points: it needs 100, you have 99.',
    });
    expect(decideRedemption(request({ balance: 100 })).ok).toBe(true);
  });

  it('refuses when the stock is gone, allows the last one', () => {
    const base = { reward: consult, tier: 'gold' as const };
    expect(decideRedemption(request({ ...base, redeemedCount: 49 })).ok).toBe(true);
    expect(reasons(decideRedemption(request({ ...base, redeemedCount: 50 })))).toEqual([
      'out-of-stock',
    ]);
  });

  it('refuses a below-tier member and allows the tier itself and above', () => {
    expect(reasons(decideRedemption(request({ reward: consult, tier: 'silver' })))).toEqual([
      'tier-too-low',
    ]);
    expect(decideRedemption(request({ reward: consult, tier: 'gold' })).ok).toBe(true);
    expect(decideRedemption(request({ reward: consult, tier: 'diamond' })).ok).toBe(true);
  });

  it('allows one per local month: a redemption at 00:30 on 1 March in Shanghai counts for March', () => {
    // 2026-02-28T16:30Z is still February in UTC but 00:30 on 1 March in Shanghai.
    expect(
      reasons(decideRedemption(request({ previousRedemptions: ['2026-02-28T16:30:00Z'] }))),
    ).toEqual(['period-limit']);
    // 23:30 on 28 February local: last month, so March is still open.
    expect(decideRedemption(request({ previousRedemptions: ['2026-02-28T15:30:00Z'] })).ok).toBe(
      true,
    );
  });

  it('reports every failed rule, in a fixed order', () => {
    const d = decideRedemption(
      request({
        reward: { ...consult, active: false },
        tier: 'silver',
        balance: 10,
        redeemedCount: 50,
        previousRedemptions: ['2026-03-01T00:00:00Z'],
      }),
    );
    expect(reasons(d)).toEqual([
      'reward-inactive',
      'tier-too-low',
      'period-limit',
      'out-of-stock',
      'insufficient-balance',
    ]);
    if (!d.ok) for (const r of d.refusals) expect(r.message['zh-CN'] && r.message.en).toBeTruthy();
  });

  it('makes a redeem ledger entry keyed by the client id', () => {
    const e = redemptionEntry(course, 'c-1', now);
    expect(e).toEqual({
      key: 'redeem:c-1',
      kind: 'redeem',
      points: -100,
      at: '2026-03-10T02:00:00.000Z',
      reason: { kind: 'reward', rewardId: 'bp-self-management-course', clientId: 'c-1' },
    });
    expect(validatePointsEntry(e)).toEqual([]);
  });
});

describe('the catalogue', () => {
  it('is valid data: ids, costs, stock, limits, both locales', () => {
    rewardCatalogue.forEach((r, i) => expect(validateReward(r, `rewards[${i}]`)).toEqual([]));
    expect(new Set(rewardCatalogue.map((r) => r.id)).size).toBe(rewardCatalogue.length);
  });

  it('carries knowledge and authority: an expert-interpreted report, no promotions', () => {
    expect(rewardCatalogue.some((r) => r.kind === 'report' && /专家/.test(r.title['zh-CN']))).toBe(
      true,
    );
    expect(
      rewardCatalogue.every((r) => !/折扣|优惠券|coupon|discount/i.test(JSON.stringify(r))),
    ).toBe(true);
  });

  it('rejects a malformed item with field paths', () => {
    const bad = {
      ...course,
      id: 'Bad Id',
      cost: 0,
      stock: -1,
      limit: { count: 0, per: 'month' },
      title: { 'zh-CN': '', en: 'x' },
    } as RewardDefinition;
    expect(validateReward(bad, 'rewards[0]').map((i) => i.path)).toEqual([
      'rewards[0].id',
      'rewards[0].cost',
      'rewards[0].stock',
      'rewards[0].limit.count',
      'rewards[0].title.zh-CN',
    ]);
  });
});

describe('localPeriodKey', () => {
  it('names local calendar periods, ISO weeks across the new year', () => {
    const tz = 'Asia/Shanghai';
    expect(localPeriodKey('day', now, tz)).toBe('2026-03-10');
    expect(localPeriodKey('month', now, tz)).toBe('2026-03');
    expect(localPeriodKey('quarter', now, tz)).toBe('2026-Q1');
    expect(localPeriodKey('year', now, tz)).toBe('2026');
    expect(localPeriodKey('week', now, tz)).toBe('2026-W11');
    // 2027-01-01 is a Friday: ISO week 53 of 2026. 2026-01-01 (Thursday) is week 1 of 2026.
    expect(localPeriodKey('week', new Date('2027-01-01T04:00:00Z'), tz)).toBe('2026-W53');
    expect(localPeriodKey('week', new Date('2026-01-01T04:00:00Z'), tz)).toBe('2026-W01');
    // 31 Dec 20:00 in New York is already 1 Jan in Shanghai.
    const eve = new Date('2027-01-01T01:00:00Z');
    expect(localPeriodKey('year', eve, 'America/New_York')).toBe('2026');
    expect(localPeriodKey('year', eve, tz)).toBe('2027');
  });
});
