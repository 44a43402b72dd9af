import type { Bilingual, RuleRef } from './guideline.ts';
import { classifyByThresholds, type Threshold } from './thresholds.ts';

const kdigo2012 =
  'KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney Disease';

/** KDIGO 2012, recommendation 1.2.4 (Table 5): GFR categories (mL/min/1.73 m²). */
export const gfrCategoryRule: RuleRef = {
  id: 'kdigo-2012/gfr-category',
  guideline: kdigo2012,
  year: 2012,
  section:
    'Rec. 1.2.4, Table 5 GFR categories: G1 ≥90, G2 60–89, G3a 45–59, G3b 30–44, G4 15–29, G5 <15',
};

/** KDIGO 2012, recommendation 1.2.5 (Table 7): albuminuria categories by urine ACR. */
export const albuminuriaCategoryRule: RuleRef = {
  id: 'kdigo-2012/albuminuria-category',
  guideline: kdigo2012,
  year: 2012,
  section:
    'Rec. 1.2.5, Table 7 albuminuria categories: A1 <30, A2 30–300, A3 >300 mg/g (<3, 3–30, >30 mg/mmol)',
};

/** KDIGO 2012, 1.1.1: CKD = abnormal kidney structure or function present for > 3 months. */
export const ckdRule: RuleRef = {
  id: 'kdigo-2012/ckd-definition',
  guideline: kdigo2012,
  year: 2012,
  section: 'Rec. 1.1.1 definition: GFR <60 or albuminuria (ACR ≥30 mg/g) present for >3 months',
};

export type GfrCategory = 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5';
export type AlbuminuriaCategory = 'A1' | 'A2' | 'A3';

export const gfrThresholds: readonly Threshold<GfrCategory>[] = [
  { cls: 'G1', op: '>=', value: 90 },
  { cls: 'G2', op: '>=', value: 60 },
  { cls: 'G3a', op: '>=', value: 45 },
  { cls: 'G3b', op: '>=', value: 30 },
  { cls: 'G4', op: '>=', value: 15 },
];

export function classifyGfr(egfr: number): GfrCategory {
  return classifyByThresholds(gfrThresholds, 'G5', egfr);
}

/** Table 7 prints both unit systems; each is applied in its own unit rather than converted (3 mg/mmol ≈ 26.5 mg/g). */
export const albuminuriaThresholds: Record<
  'mg/g' | 'mg/mmol',
  readonly Threshold<AlbuminuriaCategory>[]
> = {
  'mg/g': [
    { cls: 'A3', op: '>', value: 300 },
    { cls: 'A2', op: '>=', value: 30 },
  ],
  'mg/mmol': [
    { cls: 'A3', op: '>', value: 30 },
    { cls: 'A2', op: '>=', value: 3 },
  ],
};

export function classifyAlbuminuria(acr: number, unit: 'mg/g' | 'mg/mmol'): AlbuminuriaCategory {
  return classifyByThresholds(albuminuriaThresholds[unit], 'A1', acr);
}

/** Kidney markers that count towards the CKD definition. */
export const ckdMarkers = { egfrBelow: 60, acrMgPerGAtLeast: 30, persistenceDays: 90 } as const;

export const gfrCategoryLabels: Record<GfrCategory, Bilingual> = {
  G1: { 'zh-CN': 'eGFR 正常或升高 (G1)', en: 'eGFR normal or high (G1)' },
  G2: { 'zh-CN': 'eGFR 轻度下降 (G2)', en: 'eGFR mildly decreased (G2)' },
  G3a: { 'zh-CN': 'eGFR 轻到中度下降 (G3a)', en: 'eGFR mildly to moderately decreased (G3a)' },
  G3b: { 'zh-CN': 'eGFR 中到重度下降 (G3b)', en: 'eGFR moderately to severely decreased (G3b)' },
  G4: { 'zh-CN': 'eGFR 重度下降 (G4)', en: 'eGFR severely decreased (G4)' },
  G5: { 'zh-CN': 'eGFR 极低 (G5)', en: 'eGFR very low (G5)' },
};

export const albuminuriaCategoryLabels: Record<AlbuminuriaCategory, Bilingual> = {
  A1: {
    'zh-CN': '尿白蛋白/肌酐比值正常或轻度升高 (A1)',
    en: 'Urine ACR normal to mildly increased (A1)',
  },
  A2: { 'zh-CN': '尿白蛋白/肌酐比值中度升高 (A2)', en: 'Urine ACR moderately increased (A2)' },
  A3: { 'zh-CN': '尿白蛋白/肌酐比值重度升高 (A3)', en: 'Urine ACR severely increased (A3)' },
};
