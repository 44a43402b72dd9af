import { describe, expect, it } from 'vitest';
import { framingham2008 } from './framingham2008.ts';
import { isRiskRejection, type RiskOutcome, type RiskResult } from './riskResult.ts';

const result = (outcome: RiskOutcome): RiskResult => {
  if (isRiskRejection(outcome)) throw new Error(`rejected: ${JSON.stringify(outcome.issues)}`);
  return outcome;
};

// D'Agostino RB et al., Circulation 2008;117:743–753, worked example under Table 2 (lipid model):
// a 61-year-old woman, TC 180 mg/dL, HDL 47 mg/dL, untreated SBP 124 mmHg, smoker, no diabetes → 10.48 %.
const paperExample = {
  age: 61,
  sex: 'female',
  tc: { value: 180, unit: 'mg/dL' },
  hdl: { value: 47, unit: 'mg/dL' },
  sbp: 124,
  bpTreated: false,
  smoker: true,
  diabetes: false,
} as const;

describe('Framingham 2008 general CVD risk', () => {
  it("reproduces the paper's worked example: 10.48 %", () => {
    const r = result(framingham2008(paperExample));
    expect(r.value).toBe(10.48);
    expect(r.unit).toBe('%');
    expect(r.band).toBeNull();
    expect(r.citation).toMatch(/Circulation 2008;117:743/);
  });

  it('gives the same risk from mmol/L (mg/dL × 0.025863 = mmol/L)', () => {
    const r = result(
      framingham2008({ ...paperExample, tc: 180 * (10 / 386.65), hdl: 47 * (10 / 386.65) }),
    );
    expect(r.value).toBe(10.48);
  });

  it('uses the treated-SBP coefficient when on treatment (higher risk at the same reading)', () => {
    const treated = result(framingham2008({ ...paperExample, bpTreated: true }));
    expect(treated.value).toBeGreaterThan(10.48);
  });

  it('uses the men’s equation for men (higher risk for the same profile)', () => {
    expect(result(framingham2008({ ...paperExample, sex: 'male' })).value).toBeGreaterThan(10.48);
  });

  it('reports insufficient data naming what is missing', () => {
    const r = result(framingham2008({ age: 61, sex: 'female', sbp: 124 }));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual(['tc', 'hdl', 'bpTreated', 'smoker', 'diabetes']);
    expect(r.message).toBe('insufficient data: missing tc, hdl, bpTreated, smoker, diabetes');
  });

  it.each([
    [{ age: 29 }, 'age'],
    [{ age: 75 }, 'age'],
    [{ sbp: -5 }, 'sbp'],
    [{ diabetes: 1 }, 'diabetes'],
  ])('rejects %j naming %s', (patch, path) => {
    const outcome = framingham2008({ ...paperExample, ...patch } as Record<string, unknown>);
    expect(isRiskRejection(outcome) && outcome.issues[0]?.path).toBe(path);
  });
});
