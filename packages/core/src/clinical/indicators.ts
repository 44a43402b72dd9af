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
  /** vital: measured often at home; lab: sparse (checkups, clinics); body: anthropometry; activity: wearables. */
  category: 'vital' | 'lab' | 'body' | 'activity';
  /** Adult reference intervals in the canonical unit, first matching row wins (sex/age-specific rows first). */
  reference?: readonly ReferenceRange[];
}

/** A reference interval (low ≤ value ≤ high is normal); rows may be limited to a sex and an age band. */
export interface ReferenceRange {
  sex?: 'male' | 'female';
  /** Inclusive lower age bound, exclusive upper bound (years). */
  ageFrom?: number;
  ageTo?: number;
  low?: number;
  high?: number;
  /** Where the interval comes from (WS/T standard, guideline). */
  source: string;
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

const cnHtn = '中国高血压防治指南 2018';
const cnDm = '中国2型糖尿病防治指南 2020';
const cnLipid = '中国成人血脂异常防治指南 2016';
const wst404 = 'WS/T 404.5-2015 临床常用生化检验项目参考区间 第5部分';
const wst405 = 'WS/T 405-2012 血细胞分析参考区间';
const wst404Enzymes = 'WS/T 404.1-2012 临床常用生化检验项目参考区间 第1部分';
const enzymeUnits = { 'U/L': same, 'IU/L': same, '[IU]/L': same, 'u/L': same };
const countPerLitre = {
  '10*9/L': same,
  '10^9/L': same,
  '10*3/uL': same,
  '10^3/uL': same,
  '10*3/mm3': same,
  'K/uL': same,
  '/nL': same,
};

const cholesterolUnits = {
  'mmol/L': same,
  'mg/dL': mgdlToMmol(386.65),
  'mg/dl': mgdlToMmol(386.65),
};

export const indicators: readonly Indicator[] = [
  {
    id: 'sbp',
    name: { 'zh-CN': '收缩压', en: 'Systolic blood pressure' },
    aliases: ['血压(收缩压)', '收缩压(SBP)', '收缩压', '高压', 'SBP', 'systolic'],
    loinc: ['8480-6', '8459-0', '8460-8', '8461-6', '75997-7'],
    primaryLoinc: '8480-6',
    unit: 'mm[Hg]',
    displayUnit: 'mmHg',
    conversions: { 'mm[Hg]': same, mmHg: same, kPa: { factor: 7.50062 } },
    plausible: { min: 40, max: 300 },
    precision: 0,
    category: 'vital',
    reference: [{ low: 90, high: 139, source: cnHtn }],
  },
  {
    id: 'dbp',
    name: { 'zh-CN': '舒张压', en: 'Diastolic blood pressure' },
    aliases: ['血压(舒张压)', '舒张压(DBP)', '舒张压', '低压', 'DBP', 'diastolic'],
    loinc: ['8462-4', '8453-3', '8454-1', '8455-8', '75995-1'],
    primaryLoinc: '8462-4',
    unit: 'mm[Hg]',
    displayUnit: 'mmHg',
    conversions: { 'mm[Hg]': same, mmHg: same, kPa: { factor: 7.50062 } },
    plausible: { min: 20, max: 200 },
    precision: 0,
    category: 'vital',
    reference: [{ low: 60, high: 89, source: cnHtn }],
  },
  {
    id: 'heart_rate',
    name: { 'zh-CN': '心率', en: 'Heart rate' },
    aliases: ['脉率', '心率(次/分)', '心率', '脉搏', 'HR', 'pulse'],
    loinc: ['8867-4', '40443-4', '8889-8', '68999-2'],
    primaryLoinc: '8867-4',
    unit: '/min',
    displayUnit: 'bpm',
    conversions: {
      '/min': same,
      '{beats}/min': same,
      'beats/min': same,
      bpm: same,
      'count/min': same,
    },
    plausible: { min: 20, max: 300 },
    precision: 0,
    category: 'vital',
    reference: [{ low: 60, high: 100, source: 'WS/T 10010 / 诊断学 (adult resting 60–100 /min)' }],
  },
  {
    id: 'glucose',
    name: { 'zh-CN': '血糖', en: 'Blood glucose' },
    aliases: ['随机血糖', '血糖', '指尖血糖', '末梢血糖', 'glucose'],
    loinc: ['2339-0', '2345-7', '15074-8', '14749-6', '41653-7', '2341-6', '32016-8', '41604-0'],
    primaryLoinc: '2339-0',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: glucoseUnits,
    plausible: { min: 0.5, max: 60 },
    precision: 1,
    category: 'vital',
    reference: [{ low: 3.9, high: 11.0, source: cnDm }],
  },
  {
    id: 'fpg',
    name: { 'zh-CN': '空腹血糖', en: 'Fasting plasma glucose' },
    aliases: [
      '空腹血糖',
      '空腹血葡萄糖',
      '空腹葡萄糖',
      '血糖(空腹)',
      '葡萄糖(空腹)',
      '葡萄糖',
      '血清葡萄糖',
      'GLU',
      'FPG',
      'FBG',
    ],
    loinc: ['1558-6', '14771-0', '76629-5', '1556-0', '77145-1'],
    primaryLoinc: '1558-6',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: glucoseUnits,
    plausible: { min: 0.5, max: 60 },
    precision: 1,
    category: 'lab',
    reference: [{ low: 3.9, high: 6.0, source: cnDm }],
  },
  {
    id: 'ogtt_2h',
    name: { 'zh-CN': '餐后2小时血糖', en: '2-hour post-load glucose' },
    aliases: [
      '餐后2小时血糖',
      '餐后两小时血糖',
      '餐后2h血糖',
      '糖耐量2小时血糖',
      'OGTT2h',
      'OGTT 2h',
      '2hPG',
      '2h血糖',
    ],
    loinc: ['1518-0', '20438-8', '14760-3', '1521-4'],
    primaryLoinc: '1518-0',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: glucoseUnits,
    plausible: { min: 0.5, max: 60 },
    precision: 1,
    category: 'lab',
    reference: [{ high: 7.7, source: cnDm }],
  },
  {
    id: 'hba1c',
    name: { 'zh-CN': '糖化血红蛋白', en: 'HbA1c' },
    aliases: ['糖化血红蛋白', '糖化血红蛋白A1c', 'HbA1c', 'A1c', 'GHb', '糖化'],
    loinc: ['4548-4', '17856-6', '4549-2', '59261-8'],
    primaryLoinc: '4548-4',
    unit: '%',
    displayUnit: '%',
    // IFCC mmol/mol → NGSP %: % = 0.09148 × mmol/mol + 2.152 (IFCC–NGSP master equation).
    conversions: { '%': same, 'mmol/mol': { factor: 0.09148, offset: 2.152 } },
    plausible: { min: 2, max: 20 },
    precision: 1,
    category: 'lab',
    reference: [{ low: 4.0, high: 6.0, source: 'WS/T 461-2015 / 中国2型糖尿病防治指南 2020' }],
  },
  {
    id: 'tc',
    name: { 'zh-CN': '总胆固醇', en: 'Total cholesterol' },
    aliases: ['总胆固醇', '胆固醇', '血清总胆固醇', 'TC', 'CHOL', 'T-CHO', 'TCHO'],
    loinc: ['2093-3', '14647-2', '35200-5'],
    primaryLoinc: '2093-3',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: cholesterolUnits,
    plausible: { min: 0.5, max: 30 },
    precision: 2,
    category: 'lab',
    reference: [{ high: 5.17, source: cnLipid }],
  },
  {
    id: 'ldl',
    name: { 'zh-CN': '低密度脂蛋白胆固醇', en: 'LDL cholesterol' },
    aliases: [
      '低密度脂蛋白胆固醇',
      '低密度脂蛋白',
      '低密度脂蛋白-胆固醇',
      'LDL-C',
      'LDL-CH',
      'LDLC',
      'LDL',
    ],
    loinc: ['18262-6', '2089-1', '13457-7', '22748-8', '39469-2', '69419-0'],
    primaryLoinc: '18262-6',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: cholesterolUnits,
    plausible: { min: 0.05, max: 25 },
    precision: 2,
    category: 'lab',
    reference: [{ high: 3.39, source: cnLipid }],
  },
  {
    id: 'hdl',
    name: { 'zh-CN': '高密度脂蛋白胆固醇', en: 'HDL cholesterol' },
    aliases: [
      '高密度脂蛋白胆固醇',
      '高密度脂蛋白',
      '高密度脂蛋白-胆固醇',
      'HDL-C',
      'HDL-CH',
      'HDLC',
      'HDL',
    ],
    loinc: ['2085-9', '14646-4', '18263-4'],
    primaryLoinc: '2085-9',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: cholesterolUnits,
    plausible: { min: 0.05, max: 10 },
    precision: 2,
    category: 'lab',
    reference: [{ low: 1.0, source: cnLipid }],
  },
  {
    id: 'tg',
    name: { 'zh-CN': '甘油三酯', en: 'Triglycerides' },
    aliases: ['甘油三酯', '甘油三脂', '三酰甘油', 'TG', 'TRIG'],
    loinc: ['2571-8', '14927-8', '3043-7', '35217-9'],
    primaryLoinc: '2571-8',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: { 'mmol/L': same, 'mg/dL': mgdlToMmol(885.7), 'mg/dl': mgdlToMmol(885.7) },
    plausible: { min: 0.05, max: 120 },
    precision: 2,
    category: 'lab',
    reference: [{ high: 1.69, source: cnLipid }],
  },
  {
    id: 'creatinine',
    name: { 'zh-CN': '肌酐', en: 'Creatinine' },
    aliases: ['肌酐', '血肌酐', '血清肌酐', '肌酐(酶法)', 'Cr', 'Scr', 'CREA', 'CRE'],
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
    category: 'lab',
    reference: [
      { sex: 'male', ageFrom: 18, ageTo: 60, low: 57, high: 97, source: wst404 },
      { sex: 'male', ageFrom: 60, low: 57, high: 111, source: wst404 },
      { sex: 'female', ageFrom: 18, ageTo: 60, low: 41, high: 73, source: wst404 },
      { sex: 'female', ageFrom: 60, low: 41, high: 81, source: wst404 },
    ],
  },
  {
    id: 'uric_acid',
    name: { 'zh-CN': '尿酸', en: 'Uric acid' },
    aliases: ['尿酸', '血尿酸', '血清尿酸', 'UA', 'URIC'],
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
    category: 'lab',
    reference: [
      { sex: 'male', low: 208, high: 428, source: '全国临床检验操作规程 (第4版) 尿酸参考区间' },
      { sex: 'female', low: 155, high: 357, source: '全国临床检验操作规程 (第4版) 尿酸参考区间' },
      { high: 420, source: 'cn-hua-2019' },
    ],
  },
  {
    id: 'egfr',
    name: { 'zh-CN': '估算肾小球滤过率', en: 'eGFR' },
    aliases: ['估算肾小球滤过率', '肾小球滤过率', 'eGFR', 'GFR'],
    loinc: ['33914-3', '62238-1', '98979-8', '48642-3', '48643-1', '69405-9', '50044-7'],
    primaryLoinc: '98979-8',
    unit: 'mL/min/{1.73_m2}',
    displayUnit: 'mL/min/1.73m²',
    conversions: { 'mL/min/{1.73_m2}': same, 'mL/min/1.73m2': same, 'mL/min': same },
    plausible: { min: 1, max: 200 },
    precision: 0,
    category: 'lab',
    reference: [{ low: 90, source: 'KDIGO 2012 (G1 ≥ 90)' }],
  },
  {
    id: 'weight',
    name: { 'zh-CN': '体重', en: 'Body weight' },
    aliases: ['体重', '体重(kg)', 'weight'],
    loinc: ['29463-7', '3141-9', '3142-7'],
    primaryLoinc: '29463-7',
    unit: 'kg',
    displayUnit: 'kg',
    conversions: {
      kg: same,
      g: { factor: 0.001 },
      '[lb_av]': { factor: 0.45359237 },
      lb: { factor: 0.45359237 },
    },
    plausible: { min: 0.5, max: 400 },
    precision: 1,
    category: 'body',
  },
  {
    id: 'height',
    name: { 'zh-CN': '身高', en: 'Body height' },
    aliases: ['身高', '身高(cm)', 'height'],
    loinc: ['8302-2', '8306-3', '8308-9'],
    primaryLoinc: '8302-2',
    unit: 'cm',
    displayUnit: 'cm',
    conversions: {
      cm: same,
      m: { factor: 100 },
      mm: { factor: 0.1 },
      '[in_i]': { factor: 2.54 },
      in: { factor: 2.54 },
      '[ft_i]': { factor: 30.48 },
    },
    plausible: { min: 30, max: 260 },
    precision: 1,
    category: 'body',
  },
  {
    id: 'bmi',
    name: { 'zh-CN': '体重指数', en: 'Body mass index' },
    aliases: ['体重指数', '体质指数', 'BMI'],
    loinc: ['39156-5'],
    primaryLoinc: '39156-5',
    unit: 'kg/m2',
    displayUnit: 'kg/m²',
    conversions: { 'kg/m2': same, 'kg/m^2': same },
    plausible: { min: 8, max: 90 },
    precision: 1,
    category: 'body',
    reference: [{ low: 18.5, high: 23.9, source: 'WS/T 428-2013' }],
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
    category: 'body',
    reference: [
      { sex: 'male', high: 89.9, source: 'WS/T 428-2013' },
      { sex: 'female', high: 84.9, source: 'WS/T 428-2013' },
    ],
  },
  {
    id: 'steps',
    name: { 'zh-CN': '步数', en: 'Step count' },
    aliases: ['步数', 'steps'],
    loinc: ['55423-8', '41950-7'],
    primaryLoinc: '55423-8',
    unit: '{steps}',
    displayUnit: 'steps',
    conversions: {
      '{steps}': same,
      steps: same,
      '/d': same,
      '{count}': same,
      count: same,
      '1': same,
    },
    plausible: { min: 0, max: 150000 },
    precision: 0,
    category: 'activity',
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
    category: 'activity',
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
    category: 'vital',
    reference: [{ low: 36.0, high: 37.3, source: '诊断学 (腋温 36.0–37.3 °C)' }],
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
    category: 'vital',
    reference: [{ low: 95, high: 100, source: '诊断学 (SpO₂ ≥ 95%)' }],
  },
  {
    id: 'urine_acr',
    name: { 'zh-CN': '尿白蛋白/肌酐比值', en: 'Urine albumin/creatinine ratio' },
    aliases: [
      '尿微量白蛋白/肌酐',
      '尿微量白蛋白/尿肌酐',
      '尿白蛋白/肌酐比值',
      '尿微量白蛋白肌酐比',
      '尿微量白蛋白/肌酐比值',
      'UACR',
      'ACR',
      'mALB/CR',
      'MA/CR',
    ],
    // 9318-7 and 14959-1 (mass ratio, mg/g); 14958-3 (molar ratio, mg/mmol); 32294-1, 30000-4 (ratio).
    loinc: ['9318-7', '14959-1', '14958-3', '32294-1', '30000-4', '13705-9', '44292-1'],
    primaryLoinc: '9318-7',
    unit: 'mg/g',
    displayUnit: 'mg/g',
    // 1 mg/mmol creatinine = 1 mg / 113.12 mg creatinine = 8.84 mg/g.
    conversions: {
      'mg/g': same,
      'mg/g{creat}': same,
      'ug/mg': same,
      'µg/mg': same,
      'ug/mg{creat}': same,
      'mg/mmol': { factor: 8.84 },
      'mg/mmol{creat}': { factor: 8.84 },
      'g/mol{creat}': { factor: 8.84 },
    },
    plausible: { min: 0, max: 10000 },
    precision: 1,
    category: 'lab',
    reference: [{ high: 29.9, source: 'KDIGO 2012 (A1 < 30 mg/g)' }],
  },
  {
    id: 'urea',
    name: { 'zh-CN': '尿素', en: 'Urea' },
    aliases: ['尿素', '尿素氮', '血尿素氮', 'BUN', 'UREA'],
    // Molar urea (mmol/L) and urea nitrogen (mg/dL, 1 mg/dL BUN = 0.357 mmol/L urea).
    loinc: ['22664-7', '14937-7', '3094-0', '6299-2'],
    primaryLoinc: '22664-7',
    unit: 'mmol/L',
    displayUnit: 'mmol/L',
    conversions: { 'mmol/L': same, 'mg/dL': { factor: 0.357 }, 'mg/dl': { factor: 0.357 } },
    plausible: { min: 0.3, max: 100 },
    precision: 2,
    category: 'lab',
    reference: [
      { sex: 'male', ageFrom: 18, ageTo: 60, low: 3.1, high: 8.0, source: wst404 },
      { sex: 'male', ageFrom: 60, low: 3.6, high: 9.5, source: wst404 },
      { sex: 'female', ageFrom: 18, ageTo: 60, low: 2.6, high: 7.5, source: wst404 },
      { sex: 'female', ageFrom: 60, low: 3.1, high: 8.8, source: wst404 },
    ],
  },
  {
    id: 'alt',
    name: { 'zh-CN': '丙氨酸氨基转移酶', en: 'Alanine aminotransferase (ALT)' },
    aliases: ['丙氨酸氨基转移酶', '谷丙转氨酶', '丙氨酸转氨酶', 'ALT', 'GPT'],
    loinc: ['1742-6', '1743-4', '1744-2', '77144-4'],
    primaryLoinc: '1742-6',
    unit: 'U/L',
    displayUnit: 'U/L',
    conversions: enzymeUnits,
    plausible: { min: 0, max: 20000 },
    precision: 0,
    category: 'lab',
    reference: [
      { sex: 'male', low: 9, high: 50, source: wst404Enzymes },
      { sex: 'female', low: 7, high: 40, source: wst404Enzymes },
    ],
  },
  {
    id: 'ast',
    name: { 'zh-CN': '天门冬氨酸氨基转移酶', en: 'Aspartate aminotransferase (AST)' },
    aliases: ['天门冬氨酸氨基转移酶', '天冬氨酸氨基转移酶', '谷草转氨酶', 'AST', 'GOT'],
    loinc: ['1920-8', '30239-8'],
    primaryLoinc: '1920-8',
    unit: 'U/L',
    displayUnit: 'U/L',
    conversions: enzymeUnits,
    plausible: { min: 0, max: 20000 },
    precision: 0,
    category: 'lab',
    reference: [
      { sex: 'male', low: 15, high: 40, source: wst404Enzymes },
      { sex: 'female', low: 13, high: 35, source: wst404Enzymes },
    ],
  },
  {
    id: 'ggt',
    name: { 'zh-CN': 'γ-谷氨酰转移酶', en: 'Gamma-glutamyl transferase (GGT)' },
    aliases: ['γ-谷氨酰转移酶', 'γ-谷氨酰转肽酶', '谷氨酰转肽酶', '谷氨酰转移酶', 'γ-GT', 'GGT'],
    loinc: ['2324-2'],
    primaryLoinc: '2324-2',
    unit: 'U/L',
    displayUnit: 'U/L',
    conversions: enzymeUnits,
    plausible: { min: 0, max: 20000 },
    precision: 0,
    category: 'lab',
    reference: [
      { sex: 'male', low: 10, high: 60, source: wst404Enzymes },
      { sex: 'female', low: 7, high: 45, source: wst404Enzymes },
    ],
  },
  {
    id: 'hemoglobin',
    name: { 'zh-CN': '血红蛋白', en: 'Haemoglobin' },
    aliases: ['血红蛋白', '血红蛋白浓度', 'HGB', 'Hb'],
    loinc: ['718-7', '20509-6', '30313-1'],
    primaryLoinc: '718-7',
    unit: 'g/L',
    displayUnit: 'g/L',
    conversions: { 'g/L': same, 'g/dL': { factor: 10 }, 'g/dl': { factor: 10 } },
    plausible: { min: 10, max: 300 },
    precision: 0,
    category: 'lab',
    reference: [
      { sex: 'male', low: 130, high: 175, source: wst405 },
      { sex: 'female', low: 115, high: 150, source: wst405 },
    ],
  },
  {
    id: 'wbc',
    name: { 'zh-CN': '白细胞计数', en: 'White blood cell count' },
    aliases: ['白细胞计数', '白细胞', 'WBC'],
    loinc: ['6690-2', '26464-8'],
    primaryLoinc: '6690-2',
    unit: '10*9/L',
    displayUnit: '×10⁹/L',
    conversions: countPerLitre,
    plausible: { min: 0.05, max: 500 },
    precision: 2,
    category: 'lab',
    reference: [{ low: 3.5, high: 9.5, source: wst405 }],
  },
  {
    id: 'platelets',
    name: { 'zh-CN': '血小板计数', en: 'Platelet count' },
    aliases: ['血小板计数', '血小板', 'PLT'],
    loinc: ['777-3', '26515-7'],
    primaryLoinc: '777-3',
    unit: '10*9/L',
    displayUnit: '×10⁹/L',
    conversions: countPerLitre,
    plausible: { min: 1, max: 3000 },
    precision: 0,
    category: 'lab',
    reference: [{ low: 125, high: 350, source: wst405 }],
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

/** Report item names compare without case, spaces, or full-width/half-width punctuation differences. */
export function normalizeItemName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_·]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

const byAlias = new Map<string, Indicator>();
for (const i of indicators) {
  for (const a of [i.id, i.name['zh-CN'], i.name.en, ...i.aliases]) {
    const key = normalizeItemName(a);
    if (!byAlias.has(key)) byAlias.set(key, i);
  }
}

/**
 * The indicator a checkup-report item name means: "总胆固醇", "总胆固醇(TC)", "TC", "LDL-C" … Tries the
 * whole name, then the part before a bracket, then the bracketed abbreviation.
 */
export function indicatorForName(name: string): Indicator | undefined {
  const n = normalizeItemName(name);
  const direct = byAlias.get(n);
  if (direct) return direct;
  const m = /^(.*?)\((.*?)\)(.*)$/.exec(n);
  if (m) {
    const head = (m[1] ?? '') + (m[3] ?? '');
    return byAlias.get(head) ?? byAlias.get(m[2] ?? '') ?? byAlias.get(m[1] ?? '');
  }
  return undefined;
}

/** The reference interval for a member: sex- and age-specific rows first; undefined when none applies. */
export function referenceRangeFor(
  indicator: Indicator,
  sex: string | null | undefined,
  ageYears: number | null | undefined,
): ReferenceRange | undefined {
  return indicator.reference?.find(
    (r) =>
      (!r.sex || r.sex === sex) &&
      (r.ageFrom === undefined || (ageYears != null && ageYears >= r.ageFrom)) &&
      (r.ageTo === undefined || (ageYears != null && ageYears < r.ageTo)),
  );
}

export type NormalizeResult =
  | { ok: true; value: number; unit: string }
  | { ok: false; reason: 'unknown-unit' | 'implausible'; message: string };

/**
 * Converts a value to the indicator's canonical unit and checks it is physiologically possible.
 * The message names the indicator, the value and the range, so a rejected item explains itself.
 */
export function normalizeQuantity(
  indicator: Indicator,
  value: number,
  unit: string,
): NormalizeResult {
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
