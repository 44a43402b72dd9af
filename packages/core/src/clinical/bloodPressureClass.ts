import type { RuleRef } from './guideline.ts';

/** 中国高血压防治指南 2018 (cut points unchanged in the 2024 revision), Table 3: office BP classes. */
export const bpClassRule: RuleRef = {
  id: 'cn-htn-2018/bp-class',
  guideline: '中国高血压防治指南 2018年修订版 (Chinese Guidelines for the Management of Hypertension)',
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

export const bpClassLabels: Record<BpClass, { 'zh-CN': string; en: string }> = {
  normal: { 'zh-CN': '血压正常', en: 'Normal blood pressure' },
  'high-normal': { 'zh-CN': '正常高值', en: 'High-normal blood pressure' },
  'grade-1': { 'zh-CN': '血压读数处于1级高血压范围', en: 'Reading in the grade 1 hypertension range' },
  'grade-2': { 'zh-CN': '血压读数处于2级高血压范围', en: 'Reading in the grade 2 hypertension range' },
  'grade-3': { 'zh-CN': '血压读数处于3级高血压范围', en: 'Reading in the grade 3 hypertension range' },
};
