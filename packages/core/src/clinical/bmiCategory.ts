import type { RuleRef } from './guideline.ts';

/** WS/T 428-2013 成人体重判定 (Criteria of weight for adults, China), Table 1. */
export const bmiCategoryRule: RuleRef = {
  id: 'ws-t-428-2013/bmi-category',
  guideline: 'WS/T 428-2013 成人体重判定 (Criteria of weight for adults)',
  year: 2013,
  section: '表1 成人体重分类 (Table 1, BMI categories)',
};

export type BmiCategory = 'underweight' | 'normal' | 'overweight' | 'obese';

export function classifyBmi(bmi: number): BmiCategory {
  if (bmi < 18.5) return 'underweight';
  if (bmi < 24) return 'normal';
  if (bmi < 28) return 'overweight';
  return 'obese';
}

/** BMI = weight (kg) / height (m)²; rounded to one decimal as reports print it. */
export function computeBmi(weightKg: number, heightCm: number): number {
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

export const bmiCategoryLabels: Record<BmiCategory, { 'zh-CN': string; en: string }> = {
  underweight: { 'zh-CN': '体重过低', en: 'Underweight' },
  normal: { 'zh-CN': '体重正常', en: 'Normal weight' },
  overweight: { 'zh-CN': '超重', en: 'Overweight' },
  obese: { 'zh-CN': '肥胖', en: 'Obesity' },
};
