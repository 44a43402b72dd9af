import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import { toFhirObservation } from '../fhir/toFhirObservation.ts';
import type { ObservationInput } from '../model/types.ts';
import { detectFormat } from './detectFormat.ts';
import { parseFhirBundle, parseFhirResource } from './parseFhirBundle.ts';
import type { IngestItemResult } from './types.ts';

const dir = sharedData('fhir-r4-examples');
const load = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const parse = (file: string): IngestItemResult[] => {
  const resource = load(file) as { resourceType?: string };
  return resource.resourceType === 'Bundle'
    ? parseFhirBundle(resource).items
    : parseFhirResource(resource);
};
const observations = (items: IngestItemResult[]): ObservationInput[] =>
  items.flatMap((i) => (i.ok && i.record.kind === 'observation' ? [i.record.value] : []));
const pick = (o: ObservationInput | undefined) =>
  o && {
    code: o.code,
    indicator: o.indicator,
    value: o.value,
    unit: o.unit,
    originalValue: o.originalValue,
    originalUnit: o.originalUnit,
    effectiveAt: o.effectiveAt,
    memberRef: o.memberRef,
  };

describe('HL7 FHIR R4 examples (../shared/data/fhir-r4-examples)', () => {
  it('blood pressure: the panel becomes 107/60 mm[Hg]', () => {
    const [sbp, dbp] = observations(parse('observation-example-bloodpressure.json'));
    expect(pick(sbp)).toEqual({
      code: '8480-6',
      indicator: 'sbp',
      value: 107,
      unit: 'mm[Hg]',
      originalValue: 107,
      originalUnit: 'mm[Hg]',
      effectiveAt: '2012-09-17T00:00:00.000Z',
      memberRef: 'example',
    });
    expect(pick(dbp)).toMatchObject({
      code: '8462-4',
      indicator: 'dbp',
      value: 60,
      unit: 'mm[Hg]',
    });
    expect(sbp?.panelKey).toBe('fhir:Observation/blood-pressure');
    expect(dbp?.panelKey).toBe(sbp?.panelKey);
    // The same panel with the diastolic absent keeps the systolic and skips the other half.
    const dar = parse('observation-example-bloodpressure-dar.json');
    expect(observations(dar).map((o) => o.indicator)).toEqual(['sbp']);
    expect(dar.find((i) => !i.ok)).toMatchObject({ skipped: true });
    expect(parse('observation-example-bloodpressure-cancel.json')).toEqual([
      expect.objectContaining({ ok: false, skipped: true }),
    ]);
  });

  it('glucose 6.3 mmol/L (display unit mmol/l, UCUM code mmol/L) at the period start', () => {
    expect(pick(observations(parse('observation-example-f001-glucose.json'))[0])).toEqual({
      code: '15074-8',
      indicator: 'glucose',
      value: 6.3,
      unit: 'mmol/L',
      originalValue: 6.3,
      originalUnit: 'mmol/L',
      effectiveAt: '2013-04-02T08:30:10.000Z',
      memberRef: 'f001',
    });
  });

  it('vital signs in other units come out canonical', () => {
    // 185 lb × 0.45359237 kg/lb = 83.915 kg; 66.9 in × 2.54 = 169.926 cm (exact definitions, NIST SP 811 App. B).
    expect(pick(observations(parse('observation-example.json'))[0])).toMatchObject({
      indicator: 'weight',
      value: 83.915,
      unit: 'kg',
      originalValue: 185,
      originalUnit: '[lb_av]',
    });
    expect(pick(observations(parse('observation-example-body-height.json'))[0])).toMatchObject({
      indicator: 'height',
      value: 169.926,
      unit: 'cm',
      originalUnit: '[in_i]',
    });
    expect(pick(observations(parse('observation-example-body-temperature.json'))[0])).toMatchObject(
      { indicator: 'body_temperature', value: 36.5, unit: 'Cel' },
    );
    expect(pick(observations(parse('observation-example-heart-rate.json'))[0])).toMatchObject({
      indicator: 'heart_rate',
      value: 44,
      unit: '/min',
    });
    expect(pick(observations(parse('observation-example-satO2.json'))[0])).toMatchObject({
      indicator: 'spo2',
      value: 95,
      unit: '%',
    });
    expect(pick(observations(parse('observation-example-bmi.json'))[0])).toMatchObject({
      indicator: 'bmi',
      value: 16.2,
      unit: 'kg/m2',
    });
  });

  it('lipid report: results take the report time; the triglyceride molar code comes from the local supplement', () => {
    const lipids = observations(parse('diagnosticreport-example-lipids.json'));
    expect(lipids.map((o) => [o.indicator, o.value, o.unit, o.effectiveAt])).toEqual([
      ['tc', 6.3, 'mmol/L', '2011-03-03T21:30:00.000Z'],
      ['tg', 1.3, 'mmol/L', '2011-03-03T21:30:00.000Z'],
      ['hdl', 1.3, 'mmol/L', '2011-03-03T21:30:00.000Z'],
      ['ldl', 4.6, 'mmol/L', '2011-03-03T21:30:00.000Z'],
    ]);
  });

  it('creatinine and eGFR examples carry no effective time: rejected with the reasons, not guessed', () => {
    // f204 has a local lab code (no LOINC) and only `issued`; f205 only `issued` and a ">60" bound.
    const [creatinine] = parse('observation-example-f204-creatinine.json');
    expect(creatinine?.ok === false && creatinine.issues.map((i) => i.path)).toEqual([
      'Observation.code.coding',
      'Observation.effective[x]',
    ]);
    const [egfr] = parse('observation-example-f205-egfr.json');
    expect(egfr?.ok === false && egfr.issues.map((i) => i.path)).toEqual([
      'Observation.effective[x]',
    ]);
  });

  it('transaction bundle: five patients imported; DELETE, GET and Parameters entries skipped', () => {
    const parsed = parseFhirBundle(load('bundle-transaction.json'));
    expect(parsed.bundleIssues).toEqual([]);
    const members = parsed.items.flatMap((i) =>
      i.ok && i.record.kind === 'member' ? [i.record.value] : [],
    );
    expect(members.map((m) => m.externalRef)).toEqual([
      '61ebe359-bfdc-4613-8bf2-c5e300945f0a',
      '88f151c0-a954-468a-88bd-5ae15c08e059',
      '123',
      '74891afc-ed52-42a2-bcd7-f13d9b60f096',
      '123a',
    ]);
    expect(members[0]).toEqual({
      externalRef: '61ebe359-bfdc-4613-8bf2-c5e300945f0a',
      name: 'Peter James Chalmers',
      gender: 'male',
      birthDate: '1974-12-25',
    });
    expect(parsed.items.filter((i) => !i.ok).every((i) => !i.ok && i.skipped)).toBe(true);
  });

  it('patient and condition examples', () => {
    expect(parse('patient-example.json')[0]).toMatchObject({
      ok: true,
      record: {
        kind: 'member',
        value: {
          externalRef: 'example',
          name: 'Peter James Chalmers',
          gender: 'male',
          birthDate: '1974-12-25',
        },
      },
    });
    expect(parse('condition-example-f201-fever.json')[0]).toMatchObject({
      ok: true,
      record: {
        kind: 'condition',
        value: {
          system: 'http://snomed.info/sct',
          code: '386661006',
          clinicalStatus: 'resolved',
          onset: '2013-04-02T00:00:00.000Z',
          memberRef: 'f201',
        },
      },
    });
  });

  it('every example parses without throwing; every rejection names a field; accepted values map back to FHIR', () => {
    const files = readdirSync(dir).filter((f) =>
      /^(observation|condition|patient|bundle|diagnosticreport)-.*\.json$/.test(f),
    );
    expect(files.length).toBeGreaterThan(70);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(detectFormat(text.slice(0, 4096)), file).toMatch(/^fhir-(bundle|resource)$/);
      for (const item of parse(file)) {
        if (!item.ok) {
          expect(item.issues.length, file).toBeGreaterThan(0);
          for (const issue of item.issues) expect(issue.path, file).not.toBe('');
        } else if (item.record.kind === 'observation') {
          const fhir = toFhirObservation({ ...item.record.value, id: 'x', memberId: 'm' }, 'm');
          expect(fhir.valueQuantity?.value, file).toBe(item.record.value.value);
          expect(fhir.code.coding?.[0]?.code, file).toBe(item.record.value.code);
        }
      }
    }
  });
});
