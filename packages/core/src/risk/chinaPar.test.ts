import { describe, expect, it } from 'vitest';
import {
  chinaPar,
  chinaParBanding,
  chinaParIndividualSum,
  chinaParRiskFromSum,
} from './chinaPar.ts';
import {
  chinaParEquations,
  chinaParMenExampleProducts,
  chinaParPrinted,
  chinaParPrintedBaseline,
  chinaParWorkedExample,
  type ChinaParTerms,
} from './chinaParCoefficients.ts';
import { riskBandOf } from './riskBands.ts';
import { isRiskRejection, type RiskOutcome, type RiskResult } from './riskResult.ts';

const result = (outcome: RiskOutcome): RiskResult => {
  if (isRiskRejection(outcome)) throw new Error(`rejected: ${JSON.stringify(outcome.issues)}`);
  return outcome;
};

// Yang X et al., Circulation 2016;134:1430–1440, Table 2 and Data Supplement Table 1: the worked
// profile — SBP 130 mmHg untreated, TC 210 mg/dL, HDL-C 55 mg/dL, waist 80 cm, diabetic, northern,
// urban, non-smoker, no family history of ASCVD.
const tableTwoProfile = {
  sbp: 130,
  bpTreated: false,
  tc: { value: 210, unit: 'mg/dL' },
  hdl: { value: 55, unit: 'mg/dL' },
  waist: 80,
  diabetes: true,
  smoker: false,
  region: 'north',
  residence: 'urban',
  familyHistoryAscvd: false,
} as const;

describe('China-PAR reproduces the paper (Yang 2016, Table 2)', () => {
  // Table 2, men aged 40/50/60/70 → 2.2 / 5.4 / 11.0 / 19.6 %.
  it.each([
    [40, 2.2],
    [50, 5.4],
    [60, 11.0],
    [70, 19.6],
  ])('man aged %i → %s %%', (age, expected) => {
    const r = result(chinaPar({ ...tableTwoProfile, age, sex: 'male' }));
    expect(r.value).toBe(expected);
    expect(r.unit).toBe('%');
  });

  // Table 2, women aged 40/50/60/70 → 2.4 / 5.4 / 10.1 / 17.1 %.
  it.each([
    [40, 2.4],
    [50, 5.4],
    [60, 10.1],
    [70, 17.1],
  ])('woman aged %i → %s %%', (age, expected) => {
    const r = result(chinaPar({ ...tableTwoProfile, age, sex: 'female' }));
    expect(r.value).toBe(expected);
  });

  it('mmol/L inputs give the same result as the mg/dL of the example (paper: mg/dL × 0.0259 = mmol/L)', () => {
    const r = result(
      chinaPar({ ...tableTwoProfile, tc: 210 * 0.0259, hdl: 55 * 0.0259, age: 60, sex: 'male' }),
    );
    expect(r.value).toBe(11.0);
    expect(r.inputsUsed.tc).toEqual({ value: 5.439, unit: 'mmol/L' });
  });

  // Supplement Table 1, men's worked example: the individual sum is printed as 142.04 and its
  // products add up to 142.05; ours must sit there.
  it('the men’s individual sum matches the worked example', () => {
    const sum = chinaParIndividualSum(chinaParEquations.male, {
      age: 60,
      sbp: 130,
      bpTreated: false,
      tcMgdl: 210,
      hdlMgdl: 55,
      waist: 80,
      smoker: false,
      diabetes: true,
      north: true,
      urban: true,
      familyHistoryAscvd: false,
    });
    expect(sum).toBeCloseTo(142.05, 2);
  });

  // Supplement Table 1, women's worked example: individual sum 119.22 (with the printed interaction term).
  it('the women’s sum with the printed coefficients matches the worked example', () => {
    const sum = chinaParIndividualSum(
      { ...chinaParEquations.female, coefficients: chinaParPrinted.female },
      {
        age: 60,
        sbp: 130,
        bpTreated: false,
        tcMgdl: 210,
        hdlMgdl: 55,
        waist: 80,
        smoker: false,
        diabetes: true,
        north: true,
        urban: false,
        familyHistoryAscvd: false,
      },
    );
    expect(sum).toBeCloseTo(119.22, 2);
  });

  // 中国心血管病风险评估和管理指南 (2019), 附录 worked example: man 40, north, urban, waist 80 cm,
  // TC 5.2, HDL-C 1.3 mmol/L, BP 145/80 untreated, no diabetes, non-smoker, family history → 4.7 %
  // (low) from the official calculator. It exercises the family-history terms the Table 2 profile
  // leaves at zero; those are printed to two decimals only, hence the tolerance.
  it('the 2019 guideline example stays low risk near 4.7 %', () => {
    const r = result(
      chinaPar({
        age: 40,
        sex: 'male',
        sbp: 145,
        bpTreated: false,
        tc: 5.2,
        hdl: 1.3,
        waist: 80,
        diabetes: false,
        smoker: false,
        region: 'north',
        residence: 'urban',
        familyHistoryAscvd: true,
      }),
    );
    expect(Math.abs((r.value ?? 0) - 4.7)).toBeLessThan(0.2);
    expect(r.band).toBe('low');
  });
});

describe('China-PAR constants stay within the printed precision (Yang 2016, Supplement Table 1)', () => {
  const terms = Object.keys(chinaParPrinted.male) as (keyof ChinaParTerms)[];
  it.each(['male', 'female'] as const)(
    'every %s coefficient used rounds to the printed two decimals',
    (sex) => {
      for (const term of terms) {
        const used = chinaParEquations[sex].coefficients[term];
        expect(Math.round(used * 100) / 100, term).toBeCloseTo(chinaParPrinted[sex][term], 10);
      }
    },
  );

  it('men’s continuous coefficients are the worked example’s products ÷ values', () => {
    const c = chinaParEquations.male.coefficients;
    const ex = chinaParWorkedExample;
    expect(c.lnAge * Math.log(ex.age)).toBeCloseTo(chinaParMenExampleProducts.lnAge, 10);
    expect(c.lnHdl * Math.log(ex.hdl)).toBeCloseTo(chinaParMenExampleProducts.lnHdl, 10);
  });

  it('the mean sums are the printed ones and men’s baseline survival is within 0.0002 of the printed 0.9707', () => {
    expect(chinaParEquations.male.meanSum).toBe(chinaParPrintedBaseline.male.meanSum);
    expect(chinaParEquations.female.meanSum).toBe(chinaParPrintedBaseline.female.meanSum);
    expect(Math.abs(chinaParEquations.male.baselineSurvival - 0.9707)).toBeLessThan(0.0002);
  });

  it('with the printed two-decimal men’s set the worked example runs high (why the products are used)', () => {
    const printed = {
      ...chinaParEquations.male,
      coefficients: chinaParPrinted.male,
      baselineSurvival: 0.9707,
    };
    const profile = {
      age: 60,
      sbp: 130,
      bpTreated: false,
      tcMgdl: 210,
      hdlMgdl: 55,
      waist: 80,
      smoker: false,
      diabetes: true,
      north: true,
      urban: true,
      familyHistoryAscvd: false,
    };
    expect(chinaParRiskFromSum(printed, chinaParIndividualSum(printed, profile))).toBeGreaterThan(
      11.5,
    );
  });

  it('the treated-SBP terms keep the published treated-minus-untreated gap', () => {
    for (const sex of ['male', 'female'] as const) {
      const c = chinaParEquations[sex].coefficients;
      const p = chinaParPrinted[sex];
      expect(c.lnSbpTreated - c.lnSbpUntreated).toBeCloseTo(p.lnSbpTreated - p.lnSbpUntreated, 10);
      expect(c.lnAgeXLnSbpTreated - c.lnAgeXLnSbpUntreated).toBeCloseTo(
        p.lnAgeXLnSbpTreated - p.lnAgeXLnSbpUntreated,
        10,
      );
    }
  });
});

describe('China-PAR bands (中国心血管病风险评估和管理指南 2019: < 5 % low, 5–< 10 % medium, ≥ 10 % high)', () => {
  it.each([
    [4.9, 'low'],
    [5.0, 'medium'],
    [9.9, 'medium'],
    [10.0, 'high'],
  ])('%s %% → %s', (risk, band) => {
    expect(riskBandOf(chinaParBanding, risk)).toBe(band);
  });

  it('reported values on each side of the boundaries carry the matching band', () => {
    const bands = [40, 50, 60].map((age) =>
      result(chinaPar({ ...tableTwoProfile, age, sex: 'male' })),
    );
    expect(bands.map((r) => [r.value, r.band])).toEqual([
      [2.2, 'low'],
      [5.4, 'medium'],
      [11.0, 'high'],
    ]);
    expect(bands[2]?.bandLabel?.en).toMatch(/discuss/);
  });
});

describe('China-PAR treated SBP', () => {
  it('is higher than untreated at the same reading and states the rounding uncertainty', () => {
    const untreated = result(chinaPar({ ...tableTwoProfile, age: 60, sex: 'male', sbp: 150 }));
    const treated = result(
      chinaPar({ ...tableTwoProfile, age: 60, sex: 'male', sbp: 150, bpTreated: true }),
    );
    expect(treated.value).toBeGreaterThan(untreated.value ?? Infinity);
    const note = treated.notes.find((n) => n.startsWith('Treated SBP'));
    expect(note).toMatch(/between \d+\.\d and \d+\.\d %/);
    expect(untreated.notes.some((n) => n.startsWith('Treated SBP'))).toBe(false);
  });

  it('flags a band that the uncertainty straddles', () => {
    // Woman 44, treated SBP 150, no diabetes: 4.9 %, whose rounding range crosses the 5 % boundary.
    const r = result(
      chinaPar({
        age: 44,
        sex: 'female',
        sbp: 150,
        bpTreated: true,
        tc: 5.4,
        hdl: 1.4,
        waist: 80,
        diabetes: false,
        smoker: false,
        region: 'north',
      }),
    );
    expect(r.value).toBeLessThan(5);
    expect(r.band).toBe('low');
    const range = r.notes
      .find((n) => n.startsWith('Treated SBP'))
      ?.match(/between ([\d.]+) and ([\d.]+)/);
    expect(range).toBeTruthy();
    const [low, high] = [Number(range?.[1]), Number(range?.[2])];
    expect(low).toBeLessThan(5);
    expect(high).toBeGreaterThanOrEqual(5);
    expect(r.notes).toContain('The band could be low or medium: interpret with a clinician.');
  });
});

describe('China-PAR inputs', () => {
  it('reports insufficient data naming what is missing', () => {
    const r = result(
      chinaPar({
        age: 60,
        sex: 'male',
        sbp: 130,
        bpTreated: false,
        tc: 5.4,
        waist: 80,
        diabetes: true,
        smoker: false,
        region: 'north',
      }),
    );
    expect(r.value).toBeNull();
    expect(r.band).toBeNull();
    expect(r.missing).toEqual(['hdl', 'residence', 'familyHistoryAscvd']);
    expect(r.message).toBe('insufficient data: missing hdl, residence, familyHistoryAscvd');
  });

  it('does not ask women for the men-only terms and ignores them when given', () => {
    const r = result(
      chinaPar({
        ...tableTwoProfile,
        residence: undefined,
        familyHistoryAscvd: undefined,
        age: 60,
        sex: 'female',
      }),
    );
    expect(r.missing).toEqual([]);
    const withMenOnly = result(chinaPar({ ...tableTwoProfile, age: 60, sex: 'female' }));
    expect(withMenOnly.value).toBe(r.value);
    expect(withMenOnly.inputsUsed).not.toHaveProperty('residence');
    expect(withMenOnly.notes.some((n) => n.includes("not terms of the women's equation"))).toBe(
      true,
    );
  });

  it('carries the provenance of each input', () => {
    const r = result(
      chinaPar({ ...tableTwoProfile, age: 60, sex: 'male', sbp: { value: 130, source: 'obs-17' } }),
    );
    expect(r.inputsUsed.sbp).toEqual({ value: 130, unit: 'mmHg', source: 'obs-17' });
    expect(r.citation).toMatch(/Circulation 2016;134:1430/);
  });

  it.each([
    [{ age: 34 }, 'age', /outside 35–74/],
    [{ age: 75 }, 'age', /outside 35–74/],
    [{ sbp: 900 }, 'sbp', /outside 40–300 mmHg/],
    [{ hdl: { value: 300, unit: 'mg/dL' } }, 'hdl', /HDL cholesterol must be lower/],
    [{ sex: 'M' }, 'sex', /one of male, female/],
    [{ region: 'east' }, 'region', /one of north, south/],
    [{ smoker: 'no' }, 'smoker', /true or false/],
    [{ tc: { value: 5, unit: 'mg' } }, 'tc.unit', /unknown unit 'mg'/],
    [{ waist: '80' }, 'waist', /must be a number/],
    [{ hdlc: 1.2 }, 'hdlc', /unknown field/],
  ])('rejects %j naming %s', (patch, path, message) => {
    const outcome = chinaPar({ ...tableTwoProfile, age: 60, sex: 'male', ...patch } as Record<
      string,
      unknown
    >);
    expect(isRiskRejection(outcome)).toBe(true);
    if (!isRiskRejection(outcome)) return;
    expect(outcome.issues[0]?.path).toBe(path);
    expect(outcome.issues[0]?.message).toMatch(message);
  });

  it('accepts ages on both edges of the derivation range', () => {
    expect(result(chinaPar({ ...tableTwoProfile, age: 35, sex: 'male' })).value).toBeGreaterThan(0);
    expect(result(chinaPar({ ...tableTwoProfile, age: 74, sex: 'male' })).value).toBeGreaterThan(0);
  });
});
