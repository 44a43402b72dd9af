import type { MedicationInput } from '../model/types.ts';

export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

interface Drug {
  /** RxNorm SCD; null when RxNorm has no such product (gliclazide is not marketed in the US). */
  rxnorm: string | null;
  /** Chinese prescriptions name the salt and the form; the profile matches on the ingredient. */
  name: { 'zh-CN': string; en: string };
  /** One dose as written on the label. */
  dose: { 'zh-CN': string; en: string };
}

/**
 * The drugs of the demo, first-line choices of the Chinese guidelines for the personas. RxNorm codes
 * are the clinical drugs (SCD) of the eCQM value sets "Pharmacologic Therapy for Hypertension" and
 * "Moderate Intensity Statin Therapy" and of the Synthea sample records.
 */
export const demoDrugs = {
  amlodipine: {
    rxnorm: '197361', // amlodipine 5 MG Oral Tablet
    name: { 'zh-CN': '苯磺酸氨氯地平片 5mg', en: 'Amlodipine 5 mg tablet' },
    dose: { 'zh-CN': '5mg（1片）', en: '5 mg (1 tablet)' },
  },
  losartan: {
    rxnorm: '979492', // losartan potassium 50 MG Oral Tablet
    name: { 'zh-CN': '氯沙坦钾片 50mg', en: 'Losartan potassium 50 mg tablet' },
    dose: { 'zh-CN': '50mg（1片）', en: '50 mg (1 tablet)' },
  },
  hydrochlorothiazide: {
    rxnorm: '310798', // hydrochlorothiazide 25 MG Oral Tablet
    name: { 'zh-CN': '氢氯噻嗪片 25mg', en: 'Hydrochlorothiazide 25 mg tablet' },
    dose: { 'zh-CN': '12.5mg（半片）', en: '12.5 mg (half a tablet)' },
  },
  metformin: {
    rxnorm: '861007', // metformin hydrochloride 500 MG Oral Tablet
    name: { 'zh-CN': '盐酸二甲双胍片 0.5g', en: 'Metformin hydrochloride 500 mg tablet' },
    dose: { 'zh-CN': '0.5g（1片），随餐', en: '500 mg (1 tablet) with food' },
  },
  gliclazide: {
    rxnorm: null,
    name: { 'zh-CN': '格列齐特缓释片 30mg', en: 'Gliclazide modified-release 30 mg tablet' },
    dose: { 'zh-CN': '30mg（1片），早餐前', en: '30 mg (1 tablet) before breakfast' },
  },
  atorvastatin: {
    rxnorm: '617310', // atorvastatin 20 MG Oral Tablet
    name: { 'zh-CN': '阿托伐他汀钙片 20mg', en: 'Atorvastatin 20 mg tablet' },
    dose: { 'zh-CN': '20mg（1片）', en: '20 mg (1 tablet)' },
  },
  folicAcid: {
    rxnorm: '198640', // folic acid 0.4 MG Oral Tablet
    name: { 'zh-CN': '叶酸片 0.4mg', en: 'Folic acid 0.4 mg tablet' },
    dose: { 'zh-CN': '0.4mg（1片）', en: '0.4 mg (1 tablet)' },
  },
  acetaminophen: {
    rxnorm: '313782', // Acetaminophen 325 MG Oral Tablet
    name: { 'zh-CN': '对乙酰氨基酚片 0.325g', en: 'Acetaminophen 325 mg tablet' },
    dose: { 'zh-CN': '0.65g（2片）', en: '650 mg (2 tablets)' },
  },
} as const satisfies Record<string, Drug>;

export type DemoDrug = keyof typeof demoDrugs;

/** A prescription of the demo: which drug, at which local hours, for how many doses in all. */
export interface DemoRegimen {
  drug: DemoDrug;
  /** Local hours of the doses (minute given separately: all doses share it). */
  hours: readonly number[];
  minute: number;
  /** Total number of doses for a course (post-operative analgesia); null = ongoing. */
  count: number | null;
}

/** RFC 5545 RRULE of a regimen: `FREQ=DAILY;BYHOUR=8,18;BYMINUTE=0` (local time of the member). */
export function regimenRrule(r: DemoRegimen): string {
  const count = r.count === null ? '' : `;COUNT=${r.count}`;
  return `FREQ=DAILY;BYHOUR=${r.hours.join(',')};BYMINUTE=${r.minute}${count}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function dosageText(r: DemoRegimen, locale: 'zh-CN' | 'en'): string {
  const drug = demoDrugs[r.drug];
  const times = r.hours.map((h) => `${pad2(h)}:${pad2(r.minute)}`);
  const perDay = r.hours.length;
  const courseDays = r.count === null ? null : Math.ceil(r.count / perDay);
  if (locale === 'zh-CN') {
    const course = courseDays === null ? '' : `，共${courseDays}天`;
    return `口服，每日${perDay}次，每次${drug.dose['zh-CN']}，${times.join('、')}服用${course}`;
  }
  const freq = perDay === 1 ? 'once daily' : perDay === 2 ? 'twice daily' : `${perDay} times daily`;
  const course = courseDays === null ? '' : ` for ${courseDays} days`;
  return `${drug.dose.en} by mouth ${freq} at ${times.join(', ')}${course}`;
}

export function regimenMedication(
  r: DemoRegimen,
  ctx: {
    memberRef: string;
    locale: 'zh-CN' | 'en';
    authoredOn: string;
    status: string;
    idempotencyKey: string;
  },
): MedicationInput {
  const drug: Drug = demoDrugs[r.drug];
  return {
    memberRef: ctx.memberRef,
    name: drug.name[ctx.locale],
    code: drug.rxnorm,
    system: drug.rxnorm === null ? null : RXNORM_SYSTEM,
    status: ctx.status,
    rrule: regimenRrule(r),
    dosageText: dosageText(r, ctx.locale),
    authoredOn: ctx.authoredOn,
    sourceRecordId: null,
    idempotencyKey: ctx.idempotencyKey,
  };
}
