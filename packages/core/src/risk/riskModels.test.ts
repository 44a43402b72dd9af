import { describe, expect, it } from 'vitest';
import { riskModels } from './riskModels.ts';
import { readRiskInputs } from './riskInputs.ts';
import { isRiskRejection } from './riskResult.ts';

describe('riskModels registry', () => {
  it('holds the five models under their ids', () => {
    expect(Object.keys(riskModels).sort()).toEqual([
      'cdrs',
      'china-par',
      'ckd-epi-2021',
      'findrisc',
      'framingham-2008',
    ]);
    for (const [id, model] of Object.entries(riskModels)) expect(model.id).toBe(id);
  });

  it('documents every input with type, required flag and doc, and enum values', () => {
    for (const model of Object.values(riskModels)) {
      for (const spec of Object.values(model.inputs)) {
        expect(spec.doc.length).toBeGreaterThan(5);
        if (spec.type === 'enum') expect(spec.values?.length).toBeGreaterThan(1);
      }
    }
    expect(riskModels['china-par']?.inputs.tc).toMatchObject({
      type: 'number',
      unit: 'mmol/L',
      required: true,
    });
    expect(riskModels['china-par']?.inputs.tc?.doc).toMatch(/mg\/dL/);
  });

  it('computes through the registry the same as the model functions', () => {
    // CKD-EPI 2021 (Inker 2021): man 50, Scr 1.0 mg/dL → 92.
    const r = riskModels['ckd-epi-2021']?.compute({
      sex: 'male',
      age: 50,
      creatinine: { value: 1.0, unit: 'mg/dL' },
    });
    expect(r && !isRiskRejection(r) && r.value).toBe(92);
  });

  it('an empty input lists every required field as missing, with no value', () => {
    const r = riskModels.cdrs?.compute({});
    expect(r && !isRiskRejection(r) && [r.value, r.band, r.missing]).toEqual([
      null,
      null,
      ['age', 'sex', 'waist', 'bmi', 'sbp', 'familyHistoryDiabetes'],
    ]);
  });
});

describe('readRiskInputs', () => {
  const specs = {
    sbp: {
      type: 'number',
      unit: 'mmHg',
      units: { kPa: 7.50062 },
      required: true,
      doc: 'SBP',
      range: { min: 40, max: 300, reason: 'impossible' },
    },
    smoker: { type: 'boolean', required: false, doc: 'smoker' },
  } as const;

  it('converts units, keeps provenance and treats null as absent', () => {
    const read = readRiskInputs(specs, {
      sbp: { value: 16, unit: 'kPa', source: 'obs-1' },
      smoker: null,
    });
    expect(read.ok && read.value).toEqual({
      values: { sbp: 16 * 7.50062 },
      used: { sbp: { value: 120.0099, unit: 'mmHg', source: 'obs-1' } },
      missing: [],
    });
  });

  it.each([
    [[], ''],
    [{ sbp: { value: 120, note: 'x' } }, 'sbp.note'],
    [{ sbp: { unit: 'mmHg' } }, 'sbp.value'],
    [{ sbp: { value: 120, source: 7 } }, 'sbp.source'],
    [{ sbp: 120, smoker: { value: true, unit: 'x' } }, 'smoker.unit'],
    [{ sbp: Number.NaN }, 'sbp'],
  ])('rejects %j at %s', (input, path) => {
    const read = readRiskInputs(specs, input);
    expect(!read.ok && read.issues[0]?.path).toBe(path);
  });

  it('names the unit, range and reason when a converted value is out of range', () => {
    const read = readRiskInputs(specs, { sbp: { value: 50, unit: 'kPa' } });
    expect(!read.ok && read.issues[0]?.message).toBe(
      '50 kPa (375.031 mmHg) is outside 40–300 mmHg: impossible',
    );
  });
});
