import { describe, expect, it } from 'vitest';
import { ckdEpi2021 } from './ckdEpi2021.ts';
import { isRiskRejection, type RiskOutcome, type RiskResult } from './riskResult.ts';

const result = (outcome: RiskOutcome): RiskResult => {
  if (isRiskRejection(outcome)) throw new Error(`rejected: ${JSON.stringify(outcome.issues)}`);
  return outcome;
};

const mgdl = (value: number) => ({ value, unit: 'mg/dL' });

describe('CKD-EPI 2021 eGFR (Inker LA et al., NEJM 2021;385:1737–1749, creatinine equation, no race term)', () => {
  // 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 [female]; κ 0.7/0.9, α −0.241/−0.302.
  it.each([
    ['male', 50, 1.0, 92],
    ['female', 50, 0.6, 109],
    ['female', 75, 1.5, 36],
  ])('%s aged %i, Scr %s mg/dL → %i', (sex, age, scr, expected) => {
    const r = result(ckdEpi2021({ sex, age, creatinine: mgdl(scr) }));
    expect(r.value).toBe(expected);
    expect(r.unit).toBe('mL/min/1.73m2');
  });

  it('accepts µmol/L, the unit Chinese labs report (Scr mg/dL = µmol/L ÷ 88.42)', () => {
    const r = result(ckdEpi2021({ sex: 'male', age: 50, creatinine: 88.42 }));
    expect(r.value).toBe(92);
    expect(r.inputsUsed.creatinine).toEqual({ value: 88.42, unit: 'µmol/L' });
  });

  // KDIGO 2012 Table 5: G1 ≥ 90, G2 60–89, G3a 45–59, G3b 30–44, G4 15–29, G5 < 15.
  it('bands by KDIGO GFR category', () => {
    expect(result(ckdEpi2021({ sex: 'male', age: 50, creatinine: mgdl(1.0) })).band).toBe('G1');
    expect(result(ckdEpi2021({ sex: 'female', age: 75, creatinine: mgdl(1.5) })).band).toBe('G3b');
    expect(result(ckdEpi2021({ sex: 'female', age: 75, creatinine: mgdl(1.5) })).notes[0]).toMatch(
      /> 3 months/,
    );
  });

  it('reports insufficient data naming what is missing', () => {
    const r = result(ckdEpi2021({ sex: 'male', age: 50 }));
    expect(r.value).toBeNull();
    expect(r.message).toBe('insufficient data: missing creatinine');
  });

  it.each([
    [{ age: 17 }, 'age'],
    [{ creatinine: 0 }, 'creatinine'],
    [{ creatinine: { value: 1, unit: 'mmol/L' } }, 'creatinine.unit'],
    [{ sex: 'other' }, 'sex'],
  ])('rejects %j naming %s', (patch, path) => {
    const outcome = ckdEpi2021({ sex: 'male', age: 50, creatinine: 80, ...patch } as Record<
      string,
      unknown
    >);
    expect(isRiskRejection(outcome) && outcome.issues[0]?.path).toBe(path);
  });
});
