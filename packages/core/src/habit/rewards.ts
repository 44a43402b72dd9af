import type { LocalizedText } from '../programs/programDefinition.ts';
import type { ValidationIssue } from '../model/types.ts';
import { isValidTimeZone, localPeriodKey, type CalendarPeriod } from './localDays.ts';
import type { PointsEntry } from './pointsLedger.ts';
import { tierById, tierRank, type TierId } from './tiers.ts';

/**
 * The rewards catalogue. Seed 003: a discount coupon drew under 5% of members, a personalised
 * report with a specialist's interpretation 38% — in health care the reward that works carries
 * knowledge and authority. So the catalogue holds courses, professional reviews and reports, not
 * promotions (no promotion disguised as care). Items are data; operators tune them here.
 */

export type RewardKind = 'knowledge' | 'professional-service' | 'report';

export interface RewardDefinition {
  id: string;
  kind: RewardKind;
  title: LocalizedText;
  description: LocalizedText;
  /** Points it costs. */
  cost: number;
  /** How many exist in total, or null for unlimited (digital content). */
  stock: number | null;
  /** How often one member may redeem it, per local calendar period; null = no limit. */
  limit: { count: number; per: CalendarPeriod } | null;
  /** Lowest tier that may redeem it, or null for every member. */
  minTier: TierId | null;
  active: boolean;
}

export const rewardCatalogue: readonly RewardDefinition[] = [
  {
    id: 'bp-self-management-course',
    kind: 'knowledge',
    title: {
      'zh-CN': '本月专题微课：家庭血压管理',
      en: 'Course of the month: managing blood pressure at home',
    },
    description: {
      'zh-CN': '三甲医院心内科医生主讲的系列微课，每月一讲，讲透一个知识点并配 3 个生活场景。',
      en: 'A monthly short course by a cardiologist from a tertiary hospital: one knowledge point, explained through three everyday scenarios.',
    },
    cost: 100,
    stock: null,
    limit: { count: 1, per: 'month' },
    minTier: null,
    active: true,
  },
  {
    id: 'bp-monitor-calibration',
    kind: 'professional-service',
    title: { 'zh-CN': '家用血压计免费校准', en: 'Free home blood-pressure monitor calibration' },
    description: {
      'zh-CN': '在合作门店由专业人员校准您的家用血压计，让每一次测量都更可信。',
      en: 'A professional checks and calibrates your home monitor at a partner store, so every reading can be trusted.',
    },
    cost: 200,
    stock: null,
    limit: { count: 1, per: 'year' },
    minTier: null,
    active: true,
  },
  {
    id: 'dietitian-diet-review',
    kind: 'professional-service',
    title: { 'zh-CN': '营养师点评一周饮食', en: 'A dietitian reviews your week of meals' },
    description: {
      'zh-CN': '上传一周饮食记录，注册营养师给出书面点评和调整建议。',
      en: 'Upload a week of meals; a registered dietitian sends written feedback and practical suggestions.',
    },
    cost: 300,
    stock: 200,
    limit: { count: 1, per: 'month' },
    minTier: null,
    active: true,
  },
  {
    id: 'dietitian-consultation',
    kind: 'professional-service',
    title: {
      'zh-CN': '1 对 1 营养师视频咨询（30 分钟）',
      en: 'One-to-one video consultation with a dietitian (30 min)',
    },
    description: {
      'zh-CN': '与注册营养师一对一视频沟通，结合您的健康档案制定饮食方案。',
      en: 'A one-to-one video call with a registered dietitian who plans your diet with your health record in view.',
    },
    cost: 800,
    stock: 50,
    limit: { count: 1, per: 'quarter' },
    minTier: 'gold',
    active: true,
  },
  {
    id: 'expert-health-report',
    kind: 'report',
    title: {
      'zh-CN': '个性化健康报告 + 三甲专家解读',
      en: 'Personalised health report with a specialist’s interpretation',
    },
    description: {
      'zh-CN': '基于您的全部健康数据生成个性化报告，并由三甲医院专家在线一对一解读。',
      en: 'A personal report built from all your health data, explained one-to-one online by a specialist from a tertiary hospital.',
    },
    cost: 1500,
    stock: 20,
    limit: { count: 1, per: 'year' },
    minTier: null,
    active: true,
  },
];

export function rewardById(
  id: string,
  catalogue: readonly RewardDefinition[] = rewardCatalogue,
): RewardDefinition | undefined {
  return catalogue.find((r) => r.id === id);
}

/** Checks a catalogue item's data; the server refuses to seed an invalid one. */
export function validateReward(r: RewardDefinition, path = 'reward'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(r.id))
    issues.push({ path: `${path}.id`, message: 'expected lower-case letters, digits and dashes' });
  if (!Number.isInteger(r.cost) || r.cost <= 0)
    issues.push({ path: `${path}.cost`, message: 'expected a positive whole number of points' });
  if (r.stock !== null && (!Number.isInteger(r.stock) || r.stock < 0))
    issues.push({ path: `${path}.stock`, message: 'expected null (unlimited) or a count ≥ 0' });
  if (r.limit !== null && (!Number.isInteger(r.limit.count) || r.limit.count < 1))
    issues.push({ path: `${path}.limit.count`, message: 'expected a count ≥ 1' });
  for (const field of ['title', 'description'] as const)
    for (const locale of ['zh-CN', 'en'] as const)
      if (!r[field]?.[locale])
        issues.push({ path: `${path}.${field}.${locale}`, message: 'missing translation' });
  return issues;
}

export type RedemptionRefusalReason =
  'reward-inactive' | 'tier-too-low' | 'period-limit' | 'out-of-stock' | 'insufficient-balance';

export interface RedemptionRefusal {
  reason: RedemptionRefusalReason;
  /** For the member, in both locales. */
  message: LocalizedText;
}

export interface RedemptionRequest {
  reward: RewardDefinition;
  /** The member's spendable balance now (pointsBalance). */
  balance: number;
  tier: TierId;
  /** Instants of the member's earlier, not cancelled, redemptions of this reward. */
  previousRedemptions: readonly string[];
  /** Not-cancelled redemptions of this reward by all members (for the stock). */
  redeemedCount: number;
  now: Date;
  timeZone: string;
}

export type RedemptionDecision =
  { ok: true; periodKey: string | null } | { ok: false; refusals: RedemptionRefusal[] };

const periodWords: Record<CalendarPeriod, LocalizedText> = {
  day: { 'zh-CN': '每天', en: 'per day' },
  week: { 'zh-CN': '每周', en: 'per week' },
  month: { 'zh-CN': '每月', en: 'per month' },
  quarter: { 'zh-CN': '每季度', en: 'per quarter' },
  year: { 'zh-CN': '每年', en: 'per year' },
};

/**
 * Whether the member may redeem the reward now. Every failed rule is reported (in this order:
 * inactive, tier, period limit, stock, balance), so the app can say exactly what is missing.
 * Periods are the member's local calendar periods.
 */
export function decideRedemption(req: RedemptionRequest): RedemptionDecision {
  const { reward, now, timeZone } = req;
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
  const refusals: RedemptionRefusal[] = [];
  if (!reward.active)
    refusals.push({
      reason: 'reward-inactive',
      message: { 'zh-CN': '该奖励已下架。', en: 'This reward is no longer offered.' },
    });
  if (reward.minTier !== null && tierRank(req.tier) < tierRank(reward.minTier)) {
    const need = tierById(reward.minTier).name;
    refusals.push({
      reason: 'tier-too-low',
      message: {
        'zh-CN': `该奖励需${need['zh-CN']}及以上等级。`,
        en: `This reward needs ${need.en} level or above.`,
      },
    });
  }
  const key = reward.limit ? localPeriodKey(reward.limit.per, now, timeZone) : null;
  if (reward.limit && key !== null) {
    const per = reward.limit.per;
    const used = req.previousRedemptions.filter(
      (at) => localPeriodKey(per, new Date(at), timeZone) === key,
    ).length;
    if (used >= reward.limit.count)
      refusals.push({
        reason: 'period-limit',
        message: {
          'zh-CN': `该奖励${periodWords[per]['zh-CN']}限兑 ${reward.limit.count} 次，本期已兑换。`,
          en: `This reward can be redeemed ${reward.limit.count}× ${periodWords[per].en}; you have already redeemed it this period.`,
        },
      });
  }
  if (reward.stock !== null && req.redeemedCount >= reward.stock)
    refusals.push({
      reason: 'out-of-stock',
      message: { 'zh-CN': '该奖励已兑完。', en: 'This reward is out of stock.' },
    });
  if (req.balance < reward.cost)
    refusals.push({
      reason: 'insufficient-balance',
      message: {
        'zh-CN': `积分不足：需要 ${reward.cost} 分，当前 ${req.balance} 分。`,
        en: `Not enough points: it needs ${reward.cost}, you have ${req.balance}.`,
      },
    });
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, periodKey: key };
}

/** The ledger entry a redemption appends (keyed by the client's id: a retry spends nothing twice). */
export function redemptionEntry(
  reward: RewardDefinition,
  clientId: string,
  now: Date,
): PointsEntry {
  return {
    key: `redeem:${clientId}`,
    kind: 'redeem',
    points: -reward.cost,
    at: now.toISOString(),
    reason: { kind: 'reward', rewardId: reward.id, clientId },
  };
}
