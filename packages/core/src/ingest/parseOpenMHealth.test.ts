import { describe, expect, it } from 'vitest';
import type { ObservationInput } from '../model/types.ts';
import { omhRulesFor } from './openMHealthRules.ts';
import { parseOmhSchemaRef, parseOpenMHealth } from './parseOpenMHealth.ts';
import type { IngestItemResult } from './types.ts';

const observations = (items: IngestItemResult[]): ObservationInput[] =>
  items.flatMap((i) => (i.ok && i.record.kind === 'observation' ? [i.record.value] : []));
const issues = (items: IngestItemResult[]) => items.flatMap((i) => (i.ok ? [] : i.issues));

const bpDataPoint = {
  header: {
    id: 'dp-1',
    creation_date_time: '2024-03-01T08:00:00+08:00',
    schema_id: { namespace: 'omh', name: 'blood-pressure', version: '4.0' },
    acquisition_provenance: { source_name: 'Omron HEM-7600T', modality: 'sensed' },
  },
  body: {
    systolic_blood_pressure: { value: 152, unit: 'mmHg' },
    diastolic_blood_pressure: { value: 96, unit: 'mmHg' },
    effective_time_frame: { date_time: '2024-03-01T07:55:00+08:00' },
    body_posture: 'sitting',
  },
};

describe('parseOpenMHealth: data points', () => {
  it('turns a blood-pressure data point into systolic and diastolic with one panelKey', () => {
    const items = parseOpenMHealth(bpDataPoint, { memberRef: 'm-1', ref: 'bp.json' });
    expect(items.map((i) => i.ref)).toEqual([
      'bp.json.systolic_blood_pressure',
      'bp.json.diastolic_blood_pressure',
    ]);
    const [sbp, dbp] = observations(items);
    expect(sbp).toEqual({
      memberRef: 'm-1',
      code: '8480-6',
      indicator: 'sbp',
      value: 152,
      unit: 'mm[Hg]',
      originalValue: 152,
      originalUnit: 'mmHg',
      effectiveAt: '2024-02-29T23:55:00.000Z',
      effectiveEnd: null,
      sourceKind: 'device',
      sourceSystem: 'openmhealth',
      sourceRecordId: 'dp-1',
      idempotencyKey: 'openmhealth:dp-1:8480-6',
      panelKey: 'openmhealth:dp-1',
      setting: 'home',
    });
    expect(dbp).toMatchObject({
      code: '8462-4',
      value: 96,
      panelKey: 'openmhealth:dp-1',
      idempotencyKey: 'openmhealth:dp-1:8462-4',
    });
    expect(items[0]?.sourceType).toBe('omh:blood-pressure:4.0');
  });

  it("marks self-reported data points as 'self'", () => {
    const selfReported = structuredClone(bpDataPoint);
    selfReported.header.acquisition_provenance.modality = 'self-reported';
    expect(observations(parseOpenMHealth(selfReported, { memberRef: 'm-1' }))[0]?.sourceKind).toBe(
      'self',
    );
  });

  it('validates the header and names its fields', () => {
    const items = parseOpenMHealth(
      {
        header: {
          id: 7,
          creation_date_time: 'yesterday',
          schema_id: { namespace: 'omh', name: 'heart-rate' },
        },
        body: {},
      },
      { memberRef: 'm-1' },
    );
    expect(issues(items).map((i) => i.path)).toEqual([
      'header.id',
      'header.creation_date_time',
      'header.schema_id.version',
    ]);
  });

  it('rejects an unsupported schema and another namespace', () => {
    const other = structuredClone(bpDataPoint);
    other.header.schema_id = { namespace: 'omh', name: 'physical-activity', version: '1.2' };
    expect(issues(parseOpenMHealth(other, { memberRef: 'm' }))[0]).toMatchObject({
      path: 'header.schema_id',
      message: expect.stringContaining("'physical-activity' is not supported"),
    });
    other.header.schema_id = { namespace: 'granola', name: 'blood-pressure', version: '1.0' };
    expect(issues(parseOpenMHealth(other, { memberRef: 'm' }))[0]?.path).toBe(
      'header.schema_id.namespace',
    );
  });

  it('reads an array of data points, each with its own ref and path prefix', () => {
    const bad = structuredClone(bpDataPoint);
    bad.body.systolic_blood_pressure.unit = 'kPa';
    const items = parseOpenMHealth([bpDataPoint, bad], { memberRef: 'm', ref: 'upload' });
    expect(items.map((i) => [i.ref, i.ok])).toEqual([
      ['upload[0].systolic_blood_pressure', true],
      ['upload[0].diastolic_blood_pressure', true],
      ['upload[1]', false],
    ]);
    expect(issues(items)).toEqual([
      { path: '[1].body.systolic_blood_pressure.unit', message: "'kPa' is not one of mmHg" },
    ]);
  });
});

describe('parseOpenMHealth: bare bodies', () => {
  it('needs a schema', () => {
    expect(
      issues(
        parseOpenMHealth({ heart_rate: { value: 60, unit: 'beats/min' } }, { memberRef: 'm' }),
      )[0]?.message,
    ).toContain('cannot tell which schema');
    expect(
      issues(parseOpenMHealth({}, { memberRef: 'm', schema: 'blood pressure!' }))[0]?.path,
    ).toBe('schema');
  });

  it('converts glucose mg/dL to mmol/L; a fasting reading is a fasting glucose', () => {
    // 99 mg/dL × 10/180.16 = 5.495 mmol/L (WHO/IDF 2006: normal FPG < 6.1 mmol/L ≈ 110 mg/dL).
    const body = {
      blood_glucose: { value: 99, unit: 'mg/dL' },
      effective_time_frame: { date_time: '2024-03-01T07:00:00Z' },
      temporal_relationship_to_meal: 'fasting',
    };
    const [fasting] = observations(
      parseOpenMHealth(body, { memberRef: 'm', schema: 'omh:blood-glucose:4.0' }),
    );
    expect(fasting).toMatchObject({
      code: '1558-6',
      indicator: 'fpg',
      unit: 'mmol/L',
      originalValue: 99,
      originalUnit: 'mg/dL',
      sourceRecordId: null,
    });
    expect(fasting?.value).toBeCloseTo(5.495, 3);
    const [random] = observations(
      parseOpenMHealth(
        { ...body, temporal_relationship_to_meal: 'after lunch' },
        { memberRef: 'm', schema: 'blood-glucose-4.0' },
      ),
    );
    expect(random).toMatchObject({ code: '2339-0', indicator: 'glucose' });
    expect(random?.idempotencyKey).toBe('openmhealth:m:2339-0:2024-03-01T07:00:00.000Z:99:mg/dL');
  });

  it('reads intervals: start + end, start + duration, date + part of day', () => {
    const [steps] = observations(
      parseOpenMHealth(
        {
          step_count: { value: 4200, unit: 'steps' },
          effective_time_frame: {
            time_interval: {
              start_date_time: '2024-03-01T00:00:00Z',
              end_date_time: '2024-03-02T00:00:00Z',
            },
          },
        },
        { memberRef: 'm', schema: 'step-count:3.0' },
      ),
    );
    expect(steps).toMatchObject({
      indicator: 'steps',
      value: 4200,
      unit: '{steps}',
      effectiveAt: '2024-03-01T00:00:00.000Z',
      effectiveEnd: '2024-03-02T00:00:00.000Z',
    });
    const [sleep] = observations(
      parseOpenMHealth(
        {
          sleep_duration: { value: 450, unit: 'min' },
          effective_time_frame: {
            time_interval: {
              start_date_time: '2024-03-01T22:30:00+08:00',
              duration: { value: 8, unit: 'h' },
            },
          },
        },
        { memberRef: 'm', schema: 'sleep-duration' },
      ),
    );
    // 450 min / 60 = 7.5 h.
    expect(sleep).toMatchObject({
      indicator: 'sleep_duration',
      value: 7.5,
      unit: 'h',
      effectiveAt: '2024-03-01T14:30:00.000Z',
      effectiveEnd: '2024-03-01T22:30:00.000Z',
    });
    const [weight] = observations(
      parseOpenMHealth(
        {
          body_weight: { value: 132, unit: 'lb' },
          effective_time_frame: { time_interval: { date: '2024-03-01', part_of_day: 'morning' } },
        },
        { memberRef: 'm', schema: 'body-weight:1.0' },
      ),
    );
    // 132 lb × 0.45359237 = 59.874 kg.
    expect(weight).toMatchObject({
      value: 59.874,
      unit: 'kg',
      effectiveAt: '2024-03-01T06:00:00.000Z',
      effectiveEnd: '2024-03-01T12:00:00.000Z',
    });
  });

  it('dates a body without a time frame by receivedAt, and refuses when nothing dates it', () => {
    const body = { heart_rate: { value: 64, unit: 'beats/min' } };
    expect(
      observations(
        parseOpenMHealth(body, {
          memberRef: 'm',
          schema: 'heart-rate:1.0',
          receivedAt: '2024-03-01T10:00:00Z',
        }),
      )[0]?.effectiveAt,
    ).toBe('2024-03-01T10:00:00.000Z');
    expect(issues(parseOpenMHealth(body, { memberRef: 'm', schema: 'heart-rate:1.0' }))).toEqual([
      {
        path: 'effective_time_frame',
        message:
          'no time: the body has no effective_time_frame, and there is no header or receivedAt to date it',
      },
    ]);
    // heart-rate 2.0 requires the time frame: the schema itself rejects the body.
    expect(
      issues(
        parseOpenMHealth(body, {
          memberRef: 'm',
          schema: 'heart-rate:2.0',
          receivedAt: '2024-03-01T10:00:00Z',
        }),
      )[0]?.path,
    ).toBe('effective_time_frame');
  });

  it('rejects schema-valid but implausible values with the catalogue range', () => {
    const items = parseOpenMHealth(
      {
        heart_rate: { value: 400, unit: 'beats/min' },
        effective_time_frame: { date_time: '2024-03-01T10:00:00Z' },
      },
      { memberRef: 'm', schema: 'heart-rate' },
    );
    expect(issues(items)).toEqual([
      {
        path: 'heart_rate.value',
        message: 'Heart rate 400 beats/min is outside the plausible range 20–300 bpm',
      },
    ]);
  });

  it('rejects ambiguous and malformed time frames with the failing field', () => {
    const hr = { heart_rate: { value: 64, unit: 'beats/min' } };
    const frames: [unknown, string][] = [
      [
        {
          date_time: '2024-03-01T10:00:00Z',
          time_interval: {
            start_date_time: '2024-03-01T10:00:00Z',
            end_date_time: '2024-03-01T11:00:00Z',
          },
        },
        'effective_time_frame',
      ],
      [{ date_time: '2024-03-01 10:00' }, 'effective_time_frame.date_time'],
      [{ date_time: '2024-02-30T10:00:00Z' }, 'effective_time_frame.date_time'],
      [
        {
          time_interval: {
            start_date_time: '2024-03-01T10:00:00Z',
            end_date_time: '2024-03-01T11:00:00Z',
            duration: { value: 1, unit: 'h' },
          },
        },
        'effective_time_frame.time_interval',
      ],
      [
        {
          time_interval: {
            start_date_time: '2024-03-01T10:00:00Z',
            duration: { value: 1, unit: 'hours' },
          },
        },
        'effective_time_frame.time_interval.duration.unit',
      ],
    ];
    for (const [frame, path] of frames) {
      expect(
        issues(
          parseOpenMHealth(
            { ...hr, effective_time_frame: frame },
            { memberRef: 'm', schema: 'heart-rate:2.0' },
          ),
        )[0]?.path,
      ).toBe(path);
    }
  });

  it('keeps a schema-valid interval whose end precedes its start by its start, with a warning', () => {
    const [item] = parseOpenMHealth(
      {
        sleep_duration: { value: 7, unit: 'h' },
        effective_time_frame: {
          time_interval: {
            start_date_time: '2016-02-05T07:00:00Z',
            end_date_time: '2013-06-06T07:00:00Z',
          },
        },
      },
      { memberRef: 'm', schema: 'sleep-duration:2.0' },
    );
    expect(item).toMatchObject({
      ok: true,
      record: { value: { effectiveAt: '2016-02-05T07:00:00.000Z', effectiveEnd: null } },
      warnings: [{ message: 'end is before start: end ignored' }],
    });
  });
});

describe('Open mHealth schema references', () => {
  it('parses the spellings of a schema id', () => {
    expect(parseOmhSchemaRef('omh:blood-pressure:4.0')).toEqual({
      name: 'blood-pressure',
      version: '4.0',
    });
    expect(parseOmhSchemaRef('blood-pressure-3.x')).toEqual({
      name: 'blood-pressure',
      version: '3.x',
    });
    expect(parseOmhSchemaRef('step-count')).toEqual({ name: 'step-count', version: undefined });
    expect(parseOmhSchemaRef('Blood Pressure')).toBeUndefined();
  });

  it('picks the exact version, else the newest minor of the major, else the newest', () => {
    expect(omhRulesFor('blood-pressure', '3.0')?.version).toBe('3.0');
    expect(omhRulesFor('blood-pressure', '3.x')?.version).toBe('3.1');
    expect(omhRulesFor('heart-rate', '1.5')?.version).toBe('1.1');
    expect(omhRulesFor('blood-glucose', undefined)?.version).toBe('4.0');
    expect(omhRulesFor('blood-glucose', '9.0')).toBeUndefined();
  });
});
