import { ageField, bmiField, sexField, waistField, yesNoField } from './riskFields.ts';
import { readRiskInputs, type RiskFieldSpecs, type RiskInput } from './riskInputs.ts';
import { riskBandOf, type RiskBanding } from './riskBands.ts';
import { insufficientData, type RiskOutcome, type RiskResult } from './riskResult.ts';

export const findriscCitation =
  'Lindström J, Tuomilehto J. The diabetes risk score: a practical tool to predict type 2 diabetes risk. Diabetes Care 2003;26:725–731; points and 10-year risk bands of the published FINDRISC questionnaire (with the family-history item)';

export const findriscInputs: RiskFieldSpecs = {
  age: ageField(18, 120, 'FINDRISC is an adult questionnaire'),
  sex: { ...sexField, doc: 'male or female (selects the waist cut points).' },
  bmi: bmiField,
  waist: {
    ...waistField,
    doc: 'Waist circumference, cm (measured below the ribs, usually at the navel).',
  },
  physicallyActive: yesNoField(
    'At least 30 minutes of physical activity daily, at work and/or in leisure time.',
  ),
  dailyVegetablesFruit: yesNoField('Eats vegetables, fruit or berries every day.'),
  bpMedication: yesNoField('Has ever taken blood-pressure medication regularly.'),
  highGlucoseHistory: yesNoField(
    'Ever found to have high blood glucose (health check, illness, pregnancy).',
  ),
  familyHistoryDiabetes: {
    type: 'enum',
    values: ['none', 'second-degree', 'first-degree'],
    required: true,
    doc: 'Relatives with diabetes: none; second-degree (grandparent, aunt, uncle, first cousin); first-degree (parent, sibling, child).',
  },
};

export interface FindriscInput {
  age?: RiskInput<number>;
  sex?: RiskInput<'male' | 'female'>;
  bmi?: RiskInput<number>;
  waist?: RiskInput<number>;
  physicallyActive?: RiskInput<boolean>;
  dailyVegetablesFruit?: RiskInput<boolean>;
  bpMedication?: RiskInput<boolean>;
  highGlucoseHistory?: RiskInput<boolean>;
  familyHistoryDiabetes?: RiskInput<'none' | 'second-degree' | 'first-degree'>;
}

export interface FindriscAnswers {
  age: number;
  sex: 'male' | 'female';
  bmi: number;
  waist: number;
  physicallyActive: boolean;
  dailyVegetablesFruit: boolean;
  bpMedication: boolean;
  highGlucoseHistory: boolean;
  familyHistoryDiabetes: 'none' | 'second-degree' | 'first-degree';
}

export type FindriscItem = keyof Omit<FindriscAnswers, 'sex'>;

/** Points per item as the FINDRISC form prints them (age in completed years). */
export function findriscPoints(a: FindriscAnswers): Record<FindriscItem, number> {
  const years = Math.floor(a.age);
  // Waist: men < 94 / 94–102 / > 102 cm; women < 80 / 80–88 / > 88 cm.
  const [waistLow, waistHigh] = a.sex === 'male' ? [94, 102] : [80, 88];
  return {
    age: years < 45 ? 0 : years <= 54 ? 2 : years <= 64 ? 3 : 4,
    bmi: a.bmi < 25 ? 0 : a.bmi <= 30 ? 1 : 3,
    waist: a.waist < waistLow ? 0 : a.waist <= waistHigh ? 3 : 4,
    physicallyActive: a.physicallyActive ? 0 : 2,
    dailyVegetablesFruit: a.dailyVegetablesFruit ? 0 : 1,
    bpMedication: a.bpMedication ? 2 : 0,
    highGlucoseHistory: a.highGlucoseHistory ? 5 : 0,
    familyHistoryDiabetes: { none: 0, 'second-degree': 3, 'first-degree': 5 }[
      a.familyHistoryDiabetes
    ],
  };
}

export type FindriscBand = 'low' | 'slightly-elevated' | 'moderate' | 'high' | 'very-high';

/** Total < 7 low, 7–11 slightly elevated, 12–14 moderate, 15–20 high, > 20 very high (10-year type 2 diabetes). */
export const findriscBanding: RiskBanding<FindriscBand> = {
  thresholds: [
    { cls: 'very-high', op: '>', value: 20 },
    { cls: 'high', op: '>=', value: 15 },
    { cls: 'moderate', op: '>=', value: 12 },
    { cls: 'slightly-elevated', op: '>=', value: 7 },
  ],
  otherwise: 'low',
  labels: {
    low: {
      'zh-CN': '糖尿病风险：低（<7分，约1/100在10年内发生2型糖尿病）。',
      en: 'Diabetes risk: low (< 7 points; about 1 in 100 develop type 2 diabetes within 10 years).',
    },
    'slightly-elevated': {
      'zh-CN': '糖尿病风险：略高（7–11分，约1/25）。保持健康饮食和运动。',
      en: 'Diabetes risk: slightly elevated (7–11 points; about 1 in 25). Keep up a healthy diet and activity.',
    },
    moderate: {
      'zh-CN': '糖尿病风险：中等（12–14分，约1/6）。建议与健康管理师讨论生活方式调整。',
      en: 'Diabetes risk: moderate (12–14 points; about 1 in 6). Please discuss lifestyle changes with your health manager.',
    },
    high: {
      'zh-CN': '糖尿病风险：高（15–20分，约1/3）。建议请医生安排血糖检测。',
      en: 'Diabetes risk: high (15–20 points; about 1 in 3). Please ask your doctor about a blood glucose test.',
    },
    'very-high': {
      'zh-CN': '糖尿病风险：很高（>20分，约1/2）。请尽快请医生安排血糖检测。',
      en: 'Diabetes risk: very high (> 20 points; about 1 in 2). Please ask your doctor about a blood glucose test soon.',
    },
  },
};

/** FINDRISC total (0–26 points) and band. */
export function findrisc(input: FindriscInput | Record<string, unknown>): RiskOutcome {
  const read = readRiskInputs(findriscInputs, input);
  if (!read.ok) return read;
  const { values, used, missing } = read.value;
  const base: Pick<RiskResult, 'model' | 'unit' | 'citation' | 'inputsUsed' | 'notes'> = {
    model: 'findrisc',
    unit: 'points',
    citation: findriscCitation,
    inputsUsed: used,
    notes: [
      'Screening questionnaire derived in Finnish adults; a high score calls for a glucose test, it is not a diagnosis.',
    ],
  };
  if (missing.length > 0) return insufficientData(base, missing);

  const points = findriscPoints(values as unknown as FindriscAnswers);
  const value = Object.values(points).reduce((a, b) => a + b, 0);
  const band = riskBandOf(findriscBanding, value);
  base.notes.push(
    `Points: ${Object.entries(points)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  return { ...base, value, band, bandLabel: findriscBanding.labels[band], missing: [] };
}
