import {
  ageField,
  cholesterolField,
  sbpField,
  sexField,
  waistField,
  yesNoField,
} from './riskFields.ts';
import { readRiskInputs, type RiskFieldSpecs, type RiskInput } from './riskInputs.ts';
import { riskBandOf, roundRiskValue, type RiskBanding } from './riskBands.ts';
import { insufficientData, type RiskOutcome, type RiskResult } from './riskResult.ts';
import {
  chinaParEquations,
  chinaParTreatedRoundingHalfWidth,
  type ChinaParEquation,
} from './chinaParCoefficients.ts';

export const chinaParCitation =
  'Yang X, Li J, Hu D, et al. Predicting the 10-year risks of atherosclerotic cardiovascular disease in Chinese population: the China-PAR project. Circulation 2016;134:1430–1440 (Data Supplement Tables 1–2); bands: 中国心血管病风险评估和管理指南 (2019)';

/** The paper converts cholesterol with mg/dL × 0.0259 = mmol/L. */
const mmolPerMgdl = 0.0259;

export const chinaParInputs: RiskFieldSpecs = {
  age: ageField(35, 74, 'the age range of the China-PAR derivation cohorts'),
  sex: sexField,
  sbp: sbpField,
  bpTreated: yesNoField('Taking blood-pressure-lowering medication (within the last 2 weeks).'),
  tc: cholesterolField('Total cholesterol', mmolPerMgdl, { min: 0.5, max: 30 }),
  hdl: cholesterolField('HDL cholesterol', mmolPerMgdl, { min: 0.05, max: 10 }),
  waist: waistField,
  diabetes: yesNoField('Diabetes (FPG ≥ 7.0 mmol/L, glucose-lowering treatment, or a diagnosis).'),
  smoker: yesNoField('Current smoker.'),
  region: {
    type: 'enum',
    values: ['north', 'south'],
    required: true,
    doc: 'Where the person lives: north or south of the Yangtze River (长江以北/以南).',
  },
  residence: {
    type: 'enum',
    values: ['urban', 'rural'],
    required: false,
    doc: "Urban or rural residence. Required for men; the women's equation has no such term.",
  },
  familyHistoryAscvd: yesNoField(
    "Parent or sibling with myocardial infarction or stroke. Required for men; the women's equation has no such term.",
    false,
  ),
};

export interface ChinaParInput {
  age?: RiskInput<number>;
  sex?: RiskInput<'male' | 'female'>;
  sbp?: RiskInput<number>;
  bpTreated?: RiskInput<boolean>;
  tc?: RiskInput<number>;
  hdl?: RiskInput<number>;
  waist?: RiskInput<number>;
  diabetes?: RiskInput<boolean>;
  smoker?: RiskInput<boolean>;
  region?: RiskInput<'north' | 'south'>;
  residence?: RiskInput<'urban' | 'rural'>;
  familyHistoryAscvd?: RiskInput<boolean>;
}

export type ChinaParBand = 'low' | 'medium' | 'high';

/** 中国心血管病风险评估和管理指南 (2019): 10-year risk < 5 % low, 5–< 10 % medium, ≥ 10 % high. */
export const chinaParBanding: RiskBanding<ChinaParBand> = {
  thresholds: [
    { cls: 'high', op: '>=', value: 10 },
    { cls: 'medium', op: '>=', value: 5 },
  ],
  otherwise: 'low',
  labels: {
    low: {
      'zh-CN': '10年心血管病风险：低（<5%）。保持健康生活方式，按计划复查。',
      en: '10-year ASCVD risk: low (< 5 %). Keep up healthy habits and recheck as planned.',
    },
    medium: {
      'zh-CN': '10年心血管病风险：中（5%–<10%）。建议与健康管理师或医生讨论如何降低风险。',
      en: '10-year ASCVD risk: medium (5–< 10 %). Please discuss with your health manager or doctor how to lower it.',
    },
    high: {
      'zh-CN': '10年心血管病风险：高（≥10%）。请尽快与医生讨论评估和干预。',
      en: '10-year ASCVD risk: high (≥ 10 %). Please discuss assessment and treatment with your doctor soon.',
    },
  },
};

export interface ChinaParProfile {
  age: number;
  sbp: number;
  bpTreated: boolean;
  tcMgdl: number;
  hdlMgdl: number;
  waist: number;
  smoker: boolean;
  diabetes: boolean;
  north: boolean;
  urban: boolean;
  familyHistoryAscvd: boolean;
}

/** The individual sum Σ coefficient × value (the women's equation has zero urban/family-history terms). */
export function chinaParIndividualSum(equation: ChinaParEquation, x: ChinaParProfile): number {
  const c = equation.coefficients;
  const lnAge = Math.log(x.age);
  const lnSbp = Math.log(x.sbp);
  const flag = (b: boolean): number => (b ? 1 : 0);
  return (
    c.lnAge * lnAge +
    (x.bpTreated ? c.lnSbpTreated * lnSbp + c.lnAgeXLnSbpTreated * lnAge * lnSbp : 0) +
    (x.bpTreated ? 0 : c.lnSbpUntreated * lnSbp + c.lnAgeXLnSbpUntreated * lnAge * lnSbp) +
    c.lnTc * Math.log(x.tcMgdl) +
    c.lnHdl * Math.log(x.hdlMgdl) +
    c.lnWaist * Math.log(x.waist) +
    c.smoker * flag(x.smoker) +
    c.lnAgeXSmoker * lnAge * flag(x.smoker) +
    c.diabetes * flag(x.diabetes) +
    c.north * flag(x.north) +
    c.urban * flag(x.urban) +
    c.familyHistory * flag(x.familyHistoryAscvd) +
    c.lnAgeXFamilyHistory * lnAge * flag(x.familyHistoryAscvd)
  );
}

/** 10-year risk in % (unrounded): 1 − S10^exp(sum − mean sum). */
export function chinaParRiskFromSum(equation: ChinaParEquation, sum: number): number {
  return 100 * (1 - equation.baselineSurvival ** Math.exp(sum - equation.meanSum));
}

const menOnly = ['residence', 'familyHistoryAscvd'] as const;

/** China-PAR 10-year ASCVD risk (%), sex-specific, with band and provenance of every input. */
export function chinaPar(input: ChinaParInput | Record<string, unknown>): RiskOutcome {
  const read = readRiskInputs(chinaParInputs, input);
  if (!read.ok) return read;
  const { values, used } = read.value;
  if (typeof values.tc === 'number' && typeof values.hdl === 'number' && values.hdl >= values.tc) {
    return {
      ok: false,
      issues: [{ path: 'hdl', message: 'HDL cholesterol must be lower than total cholesterol' }],
    };
  }
  const sex = values.sex as 'male' | 'female' | undefined;
  const notes = [
    'Model estimate for Chinese adults with these risk factors (derivation cohorts aged 35–74, office SBP); not a diagnosis.',
    'Constants reconciled with the paper’s worked example so Table 2 is reproduced; see docs/risk-scores.md.',
  ];
  if (sex === 'female') {
    const ignored = menOnly.filter((k) => k in used);
    for (const k of ignored) delete used[k];
    if (ignored.length > 0)
      notes.push(`${ignored.join(' and ')}: not terms of the women's equation, ignored.`);
  }
  const required = Object.keys(chinaParInputs).filter(
    (k) =>
      chinaParInputs[k]?.required ||
      (sex !== 'female' && (menOnly as readonly string[]).includes(k)),
  );
  const missing = required.filter((k) => values[k] === undefined);
  const base: Pick<RiskResult, 'model' | 'unit' | 'citation' | 'inputsUsed' | 'notes'> = {
    model: 'china-par',
    unit: '%',
    citation: chinaParCitation,
    inputsUsed: used,
    notes,
  };
  if (missing.length > 0 || sex === undefined) return insufficientData(base, missing);

  const profile: ChinaParProfile = {
    age: values.age as number,
    sbp: values.sbp as number,
    bpTreated: values.bpTreated as boolean,
    tcMgdl: (values.tc as number) / mmolPerMgdl,
    hdlMgdl: (values.hdl as number) / mmolPerMgdl,
    waist: values.waist as number,
    smoker: values.smoker as boolean,
    diabetes: values.diabetes as boolean,
    north: values.region === 'north',
    urban: sex === 'male' && values.residence === 'urban',
    familyHistoryAscvd: sex === 'male' && values.familyHistoryAscvd === true,
  };
  const equation = chinaParEquations[sex];
  const sum = chinaParIndividualSum(equation, profile);
  const value = roundRiskValue(chinaParRiskFromSum(equation, sum), 1);
  const band = riskBandOf(chinaParBanding, value);

  if (profile.bpTreated) {
    // Rounding of the two printed treated-SBP coefficients bounds the linear predictor by ±δ.
    const lnSbp = Math.log(profile.sbp);
    const delta = chinaParTreatedRoundingHalfWidth * (lnSbp + Math.log(profile.age) * lnSbp);
    const low = roundRiskValue(chinaParRiskFromSum(equation, sum - delta), 1);
    const high = roundRiskValue(chinaParRiskFromSum(equation, sum + delta), 1);
    notes.push(
      `Treated SBP: the treated-SBP coefficients are printed to two decimals and no published example checks them; their rounding alone puts this risk between ${low.toFixed(1)} and ${high.toFixed(1)} %.`,
    );
    const bandLow = riskBandOf(chinaParBanding, low);
    const bandHigh = riskBandOf(chinaParBanding, high);
    if (bandLow !== bandHigh)
      notes.push(`The band could be ${bandLow} or ${bandHigh}: interpret with a clinician.`);
  }
  return { ...base, value, band, bandLabel: chinaParBanding.labels[band], missing: [] };
}
