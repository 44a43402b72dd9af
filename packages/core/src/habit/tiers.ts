import type { LocalizedText } from '../programs/programDefinition.ts';

/**
 * Membership tiers 银卡 / 金卡 / 钻石卡 (seed 002: "会员成长体系", each tier with its own benefits such as
 * priority consultation, free health monitoring and an offline green channel). A tier is measured
 * on growth points (points EARNED in the last 12 local months, see growthPoints), so redeeming a
 * reward never costs a member their tier. Thresholds and benefits are data: operators tune them here.
 */

export type TierId = 'silver' | 'gold' | 'diamond';

export interface TierBenefit {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
}

export interface TierDefinition {
  id: TierId;
  name: LocalizedText;
  /** Growth points needed (inclusive). The lowest tier starts at 0: every member has a tier. */
  minGrowthPoints: number;
  /** Benefits this tier adds to those of the tiers below it. */
  benefits: readonly TierBenefit[];
}

/** Ordered from the lowest tier to the highest. */
export const memberTiers: readonly TierDefinition[] = [
  {
    id: 'silver',
    name: { 'zh-CN': '银卡会员', en: 'Silver member' },
    minGrowthPoints: 0,
    benefits: [
      {
        id: 'points-for-health-actions',
        title: { 'zh-CN': '健康行为积分', en: 'Points for health actions' },
        description: {
          'zh-CN': '完成测量、服药、学习等健康任务即得积分，可兑换知识课程和专业服务。',
          en: 'Earn points for every health task — measuring, medication, learning — and redeem them for courses and professional services.',
        },
      },
      {
        id: 'weekly-knowledge-card',
        title: { 'zh-CN': '每周健康知识卡', en: 'Weekly health knowledge card' },
        description: {
          'zh-CN': '每周 1 个依据临床指南的核心知识点 + 3 个生活场景应用，由健康管理团队审核。',
          en: 'One guideline-based knowledge point a week with three everyday scenarios, reviewed by your care team.',
        },
      },
    ],
  },
  {
    id: 'gold',
    name: { 'zh-CN': '金卡会员', en: 'Gold member' },
    minGrowthPoints: 800,
    benefits: [
      {
        id: 'priority-consultation',
        title: { 'zh-CN': '线上问诊绿色通道', en: 'Priority consultation channel' },
        description: {
          'zh-CN':
            '线上问诊优先接诊（绿色通道），健康管理师优先响应您的咨询；临床紧急情况始终最先处理。',
          en: 'Your online consultations are seen first (绿色通道, green channel) and your health manager answers you first; clinical emergencies always come before any tier.',
        },
      },
      {
        id: 'quarterly-monitoring',
        title: { 'zh-CN': '每季度免费健康监测', en: 'Free quarterly health monitoring' },
        description: {
          'zh-CN': '每季度一次合作门店免费血压/血糖复核，结果自动同步到您的健康档案。',
          en: 'A free blood-pressure or glucose check at a partner clinic every quarter, synced to your health record.',
        },
      },
    ],
  },
  {
    id: 'diamond',
    name: { 'zh-CN': '钻石卡会员', en: 'Diamond member' },
    minGrowthPoints: 3000,
    benefits: [
      {
        id: 'annual-report-expert-interpretation',
        title: {
          'zh-CN': '个性化年度健康报告 + 专家解读',
          en: 'Personalised annual health report with expert interpretation',
        },
        description: {
          'zh-CN': '每年一份基于您全年数据的个性化健康报告，由三甲医院专家在线一对一解读。',
          en: 'A personal health report built from your year of data, explained one-to-one online by a specialist from a tertiary (三甲) hospital.',
        },
      },
      {
        id: 'offline-green-channel',
        title: { 'zh-CN': '线下就医绿色通道', en: 'Offline green channel' },
        description: {
          'zh-CN': '在合作医院预约检查和复诊时优先安排。',
          en: 'Priority booking for checkups and follow-up visits at partner hospitals.',
        },
      },
    ],
  },
];

export function tierById(id: TierId): TierDefinition {
  const t = memberTiers.find((x) => x.id === id);
  if (!t) throw new RangeError(`unknown tier '${id}'`);
  return t;
}

/** The highest tier whose threshold the growth points reach. */
export function tierFor(
  growth: number,
  tiers: readonly TierDefinition[] = memberTiers,
): TierDefinition {
  let found = tiers[0];
  if (!found) throw new RangeError('no tiers defined');
  for (const t of tiers) if (growth >= t.minGrowthPoints) found = t;
  return found;
}

/** Tier order, lowest 0: compares tiers ("gold or above"). */
export function tierRank(id: TierId, tiers: readonly TierDefinition[] = memberTiers): number {
  return tiers.findIndex((t) => t.id === id);
}

/** Every benefit the tier carries, its own and those of the tiers below it. */
export function benefitsOf(
  id: TierId,
  tiers: readonly TierDefinition[] = memberTiers,
): TierBenefit[] {
  const rank = tierRank(id, tiers);
  return tiers.slice(0, rank + 1).flatMap((t) => t.benefits);
}

export interface TierStatus {
  tier: TierDefinition;
  growthPoints: number;
  /** The next tier and the growth points still needed, or null at the top. */
  next: { tier: TierDefinition; pointsNeeded: number } | null;
}

export function tierStatus(
  growth: number,
  tiers: readonly TierDefinition[] = memberTiers,
): TierStatus {
  const tier = tierFor(growth, tiers);
  const next = tiers[tierRank(tier.id, tiers) + 1];
  return {
    tier,
    growthPoints: growth,
    next: next ? { tier: next, pointsNeeded: next.minGrowthPoints - growth } : null,
  };
}
