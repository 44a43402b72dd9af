/**
 * The indicator catalogue: which LOINC codes mean the same clinical quantity, its canonical UCUM
 * unit, how other units convert to it (canonical = value × factor + offset), names and the plausible
 * physiological range outside which a value is rejected at ingest. Data, not code: rules elsewhere
 * refer to indicators by id, never to individual LOINC codes.
 */

export interface UnitConversion {
  factor: number;
  offset?: number;
}

export interface Indicator {
  id: string;
  name: { 'zh-CN': string; en: string };
  /** Names used on Chinese checkup reports and in other sources. */
  aliases: string[];
  /** LOINC codes for this quantity (mass and molar variants, specimen variants). */
  loinc: string[];
  /** The LOINC code stored for values of this indicator that arrive without one (e.g. Apple Health). */
  primaryLoinc: string;
  /** Canonical UCUM unit. */
  unit: string;
  /** How the unit is shown to people (µmol/L rather than umol/L, mmHg rather than mm[Hg]). */
  displayUnit: string;
  /** Accepted source units (UCUM or common spellings) and their conversion to the canonical unit. */
  conversions: Record<string, UnitConversion>;
  /** Values outside [min, max] in the canonical unit are physiologically impossible: rejected. */
  plausible: { min: number; max: number };
  /** Decimal places worth keeping in the canonical unit. */
  precision: number;
}

const same: UnitConversion = { factor: 1 };
// Molar masses (g/mol): glucose 180.16, cholesterol 386.65, triglyceride (as triolein) 885.7,
// creatinine 113.12, uric acid 168.11. mg/dL → mmol/L = 10 / M; mg/dL → µmol/L = 10 000 / M.
const mgdlToMmol = (molarMass: number): UnitConversion => ({ factor: 10 / molarMass });
const mgdlToUmol = (molarMass: number): UnitConversion => ({ factor: 10000 / molarMass });

const glucoseUnits = {
  'mmol/L': same,
  'mg/dL': mgdlToMmol(180.16),
  'mg/dl': mgdlToMmol(180.16),
};

const cholesterolUnits = { 'mmol/L': same, 'mg/dL': mgdlToMmol(386.65), 'mg/dl': mgdlToMmol(386.65) };

export const indicators: readonly Indicator[] = [
  {
    id: 'sbp',
    name: { 'zh-CN': '收缩压', en: 'Systolic blood pressure' },
    aliases: ['收缩压', '高压', 'SBP', 'systolic'],
    loinc: ['8480-6', '8459-0', '8460-8', '8461-6', '75997-7'],
    primaryLoinc: '8480-6',
    unit: 'mm[Hg]',
    displayUnit: 'mmHg',
    conversions: { 'mm[Hg]': same, mmHg: same, kPa: { factor: 7.50062 } },
    plausible: { min: 40, max: 300 },
    precision: 0,
  },
  {
    id: 'dbp',
    name: { 'zh-CN': '舒张压', en: 'Diastolic blood pressure' },
    aliases: ['舒张压', '低压', 'DBP', 'diastolic'],
    loinc: ['8462-4', '8453-3', '8454-1', '8455-8', '75995-1'],
    primaryLoinc: '8462-4',
    unit: 'mm[Hg]',
    displayUnit: 'mmHg',
    conversions: { 'mm[Hg]': same, mmHg: same, kPa: { factor: 7.50062 } },
    plausible: { min: 20, max: 200 },
    precision: 0,
  },
  {
    id: 'heart_rate',
    name: { 'zh-CN': '心率', en: 'Heart rate' },
    aliases: ['心率', '脉搏', 'HR', 'pulse'],
    loinc: ['8867-4', '40443-4', '8889-8', '68999-2'],
    primaryLoinc: '8867-4',
    unit: '/min',
    displayUnit: 'bpm',
    conversions: { '/min': same, '{beats}/min': same, 'beats/min': same, bpm: same, 'count/min': same },
    plausible: { min: 20, max: 300 },
    precision: 0,
  },
  {
    id: 'glucose',
    name: { 'zh-CN': '血糖', en: 'Blood glucose' },
    aliases: ['血糖', '随机血糖', 'GLU', 'glucose'],
    loinc: ['2339-0', '2345-7', '15074-8', '14749-6', '41653-7', '2341-6', '32016-8', '41604-0'],
    primaryLoinc: '2339-0',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: glucoseUnits,
    plausible: { min: 0.5, max: 60 },
    precision: 1,
  },
  {
    id: 'fpg',
    name: { 'zh-CN': '空腹血糖', en: 'Fasting plasma glucose' },
    aliases: ['空腹血糖', '空腹葡萄糖', 'FPG', 'FBG'],
    loinc: ['1558-6', '14771-0', '76629-5', '1556-0', '77145-1'],
    primaryLoinc: '1558-6',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: glucoseUnits,
    plausible: { min: 0.5, max: 60 },
    precision: 1,
  },
  {
    id: 'ogtt_2h',
    name: { 'zh-CN': '餐后2小时血糖', en: '2-hour post-load glucose' },
    aliases: ['餐后2小时血糖', '餐后两小时血糖', 'OGTT 2h', '2hPG'],
    loinc: ['1518-0', '20438-8', '14760-3', '1521-4'],
    primaryLoinc: '1518-0',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: glucoseUnits,
    plausible: { min: 0.5, max: 60 },
    precision: 1,
  },
  {
    id: 'hba1c',
    name: { 'zh-CN': '糖化血红蛋白', en: 'HbA1c' },
    aliases: ['糖化血红蛋白', 'HbA1c', 'A1c', '糖化'],
    loinc: ['4548-4', '17856-6', '4549-2', '59261-8'],
    primaryLoinc: '4548-4',
    unit: '%',
    displayUnit: '%',
    // IFCC mmol/mol → NGSP %: % = 0.09148 × mmol/mol + 2.152 (IFCC–NGSP master equation).
    conversions: { '%': same, 'mmol/mol': { factor: 0.09148, offset: 2.152 } },
    plausible: { min: 2, max: 20 },
    precision: 1,
  },
  {
    id: 'tc',
    name: { 'zh-CN': '总胆固醇', en: 'Total cholesterol' },
    aliases: ['总胆固醇', 'TC', 'CHOL'],
    loinc: ['2093-3', '14647-2', '35200-5'],
    primaryLoinc: '2093-3',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: cholesterolUnits,
    plausible: { min: 0.5, max: 30 },
    precision: 2,
  },
  {
    id: 'ldl',
    name: { 'zh-CN': '低密度脂蛋白胆固醇', en: 'LDL cholesterol' },
    aliases: ['低密度脂蛋白胆固醇', '低密度脂蛋白', 'LDL-C', 'LDL'],
    loinc: ['18262-6', '2089-1', '13457-7', '22748-8', '39469-2', '69419-0'],
    primaryLoinc: '18262-6',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: cholesterolUnits,
    plausible: { min: 0.05, max: 25 },
    precision: 2,
  },
  {
    id: 'hdl',
    name: { 'zh-CN': '高密度脂蛋白胆固醇', en: 'HDL cholesterol' },
    aliases: ['高密度脂蛋白胆固醇', '高密度脂蛋白', 'HDL-C', 'HDL'],
    loinc: ['2085-9', '14646-4', '18263-4'],
    primaryLoinc: '2085-9',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: cholesterolUnits,
    plausible: { min: 0.05, max: 10 },
    precision: 2,
  },
  {
    id: 'tg',
    name: { 'zh-CN': '甘油三酯', en: 'Triglycerides' },
    aliases: ['甘油三酯', '三酰甘油', 'TG'],
    loinc: ['2571-8', '14927-8', '3043-7'],
    primaryLoinc: '2571-8',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: { 'mmol/L': same, 'mg/dL': mgdlToMmol(885.7), 'mg/dl': mgdlToMmol(885.7) },
    plausible: { min: 0.05, max: 120 },
    precision: 2,
  },
  {
    id: 'creatinine',
    name: { 'zh-CN': '肌酐', en: 'Creatinine' },
    aliases: ['肌酐', '血肌酐', 'Cr', 'Scr', 'CREA'],
    loinc: ['2160-0', '38483-4', '14682-9', '59826-8'],
    primaryLoinc: '2160-0',
    unit: 'umol/L',
    displayUnit: 'µmol/L',
    conversions: {
      'umol/L': same,
      'µmol/L': same,
      'mg/dL': mgdlToUmol(113.12),
      'mg/dl': mgdlToUmol(113.12),
    },
    plausible: { min: 5, max: 3000 },
    precision: 0,
  },
  {
    id: 'uric_acid',
    name: { 'zh-CN': '尿酸', en: 'Uric acid' },
    aliases: ['尿酸', '血尿酸', 'UA', 'URIC'],
    loinc: ['3084-1', '14933-6'],
    primaryLoinc: '3084-1',
    unit: 'umol/L',
    displayUnit: 'µmol/L',
    conversions: {
      'umol/L': same,
      'µmol/L': same,
      'mg/dL': mgdlToUmol(168.11),
      'mg/dl': mgdlToUmol(168.11),
    },
    plausible: { min: 30, max: 1500 },
    precision: 0,
  },
  {
    id: 'egfr',
    name: { 'zh-CN': '估算肾小球滤过率', en: 'eGFR' },
    aliases: ['估算肾小球滤过率', 'eGFR', '肾小球滤过率'],
    loinc: ['33914-3', '62238-1', '98979-8', '48642-3', '48643-1', '69405-9', '50044-7'],
    primaryLoinc: '98979-8',
    unit: 'mL/min/{1.73_m2}',
    displayUnit: 'mL/min/1.73m²',
    conversions: { 'mL/min/{1.73_m2}': same, 'mL/min/1.73m2': same, 'mL/min': same },
    plausible: { min: 1, max: 200 },
    precision: 0,
  },
  {
    id: 'weight',
    name: { 'zh-CN': '体重', en: 'Body weight' },
    aliases: ['体重', 'weight'],
    loinc: ['29463-7', '3141-9', '3142-7'],
    primaryLoinc: '29463-7',
    unit: 'kg',
    displayUnit: 'kg',
    conversions: { kg: same, g: { factor: 0.001 }, '[lb_av]': { factor: 0.45359237 }, lb: { factor: 0.45359237 } },
    plausible: { min: 0.5, max: 400 },
    precision: 1,
  },
  {
    id: 'height',
    name: { 'zh-CN': '身高', en: 'Body height' },
    aliases: ['身高', 'height'],
    loinc: ['8302-2', '8306-3', '8308-9'],
    primaryLoinc: '8302-2',
    unit: 'cm',
    displayUnit: 'cm',
    conversions: { cm: same, m: { factor: 100 }, mm: { factor: 0.1 }, '[in_i]': { factor: 2.54 }, in: { factor: 2.54 }, '[ft_i]': { factor: 30.48 } },
    plausible: { min: 30, max: 260 },
    precision: 1,
  },
  {
    id: 'bmi',
    name: { 'zh-CN': '体重指数', en: 'Body mass index' },
    aliases: ['体重指数', 'BMI'],
    loinc: ['39156-5'],
    primaryLoinc: '39156-5',
    unit: 'kg/m2',
    displayUnit: 'kg/m²',
    conversions: { 'kg/m2': same, 'kg/m^2': same },
    plausible: { min: 8, max: 90 },
    precision: 1,
  },
  {
    id: 'waist',
    name: { 'zh-CN': '腰围', en: 'Waist circumference' },
    aliases: ['腰围', 'waist'],
    loinc: ['8280-0', '56086-2', '56115-9'],
    primaryLoinc: '8280-0',
    unit: 'cm',
    displayUnit: 'cm',
    conversions: { cm: same, m: { factor: 100 }, '[in_i]': { factor: 2.54 }, in: { factor: 2.54 } },
    plausible: { min: 30, max: 250 },
    precision: 1,
  },
  {
    id: 'steps',
    name: { 'zh-CN': '步数', en: 'Step count' },
    aliases: ['步数', 'steps'],
    loinc: ['55423-8', '41950-7'],
    primaryLoinc: '55423-8',
    unit: '{steps}',
    displayUnit: 'steps',
    conversions: { '{steps}': same, steps: same, '/d': same, '{count}': same, count: same, '1': same },
    plausible: { min: 0, max: 150000 },
    precision: 0,
  },
  {
    id: 'sleep_duration',
    name: { 'zh-CN': '睡眠时长', en: 'Sleep duration' },
    aliases: ['睡眠时长', 'sleep'],
    loinc: ['93832-4'],
    primaryLoinc: '93832-4',
    unit: 'h',
    displayUnit: 'h',
    conversions: { h: same, min: { factor: 1 / 60 }, s: { factor: 1 / 3600 }, d: { factor: 24 } },
    plausible: { min: 0, max: 24 },
    precision: 2,
  },
  {
    id: 'body_temperature',
    name: { 'zh-CN': '体温', en: 'Body temperature' },
    aliases: ['体温', 'temperature'],
    loinc: ['8310-5', '8331-1', '8332-9'],
    primaryLoinc: '8310-5',
    unit: 'Cel',
    displayUnit: '°C',
    conversions: { Cel: same, '°C': same, '[degF]': { factor: 5 / 9, offset: -32 * (5 / 9) } },
    plausible: { min: 25, max: 45 },
    precision: 1,
  },
  {
    id: 'spo2',
    name: { 'zh-CN': '血氧饱和度', en: 'Oxygen saturation' },
    aliases: ['血氧饱和度', '血氧', 'SpO2'],
    loinc: ['59408-5', '2708-6', '20564-1'],
    primaryLoinc: '59408-5',
    unit: '%',
    displayUnit: '%',
    conversions: { '%': same },
    plausible: { min: 50, max: 100 },
    precision: 0,
  },
];

const byId = new Map(indicators.map((i) => [i.id, i]));
const byLoinc = new Map(indicators.flatMap((i) => i.loinc.map((code) => [code, i] as const)));

export function indicatorById(id: string): Indicator | undefined {
  return byId.get(id);
}

export function indicatorForLoinc(code: string): Indicator | undefined {
  return byLoinc.get(code);
}

export type NormalizeResult =
  | { ok: true; value: number; unit: string }
  | { ok: false; reason: 'unknown-unit' | 'implausible'; message: string };

/**
 * Converts a value to the indicator's canonical unit and checks it is physiologically possible.
 * The message names the indicator, the value and the range, so a rejected item explains itself.
 */
export function normalizeQuantity(indicator: Indicator, value: number, unit: string): NormalizeResult {
  const conversion = indicator.conversions[unit.trim()];
  if (!conversion) {
    return {
      ok: false,
      reason: 'unknown-unit',
      message: `${indicator.name.en}: unit '${unit}' is not one of ${Object.keys(indicator.conversions).join(', ')}`,
    };
  }
  const raw = value * conversion.factor + (conversion.offset ?? 0);
  const scale = 10 ** Math.max(indicator.precision + 2, 2);
  const canonical = Math.round(raw * scale) / scale;
  const { min, max } = indicator.plausible;
  if (!Number.isFinite(canonical) || canonical < min || canonical > max) {
    return {
      ok: false,
      reason: 'implausible',
      message: `${indicator.name.en} ${value} ${unit} is outside the plausible range ${min}–${max} ${indicator.displayUnit}`,
    };
  }
  return { ok: true, value: canonical, unit: indicator.unit };
}
