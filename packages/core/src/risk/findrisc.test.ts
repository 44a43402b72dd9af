import { describe, expect, it } from 'vitest';
import { findrisc, findriscBanding, findriscPoints, type FindriscAnswers } from './findrisc.ts';
import { riskBandOf } from './riskBands.ts';
import { isRiskRejection, type RiskOutcome, type RiskResult } from './riskResult.ts';

const result = (outcome: RiskOutcome): RiskResult => {
  if (isRiskRejection(outcome)) throw new Error(`rejected: ${JSON.stringify(outcome.issues)}`);
  return outcome;
};

// Every item and cut point below is from Lindström J, Tuomilehto J, Diabetes Care 2003;26:725–731
// and the published FINDRISC questionnaire (which adds the family-history item, maximum 26 points).
const zeroPoints: FindriscAnswers = {
  age: 30,
  sex: 'male',
  bmi: 22,
  waist: 85,
  physicallyActive: true,
  dailyVegetablesFruit: true,
  bpMedication: false,
  highGlucoseHistory: false,
  familyHistoryDiabetes: 'none',
};

const pointsFor = (patch: Partial<FindriscAnswers>) => findriscPoints({ ...zeroPoints, ...patch });

describe('FINDRISC points table (Lindström & Tuomilehto 2003)', () => {
  it('the reference answers score 0', () => {
    expect(Object.values(pointsFor({})).every((p) => p === 0)).toBe(true);
  });

  // Age: < 45 → 0, 45–54 → 2, 55–64 → 3, > 64 → 4.
  it.each([
    [44, 0],
    [44.9, 0],
    [45, 2],
    [54, 2],
    [55, 3],
    [64, 3],
    [65, 4],
  ])('age %s → %i', (age, points) => expect(pointsFor({ age }).age).toBe(points));

  // BMI: < 25 → 0, 25–30 → 1, > 30 → 3.
  it.each([
    [24.9, 0],
    [25, 1],
    [30, 1],
    [30.1, 3],
  ])('BMI %s → %i', (bmi, points) => expect(pointsFor({ bmi }).bmi).toBe(points));

  // Waist, men: < 94 → 0, 94–102 → 3, > 102 → 4.
  it.each([
    [93.9, 0],
    [94, 3],
    [102, 3],
    [102.1, 4],
  ])('waist (men) %s cm → %i', (waist, points) => expect(pointsFor({ waist }).waist).toBe(points));

  // Waist, women: < 80 → 0, 80–88 → 3, > 88 → 4.
  it.each([
    [79.9, 0],
    [80, 3],
    [88, 3],
    [88.1, 4],
  ])('waist (women) %s cm → %i', (waist, points) =>
    expect(pointsFor({ sex: 'female', waist }).waist).toBe(points),
  );

  it('physical activity ≥ 30 min daily: yes 0, no 2', () => {
    expect(pointsFor({ physicallyActive: true }).physicallyActive).toBe(0);
    expect(pointsFor({ physicallyActive: false }).physicallyActive).toBe(2);
  });

  it('vegetables, fruit or berries every day: yes 0, no 1', () => {
    expect(pointsFor({ dailyVegetablesFruit: true }).dailyVegetablesFruit).toBe(0);
    expect(pointsFor({ dailyVegetablesFruit: false }).dailyVegetablesFruit).toBe(1);
  });

  it('blood-pressure medication regularly: no 0, yes 2', () => {
    expect(pointsFor({ bpMedication: false }).bpMedication).toBe(0);
    expect(pointsFor({ bpMedication: true }).bpMedication).toBe(2);
  });

  it('history of high blood glucose: no 0, yes 5', () => {
    expect(pointsFor({ highGlucoseHistory: false }).highGlucoseHistory).toBe(0);
    expect(pointsFor({ highGlucoseHistory: true }).highGlucoseHistory).toBe(5);
  });

  it('family history of diabetes: none 0, second-degree 3, first-degree 5', () => {
    expect(pointsFor({ familyHistoryDiabetes: 'none' }).familyHistoryDiabetes).toBe(0);
    expect(pointsFor({ familyHistoryDiabetes: 'second-degree' }).familyHistoryDiabetes).toBe(3);
    expect(pointsFor({ familyHistoryDiabetes: 'first-degree' }).familyHistoryDiabetes).toBe(5);
  });

  it('the maximum total is 26', () => {
    const worst = pointsFor({
      age: 70,
      bmi: 35,
      waist: 110,
      physicallyActive: false,
      dailyVegetablesFruit: false,
      bpMedication: true,
      highGlucoseHistory: true,
      familyHistoryDiabetes: 'first-degree',
    });
    expect(Object.values(worst).reduce((a, b) => a + b, 0)).toBe(26);
  });
});

describe('FINDRISC bands: < 7 low, 7–11 slightly elevated, 12–14 moderate, 15–20 high, > 20 very high', () => {
  it.each([
    [6, 'low'],
    [7, 'slightly-elevated'],
    [11, 'slightly-elevated'],
    [12, 'moderate'],
    [14, 'moderate'],
    [15, 'high'],
    [20, 'high'],
    [21, 'very-high'],
  ])('%i points → %s', (points, band) => expect(riskBandOf(findriscBanding, points)).toBe(band));

  it('end to end: 6 and 7 points fall on either side of the first boundary', () => {
    // age 45–54 (2) + BMI 25–30 (1) + BP medication (2) + no daily vegetables (1) = 6.
    const six = result(
      findrisc({
        ...zeroPoints,
        age: 50,
        bmi: 27,
        bpMedication: true,
        dailyVegetablesFruit: false,
      }),
    );
    expect([six.value, six.band]).toEqual([6, 'low']);
    // age 45–54 (2) + BMI 25–30 (1) + BP medication (2) + inactive (2) = 7.
    const seven = result(
      findrisc({ ...zeroPoints, age: 50, bmi: 27, bpMedication: true, physicallyActive: false }),
    );
    expect([seven.value, seven.band]).toEqual([7, 'slightly-elevated']);
    expect(seven.unit).toBe('points');
    expect(seven.bandLabel?.en).toMatch(/slightly elevated/);
    expect(seven.notes.some((n) => n.startsWith('Points:'))).toBe(true);
  });
});

describe('FINDRISC inputs', () => {
  it('reports insufficient data naming what is missing', () => {
    const r = result(findrisc({ age: 50, sex: 'male', bmi: 27 }));
    expect(r.value).toBeNull();
    expect(r.band).toBeNull();
    expect(r.message).toBe(
      'insufficient data: missing waist, physicallyActive, dailyVegetablesFruit, bpMedication, highGlucoseHistory, familyHistoryDiabetes',
    );
  });

  it.each([
    [{ age: 12 }, 'age'],
    [{ bmi: 200 }, 'bmi'],
    [{ familyHistoryDiabetes: 'cousin' }, 'familyHistoryDiabetes'],
    [{ waist: { value: 85, unit: 'in' } }, 'waist.unit'],
  ])('rejects %j naming %s', (patch, path) => {
    const outcome = findrisc({ ...zeroPoints, ...patch } as Record<string, unknown>);
    expect(isRiskRejection(outcome) && outcome.issues[0]?.path).toBe(path);
  });
});
