import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import { detectFormat } from './detectFormat.ts';
import { omhRulesFor, supportedOmhSchemas } from './openMHealthRules.ts';
import { parseOpenMHealth } from './parseOpenMHealth.ts';

const root = sharedData('openmhealth-schemas', 'test-data', 'omh');

interface Case {
  schema: string;
  version: string;
  file: string;
  expect: 'pass' | 'fail';
  body: unknown;
}

const cases: Case[] = supportedOmhSchemas.flatMap((schema) =>
  readdirSync(join(root, schema)).flatMap((version) =>
    (['shouldPass', 'shouldFail'] as const).flatMap((folder) => {
      const path = join(root, schema, version, folder);
      if (!existsSync(path)) return [];
      return readdirSync(path).map((file) => ({
        schema,
        version,
        file,
        expect: folder === 'shouldPass' ? ('pass' as const) : ('fail' as const),
        body: JSON.parse(readFileSync(join(path, file), 'utf8')) as unknown,
      }));
    }),
  ),
);

/**
 * The field each should-fail file is about, read off its name (the test data names its defect):
 * the rejection must name that field in an issue path.
 */
const defectField: Readonly<Record<string, string>> = {
  'invalid-unit.json': '.unit',
  'incorrect-unit.json': 'heart_rate.unit',
  'invalid-sleep-duration-unit.json': 'sleep_duration.unit',
  'invalid-unit-step-count.json': 'step_count',
  'string-step-count-value.json': 'step_count',
  'invalid-blood-specimen-type.json': 'blood_specimen_type',
  'invalid-specimen-source.json': 'specimen_source',
  'invalid-descriptive-statistic.json': 'descriptive_statistic',
  'invalid-temporal-relationship-to-meal.json': 'temporal_relationship_to_meal',
  'invalid-temporal-relationship-to-sleep.json': 'temporal_relationship_to_sleep',
  'invalid-pa-value.json': 'temporal_relationship_to_physical_activity',
  'invalid-time-frame.json': 'effective_time_frame',
  'invalid-timeframe-format.json': 'effective_time_frame.time_interval',
  'invalid-time-interval.json': 'effective_time_frame.time_interval',
  'missing-time-frame.json': 'effective_time_frame',
  'missing-effective-time-frame.json': 'effective_time_frame',
  'with-date-time.json': 'effective_time_frame.time_interval',
  'step-count-only.json': 'effective_time_frame',
  'sleep-duration-only.json': 'effective_time_frame',
  'missing-body-weight-unit.json': 'body_weight.unit',
  'missing-body-weight-value.json': 'body_weight.value',
  'missing-sleep-duration.json': 'sleep_duration',
};

const receivedAt = '2024-01-01T00:00:00Z';

describe('Open mHealth test data (../shared/data/openmhealth-schemas/test-data)', () => {
  it('has should-pass and should-fail files for every supported schema', () => {
    for (const schema of supportedOmhSchemas) {
      expect(
        cases.some((c) => c.schema === schema && c.expect === 'pass'),
        schema,
      ).toBe(true);
      expect(
        cases.some((c) => c.schema === schema && c.expect === 'fail'),
        schema,
      ).toBe(true);
    }
    // Counted independently: find <schema> -path '*shouldPass*' -type f | wc -l (and shouldFail).
    expect(cases.filter((c) => c.expect === 'pass')).toHaveLength(75);
    expect(cases.filter((c) => c.expect === 'fail')).toHaveLength(82);
  });

  it('has rules for every version in the test data', () => {
    for (const c of cases)
      expect(omhRulesFor(c.schema, c.version)?.version, `${c.schema} ${c.version}`).toBe(c.version);
  });

  it('accepts every should-pass body as canonical observations', () => {
    for (const c of cases.filter((x) => x.expect === 'pass')) {
      const label = `${c.schema}/${c.version}/${c.file}`;
      expect(detectFormat(JSON.stringify(c.body)), label).toBe('openmhealth');
      const items = parseOpenMHealth(c.body, {
        memberRef: 'm',
        schema: `omh:${c.schema}:${c.version}`,
        ref: c.file,
        receivedAt,
      });
      expect(items.length, label).toBe(c.schema === 'blood-pressure' ? 2 : 1);
      for (const item of items) {
        expect(item.ok ? [] : item.issues, label).toEqual([]);
        if (item.ok && item.record.kind === 'observation') {
          expect(item.record.value.indicator, label).not.toBeNull();
          expect(item.sourceType).toBe(`omh:${c.schema}:${c.version}`);
        }
      }
    }
  });

  it('rejects every should-fail body with an issue whose path names the defective field', () => {
    for (const c of cases.filter((x) => x.expect === 'fail')) {
      const label = `${c.schema}/${c.version}/${c.file}`;
      const items = parseOpenMHealth(c.body, {
        memberRef: 'm',
        schema: `omh:${c.schema}:${c.version}`,
        ref: c.file,
        receivedAt,
      });
      expect(items, label).toHaveLength(1);
      const [item] = items;
      expect(item?.ok, label).toBe(false);
      const paths = item && !item.ok ? item.issues.map((i) => i.path) : [];
      const rules = omhRulesFor(c.schema, c.version);
      const expected =
        c.file === 'empty-document.json' ? (rules?.required ?? []) : [defectField[c.file]];
      expect(
        expected.every((f) => f !== undefined),
        `${label}: no expected field listed`,
      ).toBe(true);
      for (const field of expected)
        expect(
          paths.some((p) => p.includes(field ?? '')),
          `${label}: ${paths.join(', ')}`,
        ).toBe(true);
    }
  });

  it('accepts the should-pass bodies wrapped as data points, dated by the header', () => {
    for (const c of cases.filter((x) => x.expect === 'pass')) {
      const dataPoint = {
        header: {
          id: `${c.schema}-${c.version}-${c.file}`,
          creation_date_time: '2024-01-01T08:00:00+08:00',
          schema_id: { namespace: 'omh', name: c.schema, version: c.version },
          acquisition_provenance: { source_name: 'test-data', modality: 'self-reported' },
        },
        body: c.body,
      };
      const items = parseOpenMHealth(dataPoint, { memberRef: 'm' });
      for (const item of items) {
        expect(item.ok, `${c.schema}/${c.version}/${c.file}`).toBe(true);
        if (item.ok && item.record.kind === 'observation') {
          expect(item.record.value.sourceKind).toBe('self');
          expect(item.record.value.idempotencyKey).toBe(
            `openmhealth:${dataPoint.header.id}:${item.record.value.code}`,
          );
        }
      }
    }
  });
});
