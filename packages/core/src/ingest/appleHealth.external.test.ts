import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import { appleQuantityTypes, SLEEP_ANALYSIS } from './appleHealthTypes.ts';
import { detectFormat } from './detectFormat.ts';
import { emptyIngestSummary, tallyIngestItem } from './ingestSummary.ts';
import { parseAppleHealthExport } from './parseAppleHealthExport.ts';
import type { IngestItemResult } from './types.ts';

const exportPath = sharedData('apple-health-export', 'ashtom-hkimport', 'export.xml');

/** Reads the file in 64 KiB chunks, counting how many chunks have been handed out. */
function chunks(path: string): { stream: AsyncIterable<string>; read: () => number } {
  let read = 0;
  const file = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  async function* counted(): AsyncIterable<string> {
    for await (const chunk of file) {
      read += 1;
      yield chunk as string;
    }
  }
  return { stream: counted(), read: () => read };
}

/**
 * Independent count: `<Record type="…"` per type in the raw text, leaving out the records nested in
 * a <Correlation> (HealthKit repeats them at the top level, per the export's own DTD comment).
 */
function independentCounts(text: string): Map<string, number> {
  const topLevel = text.replace(/<Correlation\b[\s\S]*?<\/Correlation>/g, '');
  const counts = new Map<string, number>();
  for (const m of topLevel.matchAll(/<Record type="([A-Za-z]+)"/g))
    counts.set(m[1] ?? '', (counts.get(m[1] ?? '') ?? 0) + 1);
  return counts;
}

describe('Apple Health export.xml (ashtom/hkimport)', () => {
  it('streams the export and accounts for every record, per type, against an independent count', async () => {
    const text = readFileSync(exportPath, 'utf8');
    expect(detectFormat(text.slice(0, 4096))).toBe('apple-health-xml');
    const expected = independentCounts(text);
    const { stream, read } = chunks(exportPath);
    const summary = emptyIngestSummary();
    let chunksBeforeFirstItem: number | undefined;
    const keys = new Set<string>();
    for await (const item of parseAppleHealthExport(stream, { memberRef: 'jonathan' })) {
      chunksBeforeFirstItem ??= read();
      tallyIngestItem(summary, item);
      if (item.ok && item.record.kind === 'observation') keys.add(item.record.value.idempotencyKey);
    }
    // Streaming: items flow before the file has been read to the end.
    const totalChunks = read();
    expect(totalChunks).toBeGreaterThan(10);
    expect(chunksBeforeFirstItem).toBeLessThan(totalChunks);

    const counts = Object.fromEntries(
      Object.entries(summary.bySourceType)
        .filter(([type]) => expected.has(type))
        .map(([type, c]) => [type, c.accepted + c.rejected + c.skipped]),
    );
    expect(counts).toEqual(Object.fromEntries(expected));
    console.info('Apple Health import, per type:', summary.bySourceType);

    // Supported types are all stored (this export holds no implausible value); the rest are skipped by name.
    for (const [type, count] of expected) {
      const c = summary.bySourceType[type];
      if (type in appleQuantityTypes)
        expect(c, type).toEqual({ accepted: count, rejected: 0, skipped: 0 });
      else if (type !== SLEEP_ANALYSIS) {
        expect(c, type).toEqual({ accepted: 0, rejected: 0, skipped: count });
        expect(summary.reasons[`${type} is not imported`], type).toBe(count);
      }
    }
    expect(summary.bySourceType.HKQuantityTypeIdentifierStepCount?.accepted).toBe(3980);
    expect(summary.bySourceType.HKQuantityTypeIdentifierHeartRate?.accepted).toBe(2177);
    expect(summary.bySourceType.HKQuantityTypeIdentifierBloodGlucose?.accepted).toBe(35);
    expect(summary.bySourceType.HKQuantityTypeIdentifierBodyMass?.accepted).toBe(40);

    // Sleep: asleep intervals stored, in-bed and awake skipped (counted from the value attributes).
    const sleep = text.match(/<Record type="HKCategoryTypeIdentifierSleepAnalysis"[^>]*>/g) ?? [];
    const asleep = sleep.filter((r) =>
      r.includes('value="HKCategoryValueSleepAnalysisAsleep"'),
    ).length;
    expect(summary.bySourceType[SLEEP_ANALYSIS]).toEqual({
      accepted: asleep,
      rejected: 0,
      skipped: sleep.length - asleep,
    });
    expect(summary.bySourceType.HKCorrelationTypeIdentifierFood?.skipped).toBe(
      (text.match(/<Correlation /g) ?? []).length,
    );
    expect(summary.bySourceType.Workout?.skipped).toBe((text.match(/<Workout /g) ?? []).length);
    expect(keys.size).toBe(summary.records.observation);
  });

  it('converts glucose in mg/dL to mmol/L with the original kept', async () => {
    const glucose: IngestItemResult[] = [];
    for await (const item of parseAppleHealthExport(chunks(exportPath).stream, {
      memberRef: 'jonathan',
    })) {
      if (item.sourceType === 'HKQuantityTypeIdentifierBloodGlucose') glucose.push(item);
    }
    const first = glucose[0];
    expect(first?.ok && first.record.value).toMatchObject({
      code: '2339-0',
      unit: 'mmol/L',
      originalUnit: 'mg/dL',
    });
    for (const item of glucose) {
      if (item.ok && item.record.kind === 'observation') {
        expect(item.record.value.value).toBeCloseTo(
          (item.record.value.originalValue * 10) / 180.16,
          2,
        );
      }
    }
  });
});

describe('Apple Health fixtures (dogsheep/healthkit-to-sqlite)', () => {
  it('reads BMI and heart rate and skips workouts and activity summaries', async () => {
    const path = sharedData(
      'apple-health-export',
      'dogsheep-healthkit-to-sqlite',
      'tests',
      'export.xml',
    );
    const items: IngestItemResult[] = [];
    for await (const item of parseAppleHealthExport(chunks(path).stream, { memberRef: 'm' }))
      items.push(item);
    const stored = items.flatMap((i) =>
      i.ok && i.record.kind === 'observation' ? [i.record.value] : [],
    );
    // The catalogue keeps BMI to 3 decimals; the original value stays exact.
    expect(
      stored.map((o) => [o.indicator, o.value, o.unit, o.originalValue, o.originalUnit]),
    ).toEqual([
      ['bmi', 22.531, 'kg/m2', 22.5312, 'count'],
      ['heart_rate', 72, '/min', 72, 'count/min'],
    ]);
    // The Withings BMI record says HKWasUserEntered = 0: a device reading.
    expect(stored[0]?.sourceKind).toBe('device');
    expect(items.filter((i) => !i.ok).map((i) => i.sourceType)).toEqual([
      'Workout',
      'ActivitySummary',
      'ActivitySummary',
    ]);
  });
});
