import type { RiskFieldSpec } from './riskInputs.ts';

/**
 * Input fields several risk models share, so `sbp` or `hdl` mean the same thing (name, canonical unit,
 * impossible range) in every model. Units follow Chinese clinics: mmol/L, mmHg, µmol/L, cm.
 */

const impossible = 'not a physiologically possible value';

/** Age in years, refused outside the range the model was derived or validated on. */
export const ageField = (min: number, max: number, reason: string): RiskFieldSpec => ({
  type: 'number',
  unit: 'years',
  required: true,
  doc: `Age in years (${min}–${max}).`,
  range: { min, max, reason },
});

export const sexField: RiskFieldSpec = {
  type: 'enum',
  values: ['male', 'female'],
  required: true,
  doc: 'Sex the equations distinguish: male or female.',
};

export const sbpField: RiskFieldSpec = {
  type: 'number',
  unit: 'mmHg',
  units: { 'mm[Hg]': 1, mmHg: 1, kPa: 7.50062 },
  required: true,
  doc: 'Systolic blood pressure, mmHg (office reading; mean of repeated seated readings where available).',
  range: { min: 40, max: 300, reason: impossible },
};

/** Cholesterol in mmol/L; mg/dL × `mmolPerMgdl` = mmol/L, with the factor the model's own paper uses. */
export const cholesterolField = (
  what: string,
  mmolPerMgdl: number,
  range: { min: number; max: number },
): RiskFieldSpec => ({
  type: 'number',
  unit: 'mmol/L',
  units: { 'mmol/L': 1, 'mg/dL': mmolPerMgdl, 'mg/dl': mmolPerMgdl },
  required: true,
  doc: `${what}, mmol/L.`,
  range: { ...range, reason: impossible },
});

export const waistField: RiskFieldSpec = {
  type: 'number',
  unit: 'cm',
  units: { cm: 1, m: 100 },
  required: true,
  doc: 'Waist circumference, cm.',
  range: { min: 30, max: 250, reason: impossible },
};

export const bmiField: RiskFieldSpec = {
  type: 'number',
  unit: 'kg/m2',
  units: { 'kg/m2': 1, 'kg/m^2': 1 },
  required: true,
  doc: 'Body mass index, kg/m² (weight / height²).',
  range: { min: 8, max: 90, reason: impossible },
};

export const yesNoField = (doc: string, required = true): RiskFieldSpec => ({
  type: 'boolean',
  required,
  doc,
});
