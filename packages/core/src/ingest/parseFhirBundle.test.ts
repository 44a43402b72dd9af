import { describe, expect, it } from 'vitest';
import type { ObservationInput } from '../model/types.ts';
import { parseFhirBundle, parseFhirResource } from './parseFhirBundle.ts';
import type { IngestItemResult } from './types.ts';

const patient = {
  fullUrl: 'urn:uuid:5f6d256f-fc32-4b10-ba9c-51aba830cfa4',
  resource: {
    resourceType: 'Patient',
    id: '5f6d256f-fc32-4b10-ba9c-51aba830cfa4',
    name: [{ use: 'official', given: ['Li'], family: 'Wei' }],
    gender: 'female',
    birthDate: '1961-03-02',
  },
  request: { method: 'POST', url: 'Patient' },
};
const subject = { reference: 'urn:uuid:5f6d256f-fc32-4b10-ba9c-51aba830cfa4' };

const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const quantity = (value: unknown, unit: string) => ({
  value,
  unit,
  system: 'http://unitsofmeasure.org',
  code: unit,
});

function observation(id: string, fields: Record<string, unknown>) {
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: {
      resourceType: 'Observation',
      id,
      status: 'final',
      subject,
      effectiveDateTime: '2024-03-01T08:30:00+08:00',
      ...fields,
    },
    request: { method: 'POST', url: 'Observation' },
  };
}

const bpPanel = (id: string, sbp: number, dbp: number) =>
  observation(id, {
    code: loinc('85354-9'),
    component: [
      { code: loinc('8480-6'), valueQuantity: quantity(sbp, 'mm[Hg]') },
      { code: loinc('8462-4'), valueQuantity: quantity(dbp, 'mm[Hg]') },
    ],
  });

const bundle = (...entries: unknown[]) => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: entries,
});

const observations = (items: IngestItemResult[]): ObservationInput[] =>
  items.flatMap((i) => (i.ok && i.record.kind === 'observation' ? [i.record.value] : []));

const issuesOf = (items: IngestItemResult[], ref: string) => {
  const item = items.find((i) => i.ref === ref);
  if (!item || item.ok) throw new Error(`expected ${ref} to be rejected or skipped`);
  return item.issues;
};

describe('parseFhirBundle: blood-pressure panels', () => {
  it('turns a panel into systolic and diastolic values in mm[Hg] sharing one panelKey', () => {
    const parsed = parseFhirBundle(bundle(patient, bpPanel('bp-1', 142, 91)));
    expect(parsed.bundleIssues).toEqual([]);
    expect(parsed.bundleType).toBe('transaction');
    const [sbp, dbp] = observations(parsed.items);
    expect(sbp).toMatchObject({
      code: '8480-6',
      indicator: 'sbp',
      value: 142,
      unit: 'mm[Hg]',
      setting: 'office',
    });
    expect(dbp).toMatchObject({
      code: '8462-4',
      indicator: 'dbp',
      value: 91,
      unit: 'mm[Hg]',
      setting: 'office',
    });
    expect(sbp?.panelKey).toBe('fhir:Observation/bp-1');
    expect(dbp?.panelKey).toBe(sbp?.panelKey);
    expect(sbp?.idempotencyKey).toBe('fhir:Observation/bp-1:8480-6');
    expect(dbp?.idempotencyKey).toBe('fhir:Observation/bp-1:8462-4');
    expect(sbp?.memberRef).toBe('5f6d256f-fc32-4b10-ba9c-51aba830cfa4');
    // 08:30 at +08:00 is 00:30 UTC.
    expect(sbp?.effectiveAt).toBe('2024-03-01T00:30:00.000Z');
    const refs = parsed.items
      .filter((i) => i.ok && i.record.kind === 'observation')
      .map((i) => i.ref);
    expect(refs).toEqual(['entry[1].component[0]', 'entry[1].component[1]']);
  });

  it('converts kPa halves to mm[Hg] and keeps the originals', () => {
    // 1 kPa = 7.50062 mmHg (BIPM SI Brochure, non-SI units; 1 mmHg = 133.322 Pa): 18.7 kPa ≈ 140.26 mmHg.
    const panel = observation('bp-kpa', {
      code: loinc('55284-4'),
      component: [
        { code: loinc('8480-6'), valueQuantity: quantity(18.7, 'kPa') },
        { code: loinc('8462-4'), valueQuantity: quantity(12, 'kPa') },
      ],
    });
    const [sbp, dbp] = observations(parseFhirBundle(bundle(panel)).items);
    expect(sbp).toMatchObject({
      value: 140.26,
      unit: 'mm[Hg]',
      originalValue: 18.7,
      originalUnit: 'kPa',
    });
    expect(dbp?.value).toBe(90.01);
  });

  it('reports a missing half and keeps the half that is there', () => {
    const panel = observation('bp-half', {
      code: loinc('85354-9'),
      component: [{ code: loinc('8480-6'), valueQuantity: quantity(130, 'mm[Hg]') }],
    });
    const { items } = parseFhirBundle(bundle(panel));
    expect(observations(items).map((o) => o.indicator)).toEqual(['sbp']);
    expect(issuesOf(items, 'entry[0].component')).toEqual([
      {
        path: 'entry[0].resource.component',
        message: 'blood-pressure panel has no diastolic blood pressure component (LOINC 8462-4)',
      },
    ]);
  });

  it('rejects a panel whose systolic is not above its diastolic (swapped halves)', () => {
    const { items } = parseFhirBundle(bundle(bpPanel('bp-swap', 80, 120)));
    expect(observations(items)).toEqual([]);
    expect(issuesOf(items, 'entry[0]')[0]?.message).toBe(
      'systolic 80 mmHg is not above diastolic 120 mmHg',
    );
  });

  it('skips a half with a dataAbsentReason', () => {
    const panel = observation('bp-dar', {
      code: loinc('85354-9'),
      component: [
        { code: loinc('8480-6'), valueQuantity: quantity(120, 'mm[Hg]') },
        { code: loinc('8462-4'), dataAbsentReason: { coding: [{ code: 'not-performed' }] } },
      ],
    });
    const { items } = parseFhirBundle(bundle(panel));
    const skipped = items.find((i) => i.ref === 'entry[0].component[1]');
    expect(skipped).toMatchObject({ ok: false, skipped: true });
    expect(observations(items)).toHaveLength(1);
  });
});

describe('parseFhirBundle: unit normalisation', () => {
  it('converts glucose mg/dL to mmol/L and keeps the original', () => {
    // Hand check: glucose M = 180.16 g/mol, so mg/dL → mmol/L multiplies by 10/180.16 = 0.055506.
    // 126 mg/dL × 0.055506 = 6.9938 mmol/L, the "7.0 mmol/L (126 mg/dl)" of the WHO fasting
    // threshold (WHO/IDF 2006, Definition and diagnosis of diabetes mellitus, Table 1).
    const { items } = parseFhirBundle(
      bundle(
        observation('glu-1', { code: loinc('1558-6'), valueQuantity: quantity(126, 'mg/dL') }),
      ),
    );
    const [glucose] = observations(items);
    expect(glucose).toMatchObject({
      indicator: 'fpg',
      unit: 'mmol/L',
      originalValue: 126,
      originalUnit: 'mg/dL',
    });
    expect(glucose?.value).toBeCloseTo(6.994, 3);
    expect(Number(glucose?.value.toFixed(1))).toBe(7.0);
  });

  it('converts lipids to mmol/L and creatinine / uric acid to umol/L', () => {
    const { items } = parseFhirBundle(
      bundle(
        // NCEP ATP III (2002), Table II.2: total cholesterol 200 mg/dL = 5.17 mmol/L.
        observation('tc', { code: loinc('2093-3'), valueQuantity: quantity(200, 'mg/dL') }),
        // NCEP ATP III (2002): triglycerides 150 mg/dL = 1.69 mmol/L.
        observation('tg', { code: loinc('2571-8'), valueQuantity: quantity(150, 'mg/dL') }),
        // KDIGO 2012 CKD guideline, conversion table: creatinine 1 mg/dL = 88.4 µmol/L.
        observation('cr', { code: loinc('2160-0'), valueQuantity: quantity(1, 'mg/dL') }),
        // Uric acid M = 168.11 g/mol: 6 mg/dL × 59.48 = 356.9 µmol/L (中国高尿酸血症与痛风诊疗指南 2019: 360 µmol/L ≈ 6 mg/dL).
        observation('ua', { code: loinc('3084-1'), valueQuantity: quantity(6, 'mg/dL') }),
      ),
    );
    const byIndicator = Object.fromEntries(observations(items).map((o) => [o.indicator, o]));
    expect(byIndicator.tc?.value).toBeCloseTo(5.17, 2);
    expect(byIndicator.tg?.value).toBeCloseTo(1.69, 2);
    expect(byIndicator.creatinine).toMatchObject({ unit: 'umol/L' });
    expect(byIndicator.creatinine?.value).toBeCloseTo(88.4, 1);
    expect(byIndicator.uric_acid).toMatchObject({ unit: 'umol/L' });
    expect(byIndicator.uric_acid?.value).toBeCloseTo(356.9, 1);
  });

  it('prefers the UCUM code over the display unit text', () => {
    const { items } = parseFhirBundle(
      bundle(
        observation('glu-2', {
          code: loinc('15074-8'),
          valueQuantity: {
            value: 6.3,
            unit: 'mmol/l',
            system: 'http://unitsofmeasure.org',
            code: 'mmol/L',
          },
        }),
      ),
    );
    expect(observations(items)[0]).toMatchObject({
      indicator: 'glucose',
      value: 6.3,
      unit: 'mmol/L',
      originalUnit: 'mmol/L',
    });
  });

  it('reads LOINC given by its OID as well as by its URL', () => {
    const oid = { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '8867-4' }] };
    const { items } = parseFhirBundle(
      bundle(observation('hr-oid', { code: oid, valueQuantity: quantity(64, '/min') })),
    );
    expect(observations(items)[0]).toMatchObject({
      code: '8867-4',
      indicator: 'heart_rate',
      value: 64,
    });
  });

  it('keeps a code the catalogue does not know, as it is, when it has a unit', () => {
    const { items } = parseFhirBundle(
      bundle(
        observation('pain', { code: loinc('72514-3'), valueQuantity: quantity(4, '{score}') }),
      ),
    );
    expect(observations(items)[0]).toMatchObject({
      code: '72514-3',
      indicator: null,
      value: 4,
      unit: '{score}',
      setting: null,
    });
  });

  it('rejects an implausible value with indicator, value and range, and keeps the rest of the batch', () => {
    const { items } = parseFhirBundle(
      bundle(
        observation('hr-bad', { code: loinc('8867-4'), valueQuantity: quantity(900, '/min') }),
        observation('hr-ok', { code: loinc('8867-4'), valueQuantity: quantity(72, '/min') }),
      ),
    );
    expect(issuesOf(items, 'entry[0]')).toEqual([
      {
        path: 'entry[0].resource.valueQuantity.value',
        message: 'Heart rate 900 /min is outside the plausible range 20–300 bpm',
      },
    ]);
    expect(observations(items).map((o) => o.value)).toEqual([72]);
  });

  it('rejects a catalogue code in a unit it cannot convert, naming the unit field', () => {
    const { items } = parseFhirBundle(
      bundle(observation('glu-3', { code: loinc('2339-0'), valueQuantity: quantity(5, 'g/L') })),
    );
    const [issue] = issuesOf(items, 'entry[0]');
    expect(issue?.path).toBe('entry[0].resource.valueQuantity.unit');
    expect(issue?.message).toContain("unit 'g/L'");
  });
});

describe('parseFhirBundle: bad entries are reported per item with field paths', () => {
  it('names every missing or malformed field of an observation', () => {
    const { items } = parseFhirBundle(
      bundle(
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: loinc('8867-4'),
            valueQuantity: quantity(70, '/min'),
          },
        },
        observation('nan', { code: loinc('8867-4'), valueQuantity: quantity('72', '/min') }),
        observation('nounit', { code: loinc('72514-3'), valueQuantity: { value: 3 } }),
        observation('novalue', { code: loinc('8867-4') }),
        observation('local', {
          code: { coding: [{ system: 'https://lab.example/codes', code: 'GLU' }] },
          valueQuantity: quantity(5, 'mmol/L'),
        }),
        observation('month', {
          code: loinc('8867-4'),
          effectiveDateTime: '2024-03',
          valueQuantity: quantity(70, '/min'),
        }),
        observation('group', {
          code: loinc('8867-4'),
          subject: { reference: 'Group/herd1' },
          valueQuantity: quantity(70, '/min'),
        }),
      ),
    );
    expect(issuesOf(items, 'entry[0]').map((i) => i.path)).toEqual([
      'entry[0].resource.subject',
      'entry[0].resource.effective[x]',
    ]);
    expect(issuesOf(items, 'entry[1]')).toEqual([
      {
        path: 'entry[1].resource.valueQuantity.value',
        message: 'value must be a number, got "72"',
      },
    ]);
    expect(issuesOf(items, 'entry[2]')).toEqual([
      { path: 'entry[2].resource.valueQuantity.unit', message: 'value has no unit' },
    ]);
    expect(issuesOf(items, 'entry[3]')[0]?.path).toBe('entry[3].resource.value[x]');
    expect(issuesOf(items, 'entry[4]')[0]?.path).toBe('entry[4].resource.code.coding');
    expect(issuesOf(items, 'entry[5]')[0]).toMatchObject({
      path: 'entry[5].resource.effectiveDateTime',
    });
    expect(issuesOf(items, 'entry[6]')[0]).toEqual({
      path: 'entry[6].resource.subject',
      message: 'subject must be a Patient, got Group',
    });
    expect(items.every((i) => !i.ok && !i.skipped)).toBe(true);
  });

  it('skips text-valued and cancelled observations with the reason, not as errors', () => {
    const { items } = parseFhirBundle(
      bundle(
        observation('smoke', {
          code: loinc('72166-2'),
          valueCodeableConcept: { text: 'Never smoker' },
        }),
        observation('cancel', { status: 'cancelled', code: loinc('8867-4') }),
      ),
    );
    expect(items).toEqual([
      expect.objectContaining({
        ok: false,
        skipped: true,
        issues: [
          {
            path: 'entry[0].resource.valueCodeableConcept',
            message: 'valueCodeableConcept is not numeric: only valueQuantity is stored',
          },
        ],
      }),
      expect.objectContaining({
        ok: false,
        skipped: true,
        issues: [
          { path: 'entry[1].resource.status', message: "status 'cancelled': no result to store" },
        ],
      }),
    ]);
  });

  it('rejects entries that are not objects or have no resource, and skips DELETE requests and other types', () => {
    const { items } = parseFhirBundle(
      bundle(
        42,
        { request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'DELETE', url: 'Patient/1' } },
        { resource: { resourceType: 'Encounter', id: 'e1' } },
      ),
    );
    expect(items.map((i) => [i.ref, i.ok, !i.ok && i.skipped === true])).toEqual([
      ['entry[0]', false, false],
      ['entry[1]', false, false],
      ['entry[2]', false, true],
      ['entry[3]', false, true],
    ]);
    expect(issuesOf(items, 'entry[3]')[0]?.message).toBe(
      'Encounter: this resource type is not imported',
    );
  });

  it('reports problems with the bundle as a whole', () => {
    expect(parseFhirBundle(null).bundleIssues).toEqual([
      { path: '', message: 'expected a FHIR Bundle object, got null' },
    ]);
    expect(parseFhirBundle([1, 2]).bundleIssues[0]?.message).toBe(
      'expected a FHIR Bundle object, got an array',
    );
    expect(parseFhirBundle({ resourceType: 'Observation' }).bundleIssues[0]).toMatchObject({
      path: 'resourceType',
    });
    const noEntry = parseFhirBundle({ resourceType: 'Bundle', type: 'batch' });
    expect(noEntry).toEqual({
      bundleType: 'batch',
      items: [],
      bundleIssues: [{ path: 'entry', message: 'the bundle has no entry array' }],
    });
    expect(
      parseFhirBundle({ resourceType: 'Bundle', type: 'bogus', entry: [] }).bundleIssues[0]?.path,
    ).toBe('type');
  });
});

describe('parseFhirBundle: references, identity and idempotency', () => {
  it('resolves Patient/123, urn:uuid and bundle-local fullUrls to the logical id', () => {
    const p = {
      fullUrl: 'urn:uuid:aaaa-1111-bbbb',
      resource: { resourceType: 'Patient', id: '123', gender: 'male' },
    };
    const viaFullUrl = observation('o1', {
      code: loinc('8867-4'),
      subject: { reference: 'urn:uuid:aaaa-1111-bbbb' },
      valueQuantity: quantity(70, '/min'),
    });
    const viaType = observation('o2', {
      code: loinc('8867-4'),
      subject: { reference: 'Patient/123' },
      valueQuantity: quantity(70, '/min'),
    });
    const absolute = observation('o3', {
      code: loinc('8867-4'),
      subject: { reference: 'https://ehr.example/fhir/Patient/456/_history/2' },
      valueQuantity: quantity(70, '/min'),
    });
    const { items } = parseFhirBundle(bundle(p, viaFullUrl, viaType, absolute));
    expect(items[0]).toMatchObject({
      ok: true,
      record: { kind: 'member', value: { externalRef: '123' } },
    });
    expect(observations(items).map((o) => o.memberRef)).toEqual(['123', '123', '456']);
  });

  it('gives the same keys on every parse; source ids first, content when there is no id', () => {
    const noId = {
      resource: {
        resourceType: 'Observation',
        status: 'final',
        subject,
        code: loinc('8867-4'),
        effectiveDateTime: '2024-03-01T08:30:00+08:00',
        valueQuantity: quantity(70, '/min'),
      },
    };
    const input = bundle(bpPanel('bp-1', 130, 85), noId);
    const first = observations(parseFhirBundle(input, { sourceSystem: 'clinic-a' }).items).map(
      (o) => o.idempotencyKey,
    );
    const second = observations(
      parseFhirBundle(structuredClone(input), { sourceSystem: 'clinic-a' }).items,
    ).map((o) => o.idempotencyKey);
    expect(second).toEqual(first);
    expect(first).toEqual([
      'clinic-a:Observation/bp-1:8480-6',
      'clinic-a:Observation/bp-1:8462-4',
      'clinic-a:5f6d256f-fc32-4b10-ba9c-51aba830cfa4:8867-4:2024-03-01T00:30:00.000Z:70:/min',
    ]);
  });

  it('takes sourceKind from the options (a home device is a home reading)', () => {
    const [sbp] = observations(
      parseFhirBundle(bundle(bpPanel('bp-h', 135, 80)), { sourceKind: 'device' }).items,
    );
    expect(sbp).toMatchObject({ sourceKind: 'device', sourceSystem: 'fhir', setting: 'home' });
  });

  it("dates a report's results by the DiagnosticReport when they carry no time", () => {
    const report = {
      fullUrl: 'https://lab.example/fhir/DiagnosticReport/r1',
      resource: {
        resourceType: 'DiagnosticReport',
        id: 'r1',
        status: 'final',
        code: loinc('24331-1'),
        subject,
        effectiveDateTime: '2011-03-04T08:30:00+11:00',
        result: [{ reference: 'Observation/chol' }],
      },
    };
    const chol = {
      fullUrl: 'https://lab.example/fhir/Observation/chol',
      resource: {
        resourceType: 'Observation',
        id: 'chol',
        status: 'final',
        subject,
        code: loinc('2093-3'),
        valueQuantity: quantity(6.3, 'mmol/L'),
      },
    };
    const { items } = parseFhirBundle({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [report, chol],
    });
    expect(observations(items)[0]).toMatchObject({
      indicator: 'tc',
      value: 6.3,
      effectiveAt: '2011-03-03T21:30:00.000Z',
    });
  });
});

describe('parseFhirBundle: patients, conditions, medications', () => {
  it('maps a Patient to a member', () => {
    const { items } = parseFhirBundle(bundle(patient));
    expect(items[0]).toEqual({
      ok: true,
      ref: 'entry[0]',
      sourceType: 'Patient',
      record: {
        kind: 'member',
        value: {
          externalRef: '5f6d256f-fc32-4b10-ba9c-51aba830cfa4',
          name: 'Li Wei',
          gender: 'female',
          birthDate: '1961-03-02',
        },
      },
    });
  });

  it('rejects a Patient with an invalid gender or birth date', () => {
    const { items } = parseFhirBundle(
      bundle({
        resource: { resourceType: 'Patient', id: 'p1', gender: 'F', birthDate: '1961-02-30' },
      }),
    );
    expect(issuesOf(items, 'entry[0]').map((i) => i.path)).toEqual([
      'entry[0].resource.gender',
      'entry[0].resource.birthDate',
    ]);
  });

  it('maps a Condition, preferring SNOMED CT over ICD-10, with status, onset and abatement', () => {
    const { items } = parseFhirBundle(
      bundle(patient, {
        resource: {
          resourceType: 'Condition',
          id: 'c1',
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: 'active',
              },
            ],
          },
          code: {
            coding: [
              {
                system: 'http://hl7.org/fhir/sid/icd-10',
                code: 'I10',
                display: 'Essential (primary) hypertension',
              },
              { system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' },
            ],
          },
          subject,
          onsetDateTime: '2019-05-01',
          abatementDateTime: '2021-01-01T10:00:00Z',
        },
      }),
    );
    expect(items[1]).toMatchObject({
      ok: true,
      record: {
        kind: 'condition',
        value: {
          system: 'http://snomed.info/sct',
          code: '38341003',
          display: 'Hypertension',
          clinicalStatus: 'active',
          onset: '2019-05-01T00:00:00.000Z',
          abatement: '2021-01-01T10:00:00.000Z',
          idempotencyKey: 'fhir:Condition/c1',
        },
      },
    });
  });

  it('maps a MedicationRequest with a twice-daily timing to an RRULE', () => {
    const { items } = parseFhirBundle(
      bundle({
        resource: {
          resourceType: 'MedicationRequest',
          id: 'm1',
          status: 'active',
          intent: 'order',
          subject,
          authoredOn: '2024-01-02T09:00:00+08:00',
          medicationCodeableConcept: {
            coding: [
              {
                system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
                code: '197361',
                display: 'Amlodipine 5 MG Oral Tablet',
              },
            ],
          },
          dosageInstruction: [
            {
              text: '5 mg twice a day',
              timing: {
                repeat: {
                  frequency: 2,
                  period: 1,
                  periodUnit: 'd',
                  timeOfDay: ['08:00:00', '20:00:00'],
                },
              },
            },
          ],
        },
      }),
    );
    expect(items[0]).toMatchObject({
      ok: true,
      record: {
        kind: 'medication',
        value: {
          name: 'Amlodipine 5 MG Oral Tablet',
          code: '197361',
          status: 'active',
          rrule: 'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0',
          dosageText: '5 mg twice a day',
          authoredOn: '2024-01-02T01:00:00.000Z',
          idempotencyKey: 'fhir:MedicationRequest/m1',
        },
      },
    });
  });

  it('maps a MedicationStatement through a bundled Medication; as-needed gets no schedule', () => {
    const { items } = parseFhirBundle(
      bundle(
        {
          fullUrl: 'urn:uuid:med-1',
          resource: { resourceType: 'Medication', code: { text: 'Nitroglycerin 0.5 mg' } },
        },
        {
          resource: {
            resourceType: 'MedicationStatement',
            id: 's1',
            status: 'active',
            subject,
            medicationReference: { reference: 'urn:uuid:med-1' },
            dosage: [{ asNeededBoolean: true, timing: { code: { coding: [{ code: 'Q4H' }] } } }],
          },
        },
      ),
    );
    const statement = items[1];
    expect(statement).toMatchObject({
      ok: true,
      record: {
        kind: 'medication',
        value: { name: 'Nitroglycerin 0.5 mg', rrule: null, dosageText: 'as needed' },
      },
    });
    expect(statement?.ok && statement.warnings?.[0]?.message).toBe(
      'taken as needed: no reminder schedule',
    );
  });

  it('rejects a medication with nothing to name it by or a malformed timing', () => {
    const { items } = parseFhirBundle(
      bundle({
        resource: {
          resourceType: 'MedicationRequest',
          id: 'm2',
          status: 'active',
          subject,
          medicationReference: { reference: 'Medication/unknown' },
          dosageInstruction: [{ timing: { repeat: { frequency: -1, periodUnit: 'fortnight' } } }],
        },
      }),
    );
    expect(issuesOf(items, 'entry[0]').map((i) => i.path)).toEqual([
      'entry[0].resource.medication[x]',
      'entry[0].resource.dosageInstruction[0].timing.repeat.frequency',
      'entry[0].resource.dosageInstruction[0].timing.repeat.periodUnit',
    ]);
  });
});

describe('parseFhirResource', () => {
  it('parses a single Observation with FHIRPath-style issue paths', () => {
    const ok = parseFhirResource({
      resourceType: 'Observation',
      id: 'x1',
      status: 'final',
      subject: { reference: 'Patient/7' },
      code: loinc('29463-7'),
      effectiveDateTime: '2024-05-01',
      valueQuantity: {
        value: 154,
        unit: 'lbs',
        system: 'http://unitsofmeasure.org',
        code: '[lb_av]',
      },
    });
    // 1 lb = 0.45359237 kg exactly (International Yard and Pound Agreement, 1959): 154 lb = 69.853 kg.
    expect(ok[0]).toMatchObject({
      ok: true,
      ref: 'Observation/x1',
      record: { value: { indicator: 'weight', value: 69.853, unit: 'kg', memberRef: '7' } },
    });
    const bad = parseFhirResource(
      {
        resourceType: 'Observation',
        status: 'final',
        subject: { reference: 'Patient/7' },
        code: loinc('29463-7'),
        effectiveDateTime: '2024-05-01',
        valueQuantity: { value: 'heavy', unit: 'kg' },
      },
      'upload',
    );
    expect(bad).toEqual([
      {
        ok: false,
        ref: 'upload',
        sourceType: 'Observation',
        issues: [
          {
            path: 'Observation.valueQuantity.value',
            message: 'value must be a number, got "heavy"',
          },
        ],
      },
    ]);
  });

  it('rejects a non-resource and points a Bundle at parseFhirBundle', () => {
    expect(parseFhirResource('hello')[0]).toMatchObject({
      ok: false,
      issues: [{ path: 'resource', message: 'expected a FHIR resource object, got string' }],
    });
    expect(parseFhirResource({ resourceType: 'Bundle', type: 'batch' })[0]).toMatchObject({
      ok: false,
      issues: [{ message: 'a Bundle goes through parseFhirBundle' }],
    });
  });
});
