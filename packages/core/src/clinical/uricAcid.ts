import type { RuleRef } from './guideline.ts';
import { meetsThreshold } from './thresholds.ts';

/** 中国高尿酸血症与痛风诊疗指南 (2019): 非同日2次血尿酸 > 420 µmol/L (both sexes). */
export const hyperuricemiaRule: RuleRef = {
  id: 'cn-hua-2019/hyperuricemia',
  guideline: '中国高尿酸血症与痛风诊疗指南 (2019) (Chinese guideline for hyperuricemia and gout)',
  year: 2019,
  section: '高尿酸血症诊断: 无论男性还是女性, 非同日2次血尿酸水平 >420 µmol/L',
};

export const hyperuricemiaThreshold = { op: '>' as const, value: 420, separateDays: 2 };

export function isUricAcidAboveThreshold(umolL: number): boolean {
  return meetsThreshold(umolL, hyperuricemiaThreshold.op, hyperuricemiaThreshold.value);
}
