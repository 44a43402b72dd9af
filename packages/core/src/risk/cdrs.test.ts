import { describe, expect, it } from 'vitest';
import { cdrs, cdrsBanding, cdrsPoints, type CdrsAnswers } from './cdrs.ts';
import { riskBandOf } from './riskBands.ts';
import { isRiskRejection, type RiskOutcome, type RiskResult } from './riskResult.ts';

const result = (outcome: RiskOutcome): RiskResult => {
  if (isRiskRejection(outcome)) throw new Error(`rejected: ${JSON.stringify(outcome.issues)}`);
  return outcome;
};

// Every item and cut point below is from 中国糖尿病风险评分表: Zhou X et al., Diabetes Care
// 2013;36:3944–3952, as printed in 中国2型糖尿病防治指南 (2020年版), 2型糖尿病的筛查.
const zeroPoints: CdrsAnswers = {
  age: 22,
  sex: 'female',
  waist: 65,
  bmi: 20,
  sbp: 105,
  familyHistoryDiabetes: false,
};
const pointsFor = (patch: Partial<CdrsAnswers>) => cdrsPoints({ ...zeroPoints, ...patch });

describe('CDRS points table', () => {
  it('the reference answers score 0', () => {
    expect(Object.values(pointsFor({})).every((p) => p === 0)).toBe(true);
  });

  // Age: 20–24 0, 25–34 4, 35–39 8, 40–44 11, 45–49 12, 50–54 13, 55–59 15, 60–64 16, 65–74 18.
  it.each([
    [20, 0],
    [24, 0],
    [24.9, 0],
    [25, 4],
    [34, 4],
    [35, 8],
    [39, 8],
    [40, 11],
    [44, 11],
    [45, 12],
    [49, 12],
    [50, 13],
    [54, 13],
    [55, 15],
    [59, 15],
    [60, 16],
    [64, 16],
    [65, 18],
    [74, 18],
  ])('age %s → %i', (age, points) => expect(pointsFor({ age }).age).toBe(points));

  it('sex: female 0, male 2', () => {
    expect(pointsFor({ sex: 'female' }).sex).toBe(0);
    expect(pointsFor({ sex: 'male' }).sex).toBe(2);
  });

  // Waist, men: < 75 0, 75.0–79.9 3, 80.0–84.9 5, 85.0–89.9 7, 90.0–94.9 8, ≥ 95 10.
  it.each([
    [74.9, 0],
    [75, 3],
    [79.9, 3],
    [80, 5],
    [84.9, 5],
    [85, 7],
    [89.9, 7],
    [90, 8],
    [94.9, 8],
    [95, 10],
  ])('waist (men) %s cm → %i', (waist, points) =>
    expect(pointsFor({ sex: 'male', waist }).waist).toBe(points),
  );

  // Waist, women: < 70 0, 70.0–74.9 3, 75.0–79.9 5, 80.0–84.9 7, 85.0–89.9 8, ≥ 90 10.
  it.each([
    [69.9, 0],
    [70, 3],
    [74.9, 3],
    [75, 5],
    [79.9, 5],
    [80, 7],
    [84.9, 7],
    [85, 8],
    [89.9, 8],
    [90, 10],
  ])('waist (women) %s cm → %i', (waist, points) =>
    expect(pointsFor({ waist }).waist).toBe(points),
  );

  // BMI: < 22.0 0, 22.0–23.9 1, 24.0–29.9 3, ≥ 30.0 5.
  it.each([
    [21.9, 0],
    [22, 1],
    [23.9, 1],
    [24, 3],
    [29.9, 3],
    [30, 5],
  ])('BMI %s → %i', (bmi, points) => expect(pointsFor({ bmi }).bmi).toBe(points));

  // SBP: < 110 0, 110–119 1, 120–129 3, 130–139 6, 140–149 7, 150–159 8, ≥ 160 10.
  it.each([
    [109, 0],
    [110, 1],
    [119, 1],
    [120, 3],
    [129, 3],
    [130, 6],
    [139, 6],
    [140, 7],
    [149, 7],
    [150, 8],
    [159, 8],
    [160, 10],
  ])('SBP %s mmHg → %i', (sbp, points) => expect(pointsFor({ sbp }).sbp).toBe(points));

  it('family history of diabetes: no 0, yes 6', () => {
    expect(pointsFor({ familyHistoryDiabetes: false }).familyHistoryDiabetes).toBe(0);
    expect(pointsFor({ familyHistoryDiabetes: true }).familyHistoryDiabetes).toBe(6);
  });

  it('the maximum total is 51', () => {
    const worst = pointsFor({
      age: 70,
      sex: 'male',
      waist: 100,
      bmi: 32,
      sbp: 170,
      familyHistoryDiabetes: true,
    });
    expect(Object.values(worst).reduce((a, b) => a + b, 0)).toBe(51);
  });
});

describe('CDRS band: total ≥ 25 is high risk (OGTT recommended)', () => {
  it.each([
    [24, 'low'],
    [25, 'high'],
  ])('%i points → %s', (points, band) => expect(riskBandOf(cdrsBanding, points)).toBe(band));

  it('end to end: 24 and 25 points fall on either side of the cut-off', () => {
    const man47 = { age: 47, sex: 'male', sbp: 110, familyHistoryDiabetes: false } as const;
    // age 45–49 (12) + male (2) + waist 90.0–94.9 (8) + BMI 22.0–23.9 (1) + SBP 110–119 (1) = 24.
    const exactly24 = result(cdrs({ ...man47, waist: 91, bmi: 23 }));
    expect([exactly24.value, exactly24.band]).toEqual([24, 'low']);
    // age 45–49 (12) + male (2) + waist 85.0–89.9 (7) + BMI 24.0–29.9 (3) + SBP 110–119 (1) = 25.
    const exactly25 = result(cdrs({ ...man47, waist: 86, bmi: 24 }));
    expect([exactly25.value, exactly25.band]).toEqual([25, 'high']);
    expect(exactly25.bandLabel?.en).toMatch(/OGTT/);
    expect(exactly25.unit).toBe('points');
  });
});

describe('CDRS inputs', () => {
  it('reports insufficient data naming what is missing', () => {
    const r = result(cdrs({ age: 47, sex: 'male', bmi: 24 }));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual(['waist', 'sbp', 'familyHistoryDiabetes']);
    expect(r.message).toBe('insufficient data: missing waist, sbp, familyHistoryDiabetes');
  });

  it('carries provenance', () => {
    const r = result(
      cdrs({ ...zeroPoints, waist: { value: 0.65, unit: 'm', source: 'obs-waist-1' } }),
    );
    expect(r.inputsUsed.waist).toEqual({ value: 65, unit: 'cm', source: 'obs-waist-1' });
  });

  it.each([
    [{ age: 19 }, 'age'],
    [{ age: 75 }, 'age'],
    [{ waist: 5 }, 'waist'],
    [{ familyHistoryDiabetes: 'yes' }, 'familyHistoryDiabetes'],
  ])('rejects %j naming %s', (patch, path) => {
    const outcome = cdrs({ ...zeroPoints, ...patch } as Record<string, unknown>);
    expect(isRiskRejection(outcome) && outcome.issues[0]?.path).toBe(path);
  });
});
