import type { ValidationIssue } from '../model/types.ts';
import { cdrs, cdrsInputs } from './cdrs.ts';
import { chinaPar, chinaParInputs } from './chinaPar.ts';
import { ckdEpi2021, ckdEpi2021Inputs } from './ckdEpi2021.ts';
import { findrisc, findriscInputs } from './findrisc.ts';
import { framingham2008, framingham2008Inputs } from './framingham2008.ts';
import { describeInputs, type RiskInputSpec } from './riskInputs.ts';
import type { RiskResult } from './riskResult.ts';

/** A risk score as callers (profile engine, `careloop risk`) see it: documented inputs and one compute. */
export interface RiskModel {
  id: string;
  describe: string;
  inputs: Record<string, RiskInputSpec>;
  compute(input: Record<string, unknown>): RiskResult | { ok: false; issues: ValidationIssue[] };
}

export const riskModels: Record<string, RiskModel> = {
  'china-par': {
    id: 'china-par',
    describe:
      'China-PAR 10-year ASCVD risk (%), Yang et al., Circulation 2016. Bands: < 5 % low, 5–< 10 % medium, ≥ 10 % high.',
    inputs: describeInputs(chinaParInputs),
    compute: chinaPar,
  },
  'framingham-2008': {
    id: 'framingham-2008',
    describe:
      "Framingham general CVD 10-year risk (%), D'Agostino et al., Circulation 2008. No published bands.",
    inputs: describeInputs(framingham2008Inputs),
    compute: framingham2008,
  },
  findrisc: {
    id: 'findrisc',
    describe:
      'FINDRISC type 2 diabetes risk score (points), Lindström & Tuomilehto, Diabetes Care 2003. Bands: < 7 low, 7–11 slightly elevated, 12–14 moderate, 15–20 high, > 20 very high.',
    inputs: describeInputs(findriscInputs),
    compute: findrisc,
  },
  cdrs: {
    id: 'cdrs',
    describe:
      'Chinese Diabetes Risk Score (points), Zhou et al., Diabetes Care 2013 / 中国2型糖尿病防治指南 2020. ≥ 25 high risk (OGTT recommended).',
    inputs: describeInputs(cdrsInputs),
    compute: cdrs,
  },
  'ckd-epi-2021': {
    id: 'ckd-epi-2021',
    describe:
      'eGFR by CKD-EPI 2021 creatinine equation without race (mL/min/1.73m²), Inker et al., NEJM 2021. Banded G1–G5 (KDIGO 2012).',
    inputs: describeInputs(ckdEpi2021Inputs),
    compute: ckdEpi2021,
  },
};
