import type { Bilingual, RuleRef } from './guideline.ts';
import { meetsThreshold } from './thresholds.ts';

const cnHtn2018 =
  '中国高血压防治指南 2018年修订版 (Chinese Guidelines for the Management of Hypertension)';

/** 中国高血压防治指南 2018 (cut points unchanged in the 2024 revision), Table 3: office BP classes. */
export const bpClassRule: RuleRef = {
  id: 'cn-htn-2018/bp-class',
  guideline: cnHtn2018,
  year: 2018,
  section: '表3 血压水平分类和定义 (Table 3, classification of office blood pressure)',
};

export type BpClass = 'normal' | 'high-normal' | 'grade-1' | 'grade-2' | 'grade-3';

/** Lower bounds (mmHg) of each class; a reading takes the higher class of its SBP and its DBP. */
export const bpClassThresholds: readonly { cls: BpClass; sbp: number; dbp: number }[] = [
  { cls: 'grade-3', sbp: 180, dbp: 110 },
  { cls: 'grade-2', sbp: 160, dbp: 100 },
  { cls: 'grade-1', sbp: 140, dbp: 90 },
  { cls: 'high-normal', sbp: 120, dbp: 80 },
];

export interface BpClassification {
  cls: BpClass;
  /** SBP ≥ 140 with DBP < 90: 单纯收缩期高血压. */
  isolatedSystolic: boolean;
  /** In the hypertensive range (grade 1 or above). */
  hypertensive: boolean;
}

export function classifyBloodPressure(sbp: number, dbp: number): BpClassification {
  let cls: BpClass = 'normal';
  for (const t of bpClassThresholds) {
    if (sbp >= t.sbp || dbp >= t.dbp) {
      cls = t.cls;
      break;
    }
  }
  return {
    cls,
    isolatedSystolic: sbp >= 140 && dbp < 90,
    hypertensive: sbp >= 140 || dbp >= 90,
  };
}

export const bpClassLabels: Record<BpClass, Bilingual> = {
  normal: { 'zh-CN': '血压正常', en: 'Normal blood pressure' },
  'high-normal': { 'zh-CN': '正常高值', en: 'High-normal blood pressure' },
  'grade-1': {
    'zh-CN': '血压读数处于1级高血压范围',
    en: 'Reading in the grade 1 hypertension range',
  },
  'grade-2': {
    'zh-CN': '血压读数处于2级高血压范围',
    en: 'Reading in the grade 2 hypertension range',
  },
  'grade-3': {
    'zh-CN': '血压读数处于3级高血压范围',
    en: 'Reading in the grade 3 hypertension range',
  },
};

/** Where a reading was taken: the hypertension thresholds differ by setting. */
export type BpSetting = 'office' | 'home' | 'ambulatory';

/** 中国高血压防治指南 2018, 诊断性评估 — 血压测量: office, home and 24-h ambulatory thresholds. */
export const hypertensionThresholdRule: RuleRef = {
  id: 'cn-htn-2018/thresholds-by-setting',
  guideline: cnHtn2018,
  year: 2018,
  section:
    '诊断性评估·血压测量: 诊室 ≥140/90, 家庭 ≥135/85, 24小时动态 ≥130/80 mmHg (office, home and 24-h ambulatory thresholds)',
};

/** SBP and/or DBP at or above these (mmHg) is in the hypertensive range for that setting. */
export const hypertensionThresholds: Record<BpSetting, { sbp: number; dbp: number }> = {
  office: { sbp: 140, dbp: 90 },
  home: { sbp: 135, dbp: 85 },
  ambulatory: { sbp: 130, dbp: 80 },
};

/** Either half may be missing (a lone systolic value still counts: the rule is "and/or"). */
export function inHypertensiveRange(
  setting: BpSetting,
  sbp: number | null | undefined,
  dbp: number | null | undefined,
): boolean {
  const t = hypertensionThresholds[setting];
  return (
    (sbp != null && meetsThreshold(sbp, '>=', t.sbp)) ||
    (dbp != null && meetsThreshold(dbp, '>=', t.dbp))
  );
}

/**
 * Confirmation before the profile tags hypertension from office readings. The guideline asks for
 * readings on separate days (非同日测量); the product asks for 2 separate local days (issue 3) and
 * says "elevated reading — confirm" until then. Home readings confirm by their mean over ≥ 3 days
 * of a 7-day span, ambulatory readings by the mean of one recording day.
 */
export const hypertensionConfirmationRule: RuleRef = {
  id: 'cn-htn-2018/confirmation',
  guideline: cnHtn2018,
  year: 2018,
  section:
    '诊断性评估: 非同日测量诊室血压 ≥140/90 mmHg; 家庭血压平均值 ≥135/85; 24小时动态血压平均值 ≥130/80 (diagnosis needs readings on separate days)',
};

export const hypertensionConfirmation = {
  /** Separate local days with an office reading in the hypertensive range. */
  officeDays: 2,
  /** Days with home readings needed inside one 7-day span, whose mean is then compared. */
  homeDays: 3,
  homeSpanDays: 7,
} as const;

/** 2018 guideline: someone with a history of hypertension on antihypertensives is still hypertensive when BP < 140/90. */
export const treatedHypertensionRule: RuleRef = {
  id: 'cn-htn-2018/treated',
  guideline: cnHtn2018,
  year: 2018,
  section:
    '高血压定义: 既往有高血压史, 目前正在使用降压药物, 血压虽低于140/90 mmHg, 仍应诊断为高血压',
};
