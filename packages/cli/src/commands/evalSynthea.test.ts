import { describe, expect, it } from 'vitest';
import { evaluateBundle } from './evalSynthea.ts';

const bp = (id: string, date: string, sbp: number, dbp: number) => ({
  fullUrl: `urn:uuid:${id}`,
  resource: {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '55284-4', display: 'Blood Pressure' }] },
    subject: { reference: 'urn:uuid:p1' },
    effectiveDateTime: date,
    component: [
      {
        code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
        valueQuantity: {
          value: sbp,
          unit: 'mm[Hg]',
          system: 'http://unitsofmeasure.org',
          code: 'mm[Hg]',
        },
      },
      {
        code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
        valueQuantity: {
          value: dbp,
          unit: 'mm[Hg]',
          system: 'http://unitsofmeasure.org',
          code: 'mm[Hg]',
        },
      },
    ],
  },
});

const bundle = (readings: ReturnType<typeof bp>[]) => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      fullUrl: 'urn:uuid:p1',
      resource: {
        resourceType: 'Patient',
        id: 'p1',
        gender: 'male',
        birthDate: '1960-01-01',
        name: [{ given: ['Test'], family: 'Member' }],
      },
    },
    {
      fullUrl: 'urn:uuid:c1',
      resource: {
        resourceType: 'Condition',
        id: 'c1',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: {
          coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }],
        },
        subject: { reference: 'urn:uuid:p1' },
        onsetDateTime: '2010-01-01T00:00:00Z',
      },
    },
    ...readings,
  ],
});

// The Condition is ground truth only: the tag must come from the readings (2018 guideline: office
// readings ≥ 140/90 on separate days).
describe('evaluateBundle', () => {
  it('derives hypertension from two office days and ignores the Condition as evidence', () => {
    const out = evaluateBundle(
      'a.json',
      bundle([
        bp('o1', '2020-01-01T09:00:00Z', 150, 95),
        bp('o2', '2021-01-01T09:00:00Z', 152, 96),
      ]),
    );
    expect('error' in out).toBe(false);
    if ('error' in out) return;
    expect(out.truth.hypertension).toBe(true);
    expect(out.derived.hypertension).toBe(true);
  });

  it('one elevated day is not enough, whatever the Condition says', () => {
    const out = evaluateBundle(
      'b.json',
      bundle([
        bp('o1', '2020-01-01T09:00:00Z', 150, 95),
        bp('o2', '2021-01-01T09:00:00Z', 120, 75),
      ]),
    );
    if ('error' in out) throw new Error(out.error);
    expect(out.truth.hypertension).toBe(true);
    expect(out.derived.hypertension).toBe(false);
    expect(out.facts['tag.bp_elevated_unconfirmed']?.value).toBe(true);
  });
});
