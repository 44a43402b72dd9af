/** Small hand-made FHIR R4 inputs for API tests (real outside data lives in the external suite). */

export function patient(id: string, name: string, gender = 'male', birthDate = '1962-05-14') {
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: { resourceType: 'Patient', id, name: [{ text: name }], gender, birthDate },
    request: { method: 'PUT', url: `Patient/${id}` },
  };
}

/** A blood-pressure panel (LOINC 85354-9) with systolic 8480-6 and diastolic 8462-4 components. */
export function bpPanel(id: string, patientId: string, at: string, sbp: number, dbp: number) {
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: {
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: 'vital-signs',
            },
          ],
        },
      ],
      code: {
        coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }],
      },
      subject: { reference: `urn:uuid:${patientId}` },
      effectiveDateTime: at,
      component: [
        {
          code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
          valueQuantity: {
            value: sbp,
            unit: 'mmHg',
            system: 'http://unitsofmeasure.org',
            code: 'mm[Hg]',
          },
        },
        {
          code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
          valueQuantity: {
            value: dbp,
            unit: 'mmHg',
            system: 'http://unitsofmeasure.org',
            code: 'mm[Hg]',
          },
        },
      ],
    },
    request: { method: 'POST', url: 'Observation' },
  };
}

/** A glucose reading in mg/dL (LOINC 2339-0), as US devices send it. */
export function glucoseMgDl(id: string, patientId: string, at: string, mgdl: number) {
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: {
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] },
      subject: { reference: `urn:uuid:${patientId}` },
      effectiveDateTime: at,
      valueQuantity: {
        value: mgdl,
        unit: 'mg/dL',
        system: 'http://unitsofmeasure.org',
        code: 'mg/dL',
      },
    },
    request: { method: 'POST', url: 'Observation' },
  };
}

export function bundle(type: 'transaction' | 'batch', entry: unknown[]) {
  return { resourceType: 'Bundle', type, entry };
}
