import type { Bilingual, RuleRef } from './guideline.ts';
import { classifyByThresholds, type Threshold } from './thresholds.ts';

/** WS/T 428-2013 成人体重判定 (Criteria of weight for adults, China), Table 1. */
export const bmiCategoryRule: RuleRef = {
  id: 'ws-t-428-2013/bmi-category',
  guideline: 'WS/T 428-2013 成人体重判定 (Criteria of weight for adults)',
  year: 2013,
  section: '表1 成人体重分类 (Table 1, BMI categories)',
};

export type BmiCategory = 'underweight' | 'normal' | 'overweight' | 'obese';

/** WS/T 428-2013 Table 1 (kg/m²): < 18.5 / 18.5–< 24 / 24–< 28 / ≥ 28. */
export const bmiThresholds: readonly Threshold<BmiCategory>[] = [
  { cls: 'underweight', op: '<', value: 18.5 },
  { cls: 'normal', op: '<', value: 24 },
  { cls: 'overweight', op: '<', value: 28 },
];

export function classifyBmi(bmi: number): BmiCategory {
  return classifyByThresholds(bmiThresholds, 'obese', bmi);
}

/** BMI = weight (kg) / height (m)²; rounded to one decimal as reports print it. */
export function computeBmi(weightKg: number, heightCm: number): number {
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

export const bmiCategoryLabels: Record<BmiCategory, Bilingual> = {
  underweight: { 'zh-CN': '体重过低', en: 'Underweight' },
  normal: { 'zh-CN': '体重正常', en: 'Normal weight' },
  overweight: { 'zh-CN': '超重', en: 'Overweight' },
  obese: { 'zh-CN': '肥胖', en: 'Obesity' },
};

/** WS/T 428-2013 Table 2: central obesity by waist circumference. */
export const centralObesityRule: RuleRef = {
  id: 'ws-t-428-2013/central-obesity',
  guideline: 'WS/T 428-2013 成人体重判定 (Criteria of weight for adults)',
  year: 2013,
  section:
    '表2 成人中心型肥胖分类: 中心型肥胖前期 男 85–<90 cm, 女 80–<85 cm; 中心型肥胖 男 ≥90 cm, 女 ≥85 cm (Table 2, central obesity)',
};

export type WaistClass = 'normal' | 'pre-central-obesity' | 'central-obesity';

/** WS/T 428-2013 Table 2, waist circumference (cm) by sex. */
export const waistThresholds: Record<'male' | 'female', readonly Threshold<WaistClass>[]> = {
  male: [
    { cls: 'central-obesity', op: '>=', value: 90 },
    { cls: 'pre-central-obesity', op: '>=', value: 85 },
  ],
  female: [
    { cls: 'central-obesity', op: '>=', value: 85 },
    { cls: 'pre-central-obesity', op: '>=', value: 80 },
  ],
};

/** null when the sex is not male/female: the table has no threshold to apply. */
export function classifyWaist(sex: string, waistCm: number): WaistClass | null {
  if (sex !== 'male' && sex !== 'female') return null;
  return classifyByThresholds(waistThresholds[sex], 'normal', waistCm);
}

export function isCentralObesity(sex: string, waistCm: number): boolean | null {
  const cls = classifyWaist(sex, waistCm);
  return cls === null ? null : cls === 'central-obesity';
}
