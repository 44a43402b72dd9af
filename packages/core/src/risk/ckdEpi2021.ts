import { egfrCkdEpi2021 } from '../clinical/egfr.ts';
import { classifyGfr, gfrCategoryLabels } from '../clinical/kidney.ts';
import { ageField, sexField } from './riskFields.ts';
import { readRiskInputs, type RiskFieldSpecs, type RiskInput } from './riskInputs.ts';
import { insufficientData, type RiskOutcome, type RiskResult } from './riskResult.ts';

export const ckdEpi2021Citation =
  'Inker LA, Eneanya ND, Coresh J, et al. New creatinine- and cystatin C–based equations to estimate GFR without race. N Engl J Med 2021;385:1737–1749 (creatinine equation); categories: KDIGO 2012 (Table 5)';

/** The brief's and the lab's conversion: Scr (mg/dL) = Scr (µmol/L) ÷ 88.42. */
const umolPerMgdl = 88.42;

export const ckdEpi2021Inputs: RiskFieldSpecs = {
  age: ageField(18, 120, 'the equation is for adults'),
  sex: sexField,
  creatinine: {
    type: 'number',
    unit: 'µmol/L',
    units: { 'µmol/L': 1, 'μmol/L': 1, 'umol/L': 1, 'mg/dL': umolPerMgdl, 'mg/dl': umolPerMgdl },
    required: true,
    doc: 'Serum creatinine (enzymatic, IDMS-traceable), µmol/L.',
    range: { min: 5, max: 3000, reason: 'not a physiologically possible value' },
  },
};

export interface CkdEpi2021Input {
  age?: RiskInput<number>;
  sex?: RiskInput<'male' | 'female'>;
  creatinine?: RiskInput<number>;
}

/** eGFR (mL/min/1.73 m², reported as a whole number) by CKD-EPI 2021, banded by KDIGO GFR category. */
export function ckdEpi2021(input: CkdEpi2021Input | Record<string, unknown>): RiskOutcome {
  const read = readRiskInputs(ckdEpi2021Inputs, input);
  if (!read.ok) return read;
  const { values, used, missing } = read.value;
  const base: Pick<RiskResult, 'model' | 'unit' | 'citation' | 'inputsUsed' | 'notes'> = {
    model: 'ckd-epi-2021',
    unit: 'mL/min/1.73m2',
    citation: ckdEpi2021Citation,
    inputsUsed: used,
    notes: [
      'One eGFR is not a CKD diagnosis: KDIGO requires an abnormality lasting > 3 months, with albuminuria assessed.',
    ],
  };
  if (missing.length > 0) return insufficientData(base, missing);

  const scrMgdl = (values.creatinine as number) / umolPerMgdl;
  const egfr = egfrCkdEpi2021(scrMgdl, values.age as number, values.sex as string);
  if (egfr === null)
    return {
      ok: false,
      issues: [{ path: '', message: 'eGFR could not be computed from these inputs' }],
    };
  const value = Math.round(egfr);
  const band = classifyGfr(value);
  base.notes.push(`Creatinine ${Math.round(scrMgdl * 100) / 100} mg/dL used in the equation.`);
  return { ...base, value, band, bandLabel: gfrCategoryLabels[band], missing: [] };
}
