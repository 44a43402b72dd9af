import { ageField, cholesterolField, sbpField, sexField, yesNoField } from './riskFields.ts';
import { readRiskInputs, type RiskFieldSpecs, type RiskInput } from './riskInputs.ts';
import { roundRiskValue } from './riskBands.ts';
import { insufficientData, type RiskOutcome, type RiskResult } from './riskResult.ts';

export const framingham2008Citation =
  "D'Agostino RB Sr, Vasan RS, Pencina MJ, et al. General cardiovascular risk profile for use in primary care: the Framingham Heart Study. Circulation 2008;117:743–753 (Table 2)";

/** Cholesterol molar mass 386.65 g/mol: mg/dL × 0.025863 = mmol/L (the indicator catalogue's factor). */
const mmolPerMgdl = 10 / 386.65;

export const framingham2008Inputs: RiskFieldSpecs = {
  age: ageField(30, 74, 'the age range of the Framingham 2008 derivation sample'),
  sex: sexField,
  tc: cholesterolField('Total cholesterol', mmolPerMgdl, { min: 0.5, max: 30 }),
  hdl: cholesterolField('HDL cholesterol', mmolPerMgdl, { min: 0.05, max: 10 }),
  sbp: sbpField,
  bpTreated: yesNoField('Taking blood-pressure-lowering medication.'),
  smoker: yesNoField('Current smoker.'),
  diabetes: yesNoField('Diabetes.'),
};

export interface Framingham2008Input {
  age?: RiskInput<number>;
  sex?: RiskInput<'male' | 'female'>;
  tc?: RiskInput<number>;
  hdl?: RiskInput<number>;
  sbp?: RiskInput<number>;
  bpTreated?: RiskInput<boolean>;
  smoker?: RiskInput<boolean>;
  diabetes?: RiskInput<boolean>;
}

/** Table 2 (lipid model): regression coefficients on ln(age), ln(TC mg/dL), ln(HDL mg/dL), ln(SBP). */
export const framingham2008Equations = {
  female: {
    lnAge: 2.32888,
    lnTc: 1.20904,
    lnHdl: -0.70833,
    lnSbpUntreated: 2.76157,
    lnSbpTreated: 2.82263,
    smoker: 0.52873,
    diabetes: 0.69154,
    baselineSurvival: 0.95012,
    meanSum: 26.1931,
  },
  male: {
    lnAge: 3.06117,
    lnTc: 1.1237,
    lnHdl: -0.93263,
    lnSbpUntreated: 1.93303,
    lnSbpTreated: 1.99881,
    smoker: 0.65451,
    diabetes: 0.57367,
    baselineSurvival: 0.88936,
    meanSum: 23.9802,
  },
} as const;

/** Framingham general CVD 10-year risk (%): CHD, stroke, peripheral artery disease and heart failure. */
export function framingham2008(input: Framingham2008Input | Record<string, unknown>): RiskOutcome {
  const read = readRiskInputs(framingham2008Inputs, input);
  if (!read.ok) return read;
  const { values, used, missing } = read.value;
  if (typeof values.tc === 'number' && typeof values.hdl === 'number' && values.hdl >= values.tc) {
    return {
      ok: false,
      issues: [{ path: 'hdl', message: 'HDL cholesterol must be lower than total cholesterol' }],
    };
  }
  const base: Pick<RiskResult, 'model' | 'unit' | 'citation' | 'inputsUsed' | 'notes'> = {
    model: 'framingham-2008',
    unit: '%',
    citation: framingham2008Citation,
    inputsUsed: used,
    notes: [
      'Derived in a US cohort; it overestimated risk in Chinese adults (Liu J et al., JAMA 2004;291:2591–2599). Prefer China-PAR for Chinese members.',
      'The 2008 paper publishes no risk bands, so band is null.',
    ],
  };
  if (missing.length > 0) return insufficientData(base, missing);

  const c = framingham2008Equations[values.sex as 'male' | 'female'];
  const lnSbp = Math.log(values.sbp as number);
  const sum =
    c.lnAge * Math.log(values.age as number) +
    c.lnTc * Math.log((values.tc as number) / mmolPerMgdl) +
    c.lnHdl * Math.log((values.hdl as number) / mmolPerMgdl) +
    (values.bpTreated ? c.lnSbpTreated : c.lnSbpUntreated) * lnSbp +
    (values.smoker ? c.smoker : 0) +
    (values.diabetes ? c.diabetes : 0);
  const risk = 100 * (1 - c.baselineSurvival ** Math.exp(sum - c.meanSum));
  return { ...base, value: roundRiskValue(risk, 2), band: null, missing: [] };
}
