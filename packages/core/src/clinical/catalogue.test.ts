import { describe, expect, it } from 'vitest';
import {
  indicatorById,
  indicatorForLoinc,
  indicatorForName,
  indicators,
  normalizeQuantity,
  referenceRangeFor,
} from './indicators.ts';
import { conditionTags } from './conditionCodes.ts';
import { isActiveMedicationStatus, medicationClasses } from './medicationClasses.ts';

describe('indicator catalogue', () => {
  it('ids, aliases and LOINC codes are unique across indicators', () => {
    const ids = indicators.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const loinc = indicators.flatMap((i) => i.loinc);
    expect(new Set(loinc).size).toBe(loinc.length);
  });

  it.each([
    ['收缩压', 'sbp'],
    ['空腹血糖', 'fpg'],
    ['葡萄糖(GLU)', 'fpg'],
    ['餐后2小时血糖', 'ogtt_2h'],
    ['糖化血红蛋白', 'hba1c'],
    ['总胆固醇（TC）', 'tc'],
    ['低密度脂蛋白胆固醇', 'ldl'],
    ['HDL-C', 'hdl'],
    ['甘油三脂', 'tg'],
    ['尿酸', 'uric_acid'],
    ['肌酐(酶法)', 'creatinine'],
    ['腰围', 'waist'],
    ['体重指数', 'bmi'],
    ['尿微量白蛋白/肌酐', 'urine_acr'],
    ['谷丙转氨酶', 'alt'],
    [' ldl-c ', 'ldl'],
  ])('report name %s → %s', (name, id) => expect(indicatorForName(name)?.id).toBe(id));

  it('unknown names stay unknown', () =>
    expect(indicatorForName('幽门螺杆菌抗体')).toBeUndefined());

  it('urine ACR: LOINC 9318-7 and 14959-1 in mg/g, mg/mmol converted (×8.84)', () => {
    expect(indicatorForLoinc('9318-7')?.id).toBe('urine_acr');
    expect(indicatorForLoinc('14959-1')?.id).toBe('urine_acr');
    const acr = indicatorById('urine_acr');
    expect(acr && normalizeQuantity(acr, 3, 'mg/mmol')).toEqual({
      ok: true,
      value: 26.52,
      unit: 'mg/g',
    });
  });

  it('rejects an impossible value naming indicator, value and range', () => {
    const sbp = indicatorById('sbp');
    const r = sbp && normalizeQuantity(sbp, 900, 'mm[Hg]');
    expect(r).toMatchObject({ ok: false, reason: 'implausible' });
    expect(r && !r.ok && r.message).toMatch(
      /Systolic blood pressure 900 mm\[Hg\] is outside the plausible range 40–300/,
    );
  });

  it('sex- and age-specific reference ranges (WS/T 404.5-2015 creatinine, WS/T 405-2012 haemoglobin)', () => {
    const cr = indicatorById('creatinine');
    expect(cr && referenceRangeFor(cr, 'male', 45)).toMatchObject({ low: 57, high: 97 });
    expect(cr && referenceRangeFor(cr, 'male', 65)).toMatchObject({ low: 57, high: 111 });
    expect(cr && referenceRangeFor(cr, 'female', 45)).toMatchObject({ low: 41, high: 73 });
    const hb = indicatorById('hemoglobin');
    expect(hb && referenceRangeFor(hb, 'female', 30)).toMatchObject({ low: 115, high: 150 });
    expect(hb && referenceRangeFor(hb, 'unknown', 30)).toBeUndefined();
  });
});

describe('conditions and medications as evidence', () => {
  const c = (
    system: string,
    code: string,
    clinicalStatus: string | null = 'active',
    abatement: string | null = null,
  ) => ({ system, code, clinicalStatus, abatement });
  it('SNOMED and ICD-10 codes map to tags', () => {
    expect(conditionTags(c('http://snomed.info/sct', '38341003'))).toEqual(['hypertension']);
    expect(conditionTags(c('http://hl7.org/fhir/sid/icd-10', 'I11.9'))).toEqual(['hypertension']);
    expect(conditionTags(c('http://hl7.org/fhir/sid/icd-10', 'I16'))).toEqual([]);
    expect(conditionTags(c('http://snomed.info/sct', '44054006'))).toEqual(['diabetes']);
    expect(conditionTags(c('http://snomed.info/sct', '433144002'))).toEqual(['ckd']);
  });
  it('resolved or abated conditions do not count', () => {
    expect(conditionTags(c('http://snomed.info/sct', '38341003', 'resolved'))).toEqual([]);
    expect(conditionTags(c('http://snomed.info/sct', '38341003', 'active', '2020-01-01'))).toEqual(
      [],
    );
  });
  it('medication classes by ingredient name (English or Chinese) or ATC code', () => {
    expect(
      medicationClasses({
        name: 'amLODIPine 2.5 MG Oral Tablet',
        code: '308136',
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      }),
    ).toEqual(['antihypertensive']);
    expect(medicationClasses({ name: '二甲双胍缓释片', code: null, system: null })).toEqual([
      'glucose-lowering',
    ]);
    expect(
      medicationClasses({ name: 'x', code: 'C10AA05', system: 'http://www.whocc.no/atc' }),
    ).toEqual(['lipid-lowering']);
    expect(medicationClasses({ name: 'Acetaminophen 325 MG', code: null, system: null })).toEqual(
      [],
    );
    expect(isActiveMedicationStatus('stopped')).toBe(false);
    expect(isActiveMedicationStatus('active')).toBe(true);
  });
});
