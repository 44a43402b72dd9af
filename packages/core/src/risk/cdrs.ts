import { ageField, bmiField, sbpField, sexField, waistField, yesNoField } from './riskFields.ts';
import { readRiskInputs, type RiskFieldSpecs, type RiskInput } from './riskInputs.ts';
import { riskBandOf, type RiskBanding } from './riskBands.ts';
import { insufficientData, type RiskOutcome, type RiskResult } from './riskResult.ts';

export const cdrsCitation =
  'Zhou X, Qiao Q, Ji L, et al. Nonlaboratory-based risk assessment algorithm for undiagnosed type 2 diabetes developed on a nation-wide diabetes survey. Diabetes Care 2013;36:3944–3952; as adopted by 中国2型糖尿病防治指南 (2020年版), 中国糖尿病风险评分表';

export const cdrsInputs: RiskFieldSpecs = {
  age: ageField(20, 74, 'the age range the score table covers (20–74 years)'),
  sex: sexField,
  waist: waistField,
  bmi: bmiField,
  sbp: sbpField,
  familyHistoryDiabetes: yesNoField('A parent, sibling or child with diabetes.'),
};

export interface CdrsInput {
  age?: RiskInput<number>;
  sex?: RiskInput<'male' | 'female'>;
  waist?: RiskInput<number>;
  bmi?: RiskInput<number>;
  sbp?: RiskInput<number>;
  familyHistoryDiabetes?: RiskInput<boolean>;
}

export interface CdrsAnswers {
  age: number;
  sex: 'male' | 'female';
  waist: number;
  bmi: number;
  sbp: number;
  familyHistoryDiabetes: boolean;
}

/** Lower bound → points; the first row whose bound the value reaches wins (rows high to low). */
type PointsTable = readonly (readonly [lowerBound: number, points: number])[];

const pick = (table: PointsTable, value: number): number =>
  table.find(([bound]) => value >= bound)?.[1] ?? 0;

/** 中国糖尿病风险评分表 (Zhou 2013; 中国2型糖尿病防治指南 2020), each item as printed. */
export const cdrsTables = {
  /** Age in completed years: 20–24 0, 25–34 4, 35–39 8, 40–44 11, 45–49 12, 50–54 13, 55–59 15, 60–64 16, 65–74 18. */
  age: [
    [65, 18],
    [60, 16],
    [55, 15],
    [50, 13],
    [45, 12],
    [40, 11],
    [35, 8],
    [25, 4],
    [20, 0],
  ],
  /** Waist (cm), men: < 75 0, 75.0–79.9 3, 80.0–84.9 5, 85.0–89.9 7, 90.0–94.9 8, ≥ 95 10. */
  waistMale: [
    [95, 10],
    [90, 8],
    [85, 7],
    [80, 5],
    [75, 3],
  ],
  /** Waist (cm), women: < 70 0, 70.0–74.9 3, 75.0–79.9 5, 80.0–84.9 7, 85.0–89.9 8, ≥ 90 10. */
  waistFemale: [
    [90, 10],
    [85, 8],
    [80, 7],
    [75, 5],
    [70, 3],
  ],
  /** BMI (kg/m²): < 22.0 0, 22.0–23.9 1, 24.0–29.9 3, ≥ 30.0 5. */
  bmi: [
    [30, 5],
    [24, 3],
    [22, 1],
  ],
  /** SBP (mmHg): < 110 0, 110–119 1, 120–129 3, 130–139 6, 140–149 7, 150–159 8, ≥ 160 10. */
  sbp: [
    [160, 10],
    [150, 8],
    [140, 7],
    [130, 6],
    [120, 3],
    [110, 1],
  ],
} as const satisfies Record<string, PointsTable>;

export type CdrsItem = keyof CdrsAnswers;

/** Points per item: sex (female 0, male 2) and family history of diabetes (no 0, yes 6) besides the tables. */
export function cdrsPoints(a: CdrsAnswers): Record<CdrsItem, number> {
  return {
    age: pick(cdrsTables.age, Math.floor(a.age)),
    sex: a.sex === 'male' ? 2 : 0,
    waist: pick(a.sex === 'male' ? cdrsTables.waistMale : cdrsTables.waistFemale, a.waist),
    bmi: pick(cdrsTables.bmi, a.bmi),
    sbp: pick(cdrsTables.sbp, a.sbp),
    familyHistoryDiabetes: a.familyHistoryDiabetes ? 6 : 0,
  };
}

export type CdrsBand = 'low' | 'high';

/** Total ≥ 25: high risk of (undiagnosed) type 2 diabetes, an OGTT is recommended. */
export const cdrsBanding: RiskBanding<CdrsBand> = {
  thresholds: [{ cls: 'high', op: '>=', value: 25 }],
  otherwise: 'low',
  labels: {
    low: {
      'zh-CN': '中国糖尿病风险评分 <25 分：未达高风险切点。建议按计划体检。',
      en: 'Chinese Diabetes Risk Score < 25: below the high-risk cut-off. Keep up regular check-ups.',
    },
    high: {
      'zh-CN':
        '中国糖尿病风险评分 ≥25 分：糖尿病高风险，建议请医生安排口服葡萄糖耐量试验（OGTT）。',
      en: 'Chinese Diabetes Risk Score ≥ 25: high diabetes risk. Please ask your doctor about an oral glucose tolerance test (OGTT).',
    },
  },
};

/** CDRS total (0–51 points) and band. */
export function cdrs(input: CdrsInput | Record<string, unknown>): RiskOutcome {
  const read = readRiskInputs(cdrsInputs, input);
  if (!read.ok) return read;
  const { values, used, missing } = read.value;
  const base: Pick<RiskResult, 'model' | 'unit' | 'citation' | 'inputsUsed' | 'notes'> = {
    model: 'cdrs',
    unit: 'points',
    citation: cdrsCitation,
    inputsUsed: used,
    notes: [
      'Screening score for Chinese adults aged 20–74; a high score calls for an OGTT, it is not a diagnosis.',
    ],
  };
  if (missing.length > 0) return insufficientData(base, missing);

  const points = cdrsPoints(values as unknown as CdrsAnswers);
  const value = Object.values(points).reduce((a, b) => a + b, 0);
  const band = riskBandOf(cdrsBanding, value);
  base.notes.push(
    `Points: ${Object.entries(points)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  return { ...base, value, band, bandLabel: cdrsBanding.labels[band], missing: [] };
}
