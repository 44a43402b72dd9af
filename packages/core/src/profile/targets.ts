import type { RuleRef } from '../clinical/guideline.ts';

/** Target ranges used for "time in target range" (canonical units). */
export interface TargetRange {
  low?: number;
  high?: number;
  rule: RuleRef;
}

const htnTarget: RuleRef = {
  id: 'cn-htn-2018/target',
  guideline: '中国高血压防治指南 2018年修订版',
  year: 2018,
  section: '降压目标: 一般高血压患者 <140/90 mmHg',
};

export const targetRanges: Record<string, TargetRange> = {
  sbp: { high: 139, rule: htnTarget },
  dbp: { high: 89, rule: htnTarget },
  glucose: {
    low: 3.9,
    high: 10.0,
    rule: {
      id: 'atttd-2019/time-in-range',
      guideline:
        'International Consensus on Time in Range (Battelino et al., Diabetes Care 2019;42:1593–1603)',
      year: 2019,
      section: 'Table 1: target range 3.9–10.0 mmol/L',
    },
  },
  fpg: {
    low: 4.4,
    high: 7.0,
    rule: {
      id: 'cn-dm-2020/fpg-target',
      guideline: '中国2型糖尿病防治指南 2020年版',
      year: 2020,
      section: '表 综合控制目标: 空腹血糖 4.4–7.0 mmol/L',
    },
  },
};

export function inTargetRange(indicatorId: string, v: number): boolean {
  const t = targetRanges[indicatorId];
  if (!t) return false;
  return (t.low === undefined || v >= t.low) && (t.high === undefined || v <= t.high);
}

export const trendRule: RuleRef = {
  id: 'careloop/trend-mann-kendall',
  guideline:
    'Mann–Kendall trend test with Theil–Sen slope (Hirsch, Slack & Smith, Water Resour Res 1982; Sen, JASA 1968)',
  year: 1982,
  section:
    'two-sided p < 0.05 on weekly means of the 13 completed weeks, or on successive checkup results',
};

export const yearOverYearRule: RuleRef = {
  id: 'careloop/year-over-year',
  guideline: 'CareLoop profile: comparison with the result about one year earlier (9–15 months)',
  year: 2025,
  section: 'latest result vs the result closest to 12 months before it',
};
