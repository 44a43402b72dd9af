import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as rruleModule from 'rrule';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import type { ObservationInput } from '../model/types.ts';
import { detectFormat } from './detectFormat.ts';
import { summarizeIngestItems, type IngestSummary } from './ingestSummary.ts';
import { parseFhirBundle } from './parseFhirBundle.ts';
import type { IngestItemResult, ParsedBundle } from './types.ts';

const { RRule } =
  (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw test data

interface FileResult {
  file: string;
  head: string;
  raw: Json;
  parsed: ParsedBundle;
  summary: IngestSummary;
}

const dir = sharedData('synthea-r4');
const entries = readdirSync(dir).filter((f) => f !== 'LICENSE');
const results: FileResult[] = [];
const emptyFiles: string[] = [];

beforeAll(() => {
  for (const file of entries) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (text.length === 0) {
      emptyFiles.push(file);
      continue;
    }
    const raw = JSON.parse(text) as Json;
    const parsed = parseFhirBundle(raw);
    results.push({
      file,
      head: text.slice(0, 4096),
      raw,
      parsed,
      summary: summarizeIngestItems(parsed.items),
    });
  }
  console.info(
    'Synthea import, per file:\n' +
      results
        .map(
          ({ file, summary: s }) =>
            `${file.slice(0, 40).padEnd(40)} accepted ${s.accepted} (obs ${s.records.observation}, cond ${s.records.condition}, med ${s.records.medication}) rejected ${s.rejected} skipped ${s.skipped}`,
        )
        .join('\n'),
  );
});

const resources = (raw: Json, type: string): Json[] =>
  (raw.entry as Json[]).map((e) => e.resource as Json).filter((r) => r.resourceType === type);
const observations = (items: IngestItemResult[]): ObservationInput[] =>
  items.flatMap((i) => (i.ok && i.record.kind === 'observation' ? [i.record.value] : []));

describe('Synthea R4 bundles (../shared/data/synthea-r4)', () => {
  it('holds 40 entries: 38 transaction bundles and 2 empty files, which are not FHIR at all', () => {
    expect(entries).toHaveLength(40);
    expect(results).toHaveLength(38);
    // The two are zero-byte files whose names kept git's escaped quoting (…json"): nothing to import.
    expect(emptyFiles).toHaveLength(2);
    for (const file of emptyFiles) {
      expect(statSync(join(dir, file)).size).toBe(0);
      expect(detectFormat('')).toBe('unknown');
    }
  });

  it('parses every bundle with no bundle issues and no rejected entry', () => {
    for (const { file, parsed, summary, head } of results) {
      expect(detectFormat(head), file).toBe('fhir-bundle');
      expect(parsed.bundleIssues, file).toEqual([]);
      expect(parsed.bundleType, file).toBe('transaction');
      expect(summary.rejected, file).toBe(0);
    }
  });

  it('imports every numeric observation: one per valueQuantity, two per blood-pressure panel', () => {
    let total = 0;
    for (const { file, raw, summary } of results) {
      const obs = resources(raw, 'Observation');
      const quantities = obs.filter((o) => o.valueQuantity !== undefined).length;
      const panels = obs.filter((o) => Array.isArray(o.component)).length;
      const textValued = obs.filter(
        (o) => o.valueQuantity === undefined && !Array.isArray(o.component),
      ).length;
      expect(summary.records.observation, file).toBe(quantities + 2 * panels);
      expect(summary.bySourceType.Observation?.skipped ?? 0, file).toBe(textValued);
      total += summary.records.observation;
    }
    expect(total).toBe(6100);
  });

  it('turns every blood-pressure panel into a systolic and a diastolic value in mm[Hg]', () => {
    let panels = 0;
    let halves = 0;
    for (const { file, raw, parsed } of results) {
      const rawPanels = resources(raw, 'Observation').filter(
        (o) => o.code.coding[0].code === '55284-4',
      );
      const bp = observations(parsed.items).filter(
        (o) => o.indicator === 'sbp' || o.indicator === 'dbp',
      );
      const byPanel = new Map<string, ObservationInput[]>();
      for (const o of bp)
        byPanel.set(o.panelKey ?? '', [...(byPanel.get(o.panelKey ?? '') ?? []), o]);
      expect(byPanel.size, file).toBe(rawPanels.length);
      for (const panel of rawPanels) {
        const pair = byPanel.get(`fhir:Observation/${panel.id}`) ?? [];
        expect(pair.map((o) => o.indicator).sort(), file).toEqual(['dbp', 'sbp']);
        for (const half of pair) {
          expect(half.unit).toBe('mm[Hg]');
          const component = (panel.component as Json[]).find(
            (c) => c.code.coding[0].code === half.code,
          );
          expect(half.value).toBeCloseTo(component?.valueQuantity.value as number, 2);
        }
      }
      panels += rawPanels.length;
      halves += bp.length;
    }
    expect(panels).toBe(305);
    expect(halves).toBe(610);
  });

  it('converts mg/dL glucose, lipids and creatinine to mmol/L and umol/L, keeping the originals', () => {
    const all = results.flatMap((r) => observations(r.parsed.items));
    const byCode = (code: string) => all.filter((o) => o.code === code);
    // mmol/L = mg/dL × 10 / M (g/mol): glucose 180.16, cholesterol 386.65, triglyceride 885.7; creatinine µmol/L = mg/dL × 10000 / 113.12.
    const checks: [string, string, number][] = [
      ['2339-0', 'mmol/L', 10 / 180.16],
      ['2093-3', 'mmol/L', 10 / 386.65],
      ['2571-8', 'mmol/L', 10 / 885.7],
      ['38483-4', 'umol/L', 10000 / 113.12],
    ];
    for (const [code, unit, factor] of checks) {
      const values = byCode(code);
      expect(values.length, code).toBeGreaterThan(100);
      for (const o of values) {
        expect(o.originalUnit).toBe('mg/dL');
        expect(o.unit).toBe(unit);
        expect(o.value).toBeCloseTo(o.originalValue * factor, 1);
      }
    }
    expect(byCode('4548-4').every((o) => o.unit === '%' && o.indicator === 'hba1c')).toBe(true);
  });

  it('keeps codes outside the catalogue as they are (pain score, electrolytes)', () => {
    const all = results.flatMap((r) => observations(r.parsed.items));
    const pain = all.filter((o) => o.code === '72514-3');
    expect(pain).toHaveLength(322);
    expect(
      pain.every(
        (o) => o.indicator === null && o.unit === '{score}' && o.value === o.originalValue,
      ),
    ).toBe(true);
  });

  it('imports every Patient, Condition and MedicationRequest; timings become RRULEs rrule can expand', () => {
    for (const { file, raw, summary, parsed } of results) {
      expect(summary.records.member, file).toBe(resources(raw, 'Patient').length);
      expect(summary.records.condition, file).toBe(resources(raw, 'Condition').length);
      expect(summary.records.medication, file).toBe(resources(raw, 'MedicationRequest').length);
      const patientIds = new Set(resources(raw, 'Patient').map((p) => p.id as string));
      for (const item of parsed.items) {
        if (item.ok && item.record.kind !== 'member')
          expect(patientIds.has(item.record.value.memberRef), file).toBe(true);
      }
    }
    const meds = results.flatMap((r) =>
      r.parsed.items.flatMap((i) =>
        i.ok && i.record.kind === 'medication' ? [i.record.value] : [],
      ),
    );
    const timed = results.flatMap((r) =>
      resources(r.raw, 'MedicationRequest').filter((m) => m.dosageInstruction?.[0]?.timing),
    );
    expect(meds.filter((m) => m.rrule !== null)).toHaveLength(timed.length);
    for (const med of meds.filter((m) => m.rrule !== null)) {
      const rule = new RRule({
        ...RRule.parseString(med.rrule ?? ''),
        dtstart: new Date('2024-01-01T00:00:00Z'),
      });
      expect(rule.all((_, i) => i < 3)).toHaveLength(3);
    }
    const conditions = results.flatMap((r) =>
      r.parsed.items.flatMap((i) =>
        i.ok && i.record.kind === 'condition' ? [i.record.value] : [],
      ),
    );
    expect(
      conditions.some((c) => c.system === 'http://snomed.info/sct' && c.code === '38341003'),
    ).toBe(true);
  });

  it('gives every record a unique idempotency key, the same on a second import', () => {
    const keys = results.flatMap((r) =>
      r.parsed.items.flatMap((i) =>
        i.ok && 'idempotencyKey' in i.record.value ? [i.record.value.idempotencyKey] : [],
      ),
    );
    expect(new Set(keys).size).toBe(keys.length);
    const again = results.flatMap((r) =>
      parseFhirBundle(structuredClone(r.raw)).items.flatMap((i) =>
        i.ok && 'idempotencyKey' in i.record.value ? [i.record.value.idempotencyKey] : [],
      ),
    );
    expect(again).toEqual(keys);
  });
});
