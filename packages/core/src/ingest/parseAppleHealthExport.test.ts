import { describe, expect, it } from 'vitest';
import type { ObservationInput } from '../model/types.ts';
import { summarizeIngestItems } from './ingestSummary.ts';
import { parseAppleHealthExport } from './parseAppleHealthExport.ts';
import type { IngestItemResult } from './types.ts';

const exportXml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="zh_CN">
 <ExportDate value="2019-06-12 09:00:00 +0800"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1960-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" device="&lt;&lt;HKDevice&gt;&gt;" unit="count" creationDate="2019-06-11 15:10:00 +0200" startDate="2019-06-11 15:00:00 +0200" endDate="2019-06-11 15:09:00 +0200" value="812"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" unit="count/min" creationDate="2019-06-11 15:00:00 +0200" startDate="2019-06-11 15:00:00 +0200" endDate="2019-06-11 15:00:00 +0200" value="72"/>
 <Record type="HKQuantityTypeIdentifierBloodGlucose" sourceName="Health" unit="mg/dL" creationDate="2019-06-11 07:00:00 +0800" startDate="2019-06-11 07:00:00 +0800" endDate="2019-06-11 07:00:00 +0800" value="126">
  <MetadataEntry key="HKWasUserEntered" value="1"/>
 </Record>
 <Record type="HKQuantityTypeIdentifierBloodGlucose" sourceName="Contour" unit="mmol&lt;180.1558800000541&gt;/L" creationDate="2019-06-11 19:00:00 +0800" startDate="2019-06-11 19:00:00 +0800" endDate="2019-06-11 19:00:00 +0800" value="8.2"/>
 <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Omron" unit="mmHg" creationDate="2019-06-11 08:00:00 +0800" startDate="2019-06-11 08:00:00 +0800" endDate="2019-06-11 08:00:00 +0800" value="148"/>
 <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Omron" unit="mmHg" creationDate="2019-06-12 08:00:00 +0800" startDate="2019-06-12 08:00:00 +0800" endDate="2019-06-12 08:00:00 +0800" value="139"/>
 <Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" sourceName="Omron" unit="mmHg" creationDate="2019-06-11 08:00:00 +0800" startDate="2019-06-11 08:00:00 +0800" endDate="2019-06-11 08:00:00 +0800" value="92"/>
 <Record type="HKQuantityTypeIdentifierOxygenSaturation" sourceName="Apple Watch" unit="%" creationDate="2019-06-11 03:00:00 +0800" startDate="2019-06-11 03:00:00 +0800" endDate="2019-06-11 03:00:00 +0800" value="0.97"/>
 <Record type="HKQuantityTypeIdentifierBodyMassIndex" sourceName="Scale" unit="count" creationDate="2019-06-11 07:00:00 +0800" startDate="2019-06-11 07:00:00 +0800" endDate="2019-06-11 07:00:00 +0800" value="24.6"/>
 <Record type="HKQuantityTypeIdentifierBodyTemperature" sourceName="Thermo" unit="degF" creationDate="2019-06-11 07:00:00 +0800" startDate="2019-06-11 07:00:00 +0800" endDate="2019-06-11 07:00:00 +0800" value="98.6"/>
 <Record type="HKQuantityTypeIdentifierHeight" sourceName="Health" unit="ft" creationDate="2019-06-11 07:00:00 +0800" startDate="2019-06-11 07:00:00 +0800" endDate="2019-06-11 07:00:00 +0800" value="5.5"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg" creationDate="2019-06-11 07:00:00 +0800" startDate="2019-06-11 07:00:00 +0800" endDate="2019-06-11 07:00:00 +0800" value="heavy"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" unit="count/min" creationDate="2019-06-11 15:00:00 +0200" startDate="2019-06-11 15:01:00 +0200" endDate="2019-06-11 15:01:00 +0200" value="7"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Pillow" creationDate="2019-06-12 07:00:00 +0800" startDate="2019-06-11 23:15:00 +0800" endDate="2019-06-12 06:45:00 +0800" value="HKCategoryValueSleepAnalysisAsleep"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Pillow" creationDate="2019-06-12 07:00:00 +0800" startDate="2019-06-11 23:00:00 +0800" endDate="2019-06-12 07:00:00 +0800" value="HKCategoryValueSleepAnalysisInBed"/>
 <Record type="HKQuantityTypeIdentifierDistanceWalkingRunning" sourceName="iPhone" unit="km" creationDate="2019-06-11 15:10:00 +0200" startDate="2019-06-11 15:00:00 +0200" endDate="2019-06-11 15:09:00 +0200" value="0.6"/>
 <Correlation type="HKCorrelationTypeIdentifierFood" sourceName="MyNetDiary" creationDate="2019-06-11 12:00:00 +0800" startDate="2019-06-11 12:00:00 +0800" endDate="2019-06-11 12:00:00 +0800">
  <MetadataEntry key="HKFoodType" value="Rice"/>
  <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Nested" unit="count/min" creationDate="2019-06-11 12:00:00 +0800" startDate="2019-06-11 12:00:00 +0800" endDate="2019-06-11 12:00:00 +0800" value="99"/>
 </Correlation>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="30" durationUnit="min" sourceName="Watch" startDate="2019-06-11 18:00:00 +0800" endDate="2019-06-11 18:30:00 +0800"/>
</HealthData>
`;

async function* chunked(text: string, size: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(text: string, size = 4096): Promise<IngestItemResult[]> {
  const items: IngestItemResult[] = [];
  for await (const item of parseAppleHealthExport(chunked(text, size), { memberRef: 'member-9' }))
    items.push(item);
  return items;
}

const observationsOf = (items: IngestItemResult[], type: string): ObservationInput[] =>
  items.flatMap((i) =>
    i.ok && i.sourceType === type && i.record.kind === 'observation' ? [i.record.value] : [],
  );

describe('parseAppleHealthExport', () => {
  it('reads the supported types into canonical observations', async () => {
    const items = await collect(exportXml);
    const [steps] = observationsOf(items, 'HKQuantityTypeIdentifierStepCount');
    expect(steps).toMatchObject({
      memberRef: 'member-9',
      code: '55423-8',
      indicator: 'steps',
      value: 812,
      sourceKind: 'device',
      sourceSystem: 'apple-health',
      sourceRecordId: null,
      effectiveAt: '2019-06-11T13:00:00.000Z', // 15:00 at +02:00
      effectiveEnd: '2019-06-11T13:09:00.000Z',
    });
    const [typed, meter] = observationsOf(items, 'HKQuantityTypeIdentifierBloodGlucose');
    // 126 mg/dL × 10/180.16 = 6.994 mmol/L (WHO/IDF 2006: 7.0 mmol/L = 126 mg/dL); typed in by hand.
    expect(typed).toMatchObject({
      indicator: 'glucose',
      unit: 'mmol/L',
      originalValue: 126,
      originalUnit: 'mg/dL',
      sourceKind: 'self',
    });
    expect(typed?.value).toBeCloseTo(6.994, 3);
    expect(meter).toMatchObject({
      value: 8.2,
      unit: 'mmol/L',
      originalUnit: 'mmol<180.1558800000541>/L',
      sourceKind: 'device',
    });
    // HealthKit stores SpO₂ as a fraction: 0.97 → 97 %.
    expect(observationsOf(items, 'HKQuantityTypeIdentifierOxygenSaturation')[0]).toMatchObject({
      value: 97,
      unit: '%',
      originalValue: 0.97,
    });
    expect(observationsOf(items, 'HKQuantityTypeIdentifierBodyMassIndex')[0]).toMatchObject({
      value: 24.6,
      unit: 'kg/m2',
      originalUnit: 'count',
    });
    // (98.6 − 32) × 5/9 = 37.0 °C.
    expect(observationsOf(items, 'HKQuantityTypeIdentifierBodyTemperature')[0]).toMatchObject({
      value: 37,
      unit: 'Cel',
      originalUnit: 'degF',
    });
    // 5.5 ft × 30.48 = 167.64 cm.
    expect(observationsOf(items, 'HKQuantityTypeIdentifierHeight')[0]).toMatchObject({
      value: 167.64,
      unit: 'cm',
      sourceKind: 'device',
    });
  });

  it('pairs systolic and diastolic records that share a startDate into one panel', async () => {
    const items = await collect(exportXml);
    const sbp = observationsOf(items, 'HKQuantityTypeIdentifierBloodPressureSystolic');
    const dbp = observationsOf(items, 'HKQuantityTypeIdentifierBloodPressureDiastolic');
    const paired = sbp.find((o) => o.value === 148);
    expect(paired).toMatchObject({
      unit: 'mm[Hg]',
      setting: 'home',
      panelKey: 'apple-health:member-9:blood-pressure:2019-06-11T00:00:00.000Z',
    });
    expect(dbp).toEqual([expect.objectContaining({ value: 92, panelKey: paired?.panelKey })]);
    // The 139 systolic has no diastolic partner: kept as a lone reading.
    expect(sbp.find((o) => o.value === 139)?.panelKey).toBeNull();
  });

  it('turns asleep intervals into hours and skips in-bed time', async () => {
    const items = await collect(exportXml);
    // 23:15 → 06:45 = 7.5 h.
    expect(observationsOf(items, 'HKCategoryTypeIdentifierSleepAnalysis')).toEqual([
      expect.objectContaining({
        code: '93832-4',
        indicator: 'sleep_duration',
        value: 7.5,
        unit: 'h',
        effectiveAt: '2019-06-11T15:15:00.000Z',
        effectiveEnd: '2019-06-11T22:45:00.000Z',
      }),
    ]);
    const inBed = items.find(
      (i) => !i.ok && i.sourceType === 'HKCategoryTypeIdentifierSleepAnalysis',
    );
    expect(inBed).toMatchObject({
      skipped: true,
      issues: [
        { message: 'HKCategoryValueSleepAnalysisInBed (in bed or awake) is not sleep: not stored' },
      ],
    });
  });

  it('counts per type: unknown types skipped by name, correlations not double counted, bad values rejected', async () => {
    const summary = summarizeIngestItems(await collect(exportXml));
    expect(summary.bySourceType).toEqual({
      HKQuantityTypeIdentifierStepCount: { accepted: 1, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierHeartRate: { accepted: 1, rejected: 1, skipped: 0 },
      HKQuantityTypeIdentifierBloodGlucose: { accepted: 2, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierBloodPressureSystolic: { accepted: 2, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierBloodPressureDiastolic: { accepted: 1, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierOxygenSaturation: { accepted: 1, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierBodyMassIndex: { accepted: 1, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierBodyTemperature: { accepted: 1, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierHeight: { accepted: 1, rejected: 0, skipped: 0 },
      HKQuantityTypeIdentifierBodyMass: { accepted: 0, rejected: 1, skipped: 0 },
      HKCategoryTypeIdentifierSleepAnalysis: { accepted: 1, rejected: 0, skipped: 1 },
      HKQuantityTypeIdentifierDistanceWalkingRunning: { accepted: 0, rejected: 0, skipped: 1 },
      HKCorrelationTypeIdentifierFood: { accepted: 0, rejected: 0, skipped: 1 },
      Workout: { accepted: 0, rejected: 0, skipped: 1 },
    });
    expect(summary.reasons['HKQuantityTypeIdentifierDistanceWalkingRunning is not imported']).toBe(
      1,
    );
  });

  it('names the line and field of a rejected record', async () => {
    const items = await collect(exportXml);
    const bad = items.filter((i) => !i.ok && !i.skipped);
    expect(bad.map((i) => [i.ref, !i.ok && i.issues])).toEqual([
      ['line 22', [{ path: 'Record.value', message: '"heavy" is not a number' }]],
      [
        'line 23',
        [
          {
            path: 'Record.value',
            message: 'Heart rate 7 count/min is outside the plausible range 20–300 bpm',
          },
        ],
      ],
    ]);
  });

  it('gives the same items, in order, however the text is chunked', async () => {
    const whole = await collect(exportXml, exportXml.length);
    const tiny = await collect(exportXml, 7);
    expect(tiny).toEqual(whole);
    const keys = whole.flatMap((i) =>
      i.ok && i.record.kind === 'observation' ? [i.record.value.idempotencyKey] : [],
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe(
      'apple-health:member-9:iPhone:55423-8:2019-06-11T13:00:00.000Z/2019-06-11T13:09:00.000Z:812:count',
    );
  });

  it('ends with one rejected item on malformed XML or a foreign document', async () => {
    const broken = await collect(
      '<HealthData><Record type="HKQuantityTypeIdentifierHeartRate" value="70"</HealthData>',
    );
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({
      ok: false,
      issues: [{ path: 'export.xml', message: expect.stringContaining('not well-formed XML') }],
    });
    const foreign = await collect('<?xml version="1.0"?><feed><entry/></feed>');
    expect(foreign).toEqual([
      {
        ok: false,
        ref: 'line 1',
        issues: [
          {
            path: 'export.xml',
            message: 'root element is <feed>, expected <HealthData>: not an Apple Health export',
          },
        ],
      },
    ]);
    const empty = await collect('');
    expect(empty[0]).toMatchObject({ ok: false, issues: [{ path: 'export.xml' }] });
  });
});
