import type { Bilingual, RuleRef } from './guideline.ts';
import { classifyByThresholds, type Threshold } from './thresholds.ts';

const cnDm2020 =
  '中国2型糖尿病防治指南 2020年版 (Guideline for the prevention and treatment of type 2 diabetes mellitus in China)';

/** 2020 guideline, Table 3 (glucose metabolism states, WHO 1999): IFG, IGT, diabetes range. */
export const glucoseMetabolismRule: RuleRef = {
  id: 'cn-dm-2020/glucose-status',
  guideline: cnDm2020,
  year: 2020,
  section:
    '表3 糖代谢状态分类: 空腹血糖 <6.1 正常, 6.1–<7.0 空腹血糖受损, ≥7.0; 糖负荷后2h血糖 <7.8 正常, 7.8–<11.1 糖耐量异常, ≥11.1 mmol/L',
};

/**
 * 2020 guideline, Table 4 (diagnostic criteria): FPG ≥ 7.0, 2-h OGTT ≥ 11.1, HbA1c ≥ 6.5 %, or random
 * glucose ≥ 11.1 with typical symptoms; without symptoms a result must be confirmed on another day
 * (改日复查确认). Two different tests in the diabetes range from the same day also confirm (ADA
 * Standards of Care 2020, §2 — the Chinese guideline adopts the ADA criteria here).
 */
export const diabetesRule: RuleRef = {
  id: 'cn-dm-2020/diabetes',
  guideline: cnDm2020,
  year: 2020,
  section:
    '表4 糖尿病的诊断标准: 空腹血糖 ≥7.0, OGTT 2h ≥11.1, 随机血糖 ≥11.1 (伴典型症状), HbA1c ≥6.5%; 无典型症状者需改日复查确认',
};

/** Prediabetes = impaired fasting glucose and/or impaired glucose tolerance (Table 3). */
export const prediabetesRule: RuleRef = {
  id: 'cn-dm-2020/prediabetes',
  guideline: cnDm2020,
  year: 2020,
  section:
    '表3 糖代谢状态分类: 空腹血糖受损 (IFG) 6.1–<7.0 和/或 糖耐量异常 (IGT) 7.8–<11.1 mmol/L 为糖尿病前期',
};

export type GlucoseClass = 'normal' | 'ifg' | 'igt' | 'diabetes-range' | 'below-diabetes-range';

/** Thresholds per indicator (mmol/L, HbA1c %). Random glucose only has the diabetes-range cut point. */
export const glycaemiaThresholds: Record<
  'fpg' | 'ogtt_2h' | 'hba1c' | 'glucose',
  readonly Threshold<GlucoseClass>[]
> = {
  fpg: [
    { cls: 'diabetes-range', op: '>=', value: 7.0 },
    { cls: 'ifg', op: '>=', value: 6.1 },
  ],
  ogtt_2h: [
    { cls: 'diabetes-range', op: '>=', value: 11.1 },
    { cls: 'igt', op: '>=', value: 7.8 },
  ],
  hba1c: [{ cls: 'diabetes-range', op: '>=', value: 6.5 }],
  glucose: [{ cls: 'diabetes-range', op: '>=', value: 11.1 }],
};

/** null for indicators the glucose tables do not classify. */
export function classifyGlycaemia(indicatorId: string, value: number): GlucoseClass | null {
  switch (indicatorId) {
    case 'fpg':
    case 'ogtt_2h':
    case 'hba1c':
      return classifyByThresholds(glycaemiaThresholds[indicatorId], 'normal', value);
    case 'glucose':
      return classifyByThresholds(glycaemiaThresholds.glucose, 'below-diabetes-range', value);
    default:
      return null;
  }
}

/** Tests whose single result can count towards the diabetes confirmation (random glucose cannot without symptoms). */
export const diabetesConfirmingIndicators = ['fpg', 'ogtt_2h', 'hba1c'] as const;

export const glucoseClassLabels: Record<GlucoseClass, Bilingual> = {
  normal: { 'zh-CN': '血糖在正常范围', en: 'Glucose in the normal range' },
  ifg: {
    'zh-CN': '空腹血糖处于受损范围 (6.1–7.0)',
    en: 'Fasting glucose in the impaired range (6.1–7.0)',
  },
  igt: {
    'zh-CN': '糖负荷后血糖处于糖耐量异常范围',
    en: 'Post-load glucose in the impaired-tolerance range',
  },
  'diabetes-range': {
    'zh-CN': '血糖读数处于糖尿病诊断范围，请与医生确认',
    en: 'Glucose reading in the diabetes range — please confirm with your doctor',
  },
  'below-diabetes-range': {
    'zh-CN': '随机血糖低于 11.1 mmol/L',
    en: 'Random glucose below 11.1 mmol/L',
  },
};
