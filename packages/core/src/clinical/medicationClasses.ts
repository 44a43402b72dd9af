/**
 * Medication classes the profile cares about, recognised by ATC code prefix or by ingredient name
 * (English, pinyin-free Chinese generic names). Names are how most sources (RxNorm displays, Chinese
 * prescriptions) arrive, so the ingredient list is the main route.
 */
export type MedicationClass =
  'antihypertensive' | 'glucose-lowering' | 'lipid-lowering' | 'urate-lowering';

export const medicationClassTable: Record<
  MedicationClass,
  { atcPrefixes: readonly string[]; ingredients: readonly string[] }
> = {
  antihypertensive: {
    atcPrefixes: ['C02', 'C03', 'C07', 'C08', 'C09'],
    ingredients: [
      'amlodipine',
      'nifedipine',
      'felodipine',
      'levamlodipine',
      'lacidipine',
      'benidipine',
      'lisinopril',
      'enalapril',
      'captopril',
      'benazepril',
      'perindopril',
      'ramipril',
      'fosinopril',
      'losartan',
      'valsartan',
      'irbesartan',
      'telmisartan',
      'candesartan',
      'olmesartan',
      'allisartan',
      'sacubitril',
      'hydrochlorothiazide',
      'chlorthalidone',
      'indapamide',
      'furosemide',
      'spironolactone',
      'metoprolol',
      'bisoprolol',
      'atenolol',
      'carvedilol',
      'propranolol',
      'labetalol',
      'nebivolol',
      'doxazosin',
      'prazosin',
      'terazosin',
      'clonidine',
      'methyldopa',
      'hydralazine',
      '氨氯地平',
      '硝苯地平',
      '非洛地平',
      '左旋氨氯地平',
      '拉西地平',
      '贝尼地平',
      '依那普利',
      '卡托普利',
      '贝那普利',
      '培哚普利',
      '雷米普利',
      '福辛普利',
      '赖诺普利',
      '氯沙坦',
      '缬沙坦',
      '厄贝沙坦',
      '替米沙坦',
      '坎地沙坦',
      '奥美沙坦',
      '阿利沙坦',
      '沙库巴曲',
      '氢氯噻嗪',
      '吲达帕胺',
      '呋塞米',
      '螺内酯',
      '美托洛尔',
      '比索洛尔',
      '阿替洛尔',
      '卡维地洛',
      '普萘洛尔',
      '拉贝洛尔',
      '特拉唑嗪',
      '多沙唑嗪',
      '可乐定',
      '利血平',
      '降压',
    ],
  },
  'glucose-lowering': {
    atcPrefixes: ['A10'],
    ingredients: [
      'metformin',
      'insulin',
      'glipizide',
      'gliclazide',
      'glimepiride',
      'glibenclamide',
      'glyburide',
      'acarbose',
      'voglibose',
      'sitagliptin',
      'saxagliptin',
      'linagliptin',
      'vildagliptin',
      'alogliptin',
      'dapagliflozin',
      'empagliflozin',
      'canagliflozin',
      'liraglutide',
      'semaglutide',
      'dulaglutide',
      'exenatide',
      'pioglitazone',
      'rosiglitazone',
      'repaglinide',
      'nateglinide',
      '二甲双胍',
      '胰岛素',
      '格列吡嗪',
      '格列齐特',
      '格列美脲',
      '格列本脲',
      '阿卡波糖',
      '伏格列波糖',
      '西格列汀',
      '沙格列汀',
      '利格列汀',
      '维格列汀',
      '阿格列汀',
      '达格列净',
      '恩格列净',
      '卡格列净',
      '利拉鲁肽',
      '司美格鲁肽',
      '度拉糖肽',
      '艾塞那肽',
      '吡格列酮',
      '罗格列酮',
      '瑞格列奈',
      '那格列奈',
      '降糖',
    ],
  },
  'lipid-lowering': {
    atcPrefixes: ['C10'],
    ingredients: [
      'atorvastatin',
      'rosuvastatin',
      'simvastatin',
      'pravastatin',
      'pitavastatin',
      'fluvastatin',
      'lovastatin',
      'ezetimibe',
      'fenofibrate',
      'gemfibrozil',
      'evolocumab',
      'alirocumab',
      'inclisiran',
      'icosapent',
      '阿托伐他汀',
      '瑞舒伐他汀',
      '辛伐他汀',
      '普伐他汀',
      '匹伐他汀',
      '氟伐他汀',
      '洛伐他汀',
      '依折麦布',
      '非诺贝特',
      '吉非罗齐',
      '依洛尤单抗',
      '阿利西尤单抗',
      '英克司兰',
      '血脂康',
    ],
  },
  'urate-lowering': {
    atcPrefixes: ['M04AA', 'M04AB'],
    ingredients: [
      'allopurinol',
      'febuxostat',
      'benzbromarone',
      'probenecid',
      '别嘌醇',
      '非布司他',
      '苯溴马隆',
      '丙磺舒',
    ],
  },
};

const inactive = new Set([
  'stopped',
  'completed',
  'cancelled',
  'entered-in-error',
  'not-taken',
  'on-hold',
  'revoked',
]);

export function isActiveMedicationStatus(status: string): boolean {
  return !inactive.has(status.toLowerCase());
}

/** The classes of a medication from its ATC code (when the system is ATC) and its name. */
export function medicationClasses(m: {
  name: string;
  code: string | null;
  system: string | null;
}): MedicationClass[] {
  const name = m.name.toLowerCase();
  const atc =
    m.system && m.system.toLowerCase().includes('atc') && m.code ? m.code.toUpperCase() : null;
  const out: MedicationClass[] = [];
  for (const [cls, t] of Object.entries(medicationClassTable) as [
    MedicationClass,
    (typeof medicationClassTable)[MedicationClass],
  ][]) {
    if (
      (atc && t.atcPrefixes.some((p) => atc.startsWith(p))) ||
      t.ingredients.some((i) => name.includes(i))
    )
      out.push(cls);
  }
  return out;
}
