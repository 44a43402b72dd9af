import type { Bilingual, RuleRef } from './guideline.ts';
import { classifyByThresholds, type Threshold } from './thresholds.ts';

/**
 * 中国成人血脂异常防治指南 (2016年修订版), Table 3: lipid levels for ASCVD primary prevention. The
 * 2023 中国血脂管理指南 keeps these cut points.
 */
export const lipidRule: RuleRef = {
  id: 'cn-lipid-2016/lipid-levels',
  guideline:
    '中国成人血脂异常防治指南 (2016年修订版) (Chinese guideline for the management of dyslipidemia in adults)',
  year: 2016,
  section:
    '表3 血脂合适水平和异常切点: TC ≥6.2 升高, 5.2–<6.2 边缘升高; LDL-C ≥4.1 升高, 3.4–<4.1 边缘升高, <2.6 理想; HDL-C <1.0 降低; TG ≥2.3 升高, 1.7–<2.3 边缘升高 (mmol/L)',
};

export type LipidClass = 'optimal' | 'desirable' | 'borderline-high' | 'high' | 'low' | 'normal';
export type LipidIndicatorId = 'tc' | 'ldl' | 'hdl' | 'tg';

export const lipidIndicators: readonly LipidIndicatorId[] = ['tc', 'ldl', 'hdl', 'tg'];

export const lipidThresholds: Record<
  LipidIndicatorId,
  { rows: readonly Threshold<LipidClass>[]; otherwise: LipidClass }
> = {
  tc: {
    rows: [
      { cls: 'high', op: '>=', value: 6.2 },
      { cls: 'borderline-high', op: '>=', value: 5.2 },
    ],
    otherwise: 'desirable',
  },
  ldl: {
    rows: [
      { cls: 'high', op: '>=', value: 4.1 },
      { cls: 'borderline-high', op: '>=', value: 3.4 },
      { cls: 'optimal', op: '<', value: 2.6 },
    ],
    otherwise: 'desirable',
  },
  hdl: { rows: [{ cls: 'low', op: '<', value: 1.0 }], otherwise: 'normal' },
  tg: {
    rows: [
      { cls: 'high', op: '>=', value: 2.3 },
      { cls: 'borderline-high', op: '>=', value: 1.7 },
    ],
    otherwise: 'desirable',
  },
};

export function isLipidIndicator(id: string): id is LipidIndicatorId {
  return id === 'tc' || id === 'ldl' || id === 'hdl' || id === 'tg';
}

export function classifyLipid(indicatorId: LipidIndicatorId, mmolL: number): LipidClass {
  const t = lipidThresholds[indicatorId];
  return classifyByThresholds(t.rows, t.otherwise, mmolL);
}

/** Abnormal (升高/降低), as opposed to borderline: these make the dyslipidemia flag. */
export function isAbnormalLipid(cls: LipidClass): boolean {
  return cls === 'high' || cls === 'low';
}

export const lipidClassLabels: Record<LipidClass, Bilingual> = {
  optimal: { 'zh-CN': '理想水平', en: 'Optimal' },
  desirable: { 'zh-CN': '合适水平', en: 'Desirable' },
  'borderline-high': { 'zh-CN': '边缘升高', en: 'Borderline high' },
  high: { 'zh-CN': '升高', en: 'High' },
  low: { 'zh-CN': '降低', en: 'Low' },
  normal: { 'zh-CN': '合适水平', en: 'Desirable' },
};
