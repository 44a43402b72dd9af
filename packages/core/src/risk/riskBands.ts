import type { Bilingual } from '../clinical/guideline.ts';
import { classifyByThresholds, type Threshold } from '../clinical/thresholds.ts';

/** A published banding of a score: ordered cut points (first match wins), the fallback band, and wording. */
export interface RiskBanding<B extends string> {
  thresholds: readonly Threshold<B>[];
  otherwise: B;
  labels: Record<B, Bilingual>;
}

export function riskBandOf<B extends string>(banding: RiskBanding<B>, value: number): B {
  return classifyByThresholds(banding.thresholds, banding.otherwise, value);
}

/** Rounds for reporting: the band is taken from the reported value, so what people see and the band agree. */
export function roundRiskValue(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
