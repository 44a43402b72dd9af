import { describe, expect, it } from 'vitest';
import type { StoredObservation } from '../model/types.ts';
import { toFhirObservation } from './toFhirObservation.ts';
import { toFhirPatient } from './toFhirPatient.ts';

const glucose: StoredObservation = {
  id: 'obs-1',
  memberId: 'mem-1',
  memberRef: 'p-9',
  code: '2339-0',
  indicator: 'glucose',
  value: 6.994,
  unit: 'mmol/L',
  originalValue: 126,
  originalUnit: 'mg/dL',
  effectiveAt: '2024-03-01T00:30:00.000Z',
  effectiveEnd: null,
  sourceKind: 'clinic',
  sourceSystem: 'fhir',
  sourceRecordId: 'glu-1',
  idempotencyKey: 'fhir:Observation/glu-1:2339-0',
};

describe('toFhirObservation', () => {
  it('writes LOINC, a UCUM valueQuantity, the subject, the source and the original value', () => {
    expect(toFhirObservation(glucose, 'mem-1')).toEqual({
      resourceType: 'Observation',
      id: 'obs-1',
      meta: {
        source: 'urn:careloop:source:fhir',
        tag: [{ system: 'urn:careloop:source-kind', code: 'clinic' }],
      },
      identifier: [{ system: 'urn:careloop:source:fhir', value: 'glu-1' }],
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: 'laboratory',
            },
          ],
        },
      ],
      code: {
        coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Blood glucose' }],
        text: 'Blood glucose',
      },
      subject: { reference: 'Patient/mem-1' },
      effectiveDateTime: '2024-03-01T00:30:00.000Z',
      valueQuantity: {
        value: 6.994,
        unit: 'mmol/L',
        system: 'http://unitsofmeasure.org',
        code: 'mmol/L',
      },
      extension: [
        {
          url: 'urn:careloop:fhir:extension:original-quantity',
          valueQuantity: { value: 126, unit: 'mg/dL' },
        },
      ],
    });
  });

  it('writes intervals as effectivePeriod and omits what a value does not have', () => {
    const steps: StoredObservation = {
      ...glucose,
      id: 'obs-2',
      code: '55423-8',
      indicator: 'steps',
      value: 812,
      unit: '{steps}',
      originalValue: 812,
      originalUnit: '{steps}',
      effectiveEnd: '2024-03-01T01:30:00.000Z',
      sourceKind: 'device',
      sourceSystem: 'apple-health',
      sourceRecordId: null,
    };
    const fhir = toFhirObservation(steps, 'mem-1');
    expect(fhir.effectivePeriod).toEqual({
      start: '2024-03-01T00:30:00.000Z',
      end: '2024-03-01T01:30:00.000Z',
    });
    expect(fhir.effectiveDateTime).toBeUndefined();
    expect(fhir.identifier).toBeUndefined();
    expect(fhir.extension).toBeUndefined();
    expect(fhir.category?.[0]?.coding?.[0]?.code).toBe('activity');
    expect(fhir.valueQuantity).toEqual({
      value: 812,
      unit: 'steps',
      system: 'http://unitsofmeasure.org',
      code: '{steps}',
    });
  });

  it("codes a careloop: observation in CareLoop's own system", () => {
    const own = toFhirObservation(
      {
        ...glucose,
        code: 'careloop:dizziness-score',
        indicator: null,
        unit: '{score}',
        value: 3,
        originalValue: 3,
        originalUnit: '{score}',
      },
      'm',
    );
    expect(own.code).toEqual({
      coding: [{ system: 'urn:careloop:observation-code', code: 'dizziness-score' }],
    });
    expect(own.category).toBeUndefined();
  });
});

describe('toFhirPatient', () => {
  it('writes the member with the source id as an identifier', () => {
    expect(
      toFhirPatient({
        id: 'mem-1',
        externalRef: 'p-9',
        name: '王芳',
        gender: 'female',
        birthDate: '1961-03-02',
      }),
    ).toEqual({
      resourceType: 'Patient',
      id: 'mem-1',
      identifier: [{ system: 'urn:careloop:external-ref', value: 'p-9' }],
      name: [{ text: '王芳' }],
      gender: 'female',
      birthDate: '1961-03-02',
    });
  });

  it('maps an unknown gender to unknown and leaves out an empty birth date', () => {
    const patient = toFhirPatient({
      id: 'm',
      externalRef: 'x',
      name: '',
      gender: 'F',
      birthDate: null,
    });
    expect(patient.gender).toBe('unknown');
    expect(patient.birthDate).toBeUndefined();
    expect(patient.name).toBeUndefined();
  });
});
