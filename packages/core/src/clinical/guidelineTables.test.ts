import { describe, expect, it } from 'vitest';
import { classifyBloodPressure, inHypertensiveRange } from './bloodPressureClass.ts';
import { classifyBmi, classifyWaist, computeBmi, isCentralObesity } from './bmiCategory.ts';
import { classifyGlycaemia } from './glycaemia.ts';
import { classifyLipid, isAbnormalLipid } from './lipids.ts';
import { isUricAcidAboveThreshold } from './uricAcid.ts';
import { classifyAlbuminuria, classifyGfr } from './kidney.ts';

// Every band boundary is checked on both sides: the value at the cut point and just below it.

describe('blood pressure classes — 中国高血压防治指南 2018, 表3 (unchanged in the 2024 revision)', () => {
  it.each([
    // SBP boundaries with a normal DBP
    [119, 70, 'normal'],
    [120, 70, 'high-normal'],
    [139, 70, 'high-normal'],
    [140, 70, 'grade-1'],
    [159, 70, 'grade-1'],
    [160, 70, 'grade-2'],
    [179, 70, 'grade-2'],
    [180, 70, 'grade-3'],
    // DBP boundaries with a normal SBP
    [110, 79, 'normal'],
    [110, 80, 'high-normal'],
    [110, 89, 'high-normal'],
    [110, 90, 'grade-1'],
    [110, 99, 'grade-1'],
    [110, 100, 'grade-2'],
    [110, 109, 'grade-2'],
    [110, 110, 'grade-3'],
    // the higher of the two classes wins
    [165, 95, 'grade-2'],
    [125, 105, 'grade-2'],
  ] as const)('%i/%i mmHg → %s', (sbp, dbp, cls) => {
    expect(classifyBloodPressure(sbp, dbp).cls).toBe(cls);
  });

  it('isolated systolic hypertension: SBP ≥ 140 with DBP < 90 (表3 单纯收缩期高血压)', () => {
    expect(classifyBloodPressure(140, 89).isolatedSystolic).toBe(true);
    expect(classifyBloodPressure(139, 89).isolatedSystolic).toBe(false);
    expect(classifyBloodPressure(140, 90).isolatedSystolic).toBe(false);
    expect(classifyBloodPressure(140, 89).hypertensive).toBe(true);
    expect(classifyBloodPressure(139, 89).hypertensive).toBe(false);
  });

  it.each([
    // 2018 guideline, 诊断性评估: office ≥140/90, home ≥135/85, 24-h ambulatory ≥130/80
    ['office', 140, 60, true],
    ['office', 139, 89, false],
    ['office', 100, 90, true],
    ['home', 135, 60, true],
    ['home', 134, 84, false],
    ['home', 100, 85, true],
    ['ambulatory', 130, 60, true],
    ['ambulatory', 129, 79, false],
    ['ambulatory', 100, 80, true],
  ] as const)('%s %i/%i in the hypertensive range: %s', (setting, sbp, dbp, expected) => {
    expect(inHypertensiveRange(setting, sbp, dbp)).toBe(expected);
  });

  it('a lone half still counts ("and/or")', () => {
    expect(inHypertensiveRange('office', 150, null)).toBe(true);
    expect(inHypertensiveRange('office', null, 85)).toBe(false);
  });
});

describe('BMI and waist — WS/T 428-2013, Tables 1 and 2', () => {
  it.each([
    [18.4, 'underweight'],
    [18.5, 'normal'],
    [23.9, 'normal'],
    [24, 'overweight'],
    [27.9, 'overweight'],
    [28, 'obese'],
  ] as const)('BMI %f → %s', (bmi, cat) => expect(classifyBmi(bmi)).toBe(cat));

  it('BMI from weight and height, one decimal', () => {
    expect(computeBmi(70, 175)).toBe(22.9);
    expect(computeBmi(80, 175)).toBe(26.1);
  });

  it.each([
    ['male', 84.9, 'normal'],
    ['male', 85, 'pre-central-obesity'],
    ['male', 89.9, 'pre-central-obesity'],
    ['male', 90, 'central-obesity'],
    ['female', 79.9, 'normal'],
    ['female', 80, 'pre-central-obesity'],
    ['female', 84.9, 'pre-central-obesity'],
    ['female', 85, 'central-obesity'],
  ] as const)('%s waist %f cm → %s', (sex, waist, cls) =>
    expect(classifyWaist(sex, waist)).toBe(cls),
  );

  it('no waist threshold without a male/female sex', () => {
    expect(classifyWaist('unknown', 100)).toBeNull();
    expect(isCentralObesity('female', 85)).toBe(true);
    expect(isCentralObesity('male', 89.9)).toBe(false);
  });
});

describe('glucose — 中国2型糖尿病防治指南 2020, 表3 and 表4', () => {
  it.each([
    ['fpg', 6.0, 'normal'],
    ['fpg', 6.1, 'ifg'],
    ['fpg', 6.9, 'ifg'],
    ['fpg', 7.0, 'diabetes-range'],
    ['ogtt_2h', 7.7, 'normal'],
    ['ogtt_2h', 7.8, 'igt'],
    ['ogtt_2h', 11.0, 'igt'],
    ['ogtt_2h', 11.1, 'diabetes-range'],
    ['hba1c', 6.4, 'normal'],
    ['hba1c', 6.5, 'diabetes-range'],
    ['glucose', 11.0, 'below-diabetes-range'],
    ['glucose', 11.1, 'diabetes-range'],
  ] as const)('%s %f → %s', (id, v, cls) => expect(classifyGlycaemia(id, v)).toBe(cls));

  it('other indicators are not classified', () => expect(classifyGlycaemia('tc', 5)).toBeNull());
});

describe('lipids — 中国成人血脂异常防治指南 2016, 表3', () => {
  it.each([
    ['tc', 5.19, 'desirable'],
    ['tc', 5.2, 'borderline-high'],
    ['tc', 6.19, 'borderline-high'],
    ['tc', 6.2, 'high'],
    ['ldl', 2.59, 'optimal'],
    ['ldl', 2.6, 'desirable'],
    ['ldl', 3.39, 'desirable'],
    ['ldl', 3.4, 'borderline-high'],
    ['ldl', 4.09, 'borderline-high'],
    ['ldl', 4.1, 'high'],
    ['hdl', 0.99, 'low'],
    ['hdl', 1.0, 'normal'],
    ['tg', 1.69, 'desirable'],
    ['tg', 1.7, 'borderline-high'],
    ['tg', 2.29, 'borderline-high'],
    ['tg', 2.3, 'high'],
  ] as const)('%s %f mmol/L → %s', (id, v, cls) => expect(classifyLipid(id, v)).toBe(cls));

  it('only high/low count as abnormal (borderline does not)', () => {
    expect(isAbnormalLipid('high')).toBe(true);
    expect(isAbnormalLipid('low')).toBe(true);
    expect(isAbnormalLipid('borderline-high')).toBe(false);
  });
});

describe('uric acid — 中国高尿酸血症与痛风诊疗指南 2019: > 420 µmol/L', () => {
  it('strictly above 420', () => {
    expect(isUricAcidAboveThreshold(420)).toBe(false);
    expect(isUricAcidAboveThreshold(421)).toBe(true);
  });
});

describe('kidney — KDIGO 2012, Tables 5 and 7', () => {
  it.each([
    [90, 'G1'],
    [89.9, 'G2'],
    [60, 'G2'],
    [59.9, 'G3a'],
    [45, 'G3a'],
    [44.9, 'G3b'],
    [30, 'G3b'],
    [29.9, 'G4'],
    [15, 'G4'],
    [14.9, 'G5'],
  ] as const)('eGFR %f → %s', (egfr, g) => expect(classifyGfr(egfr)).toBe(g));

  it.each([
    [29.9, 'mg/g', 'A1'],
    [30, 'mg/g', 'A2'],
    [300, 'mg/g', 'A2'],
    [300.1, 'mg/g', 'A3'],
    [2.9, 'mg/mmol', 'A1'],
    [3, 'mg/mmol', 'A2'],
    [30, 'mg/mmol', 'A2'],
    [30.1, 'mg/mmol', 'A3'],
  ] as const)('ACR %f %s → %s', (v, unit, a) => expect(classifyAlbuminuria(v, unit)).toBe(a));
});
