import { SaxesParser, type SaxesTag } from 'saxes';
import { indicatorById } from '../clinical/indicators.ts';
import type { ObservationInput, ValidationIssue } from '../model/types.ts';
import { appleQuantityTypes, asleepValues, SLEEP_ANALYSIS } from './appleHealthTypes.ts';
import { parseAppleHealthDate } from './dateTimes.ts';
import { bloodPressureSetting } from './fhirObservation.ts';
import { contentKey } from './idempotencyKeys.ts';
import { accepted, rejectedItem, skippedItem } from './itemResults.ts';
import { normalizeObservationValue } from './observationValue.ts';
import type { AppleHealthOptions, IngestItemResult } from './types.ts';

const SOURCE_SYSTEM = 'apple-health';
const numeric = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

interface OpenRecord {
  attributes: Record<string, string>;
  metadata: Record<string, string>;
  ref: string;
}

type BpHalf = { item: IngestItemResult & { ok: true }; observation: ObservationInput };

/**
 * Streams export.xml through saxes. Memory stays bounded: one record is open at a time, finished
 * items leave with each chunk, and only blood-pressure halves wait (keyed by startDate) for their
 * partner — HealthKit writes all systolic records before all diastolic ones.
 */
class AppleExportReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly out: IngestItemResult[] = [];
  private readonly pendingBp = new Map<string, { sbp?: BpHalf; dbp?: BpHalf }>();
  private record: OpenRecord | undefined;
  private tagLine = 1;
  private depth = 0;
  private correlationDepth: number | undefined;
  private sawRoot = false;
  failed = false;

  constructor(private readonly memberRef: string) {
    this.parser.on('opentagstart', () => {
      this.tagLine = this.parser.line;
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.close(tag));
    this.parser.on('error', (error) =>
      this.fail(`export.xml is not well-formed XML: ${error.message}`),
    );
  }

  write(chunk: string): void {
    if (this.failed) return;
    this.parser.write(chunk);
  }

  end(): void {
    if (this.failed) return;
    this.parser.close();
    if (!this.failed && !this.sawRoot)
      this.fail('no HealthData element: not an Apple Health export');
    for (const key of [...this.pendingBp.keys()]) this.flushUnpaired(key);
  }

  drain(): IngestItemResult[] {
    return this.out.splice(0, this.out.length);
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.out.push(rejectedItem(`line ${this.parser.line}`, [{ path: 'export.xml', message }]));
  }

  private open(tag: SaxesTag): void {
    this.depth += 1;
    const attributes = tag.attributes as Record<string, string>;
    const ref = `line ${this.tagLine}`;
    if (this.depth === 1) {
      this.sawRoot = true;
      if (tag.name !== 'HealthData')
        this.fail(
          `root element is <${tag.name}>, expected <HealthData>: not an Apple Health export`,
        );
      return;
    }
    if (this.correlationDepth !== undefined) return; // records inside a correlation repeat top-level ones
    if (tag.name === 'MetadataEntry' && this.record && attributes.key !== undefined) {
      this.record.metadata[attributes.key] = attributes.value ?? '';
      return;
    }
    if (this.depth !== 2) return;
    switch (tag.name) {
      case 'Record':
        this.record = { attributes, metadata: {}, ref };
        return;
      case 'Correlation':
        this.correlationDepth = this.depth;
        this.out.push(
          skippedItem(
            ref,
            'Correlation',
            'a correlation: its records are imported from the top level',
            attributes.type ?? 'Correlation',
          ),
        );
        return;
      case 'Workout':
      case 'ActivitySummary':
        this.out.push(skippedItem(ref, tag.name, `${tag.name} is not imported`, tag.name));
        return;
      default:
        return; // ExportDate, Me
    }
  }

  private close(tag: SaxesTag): void {
    if (this.correlationDepth === this.depth && tag.name === 'Correlation')
      this.correlationDepth = undefined;
    else if (tag.name === 'Record' && this.record && this.depth === 2) {
      const record = this.record;
      this.record = undefined;
      this.emit(record);
    }
    this.depth -= 1;
  }

  private emit(record: OpenRecord): void {
    const { attributes: a, ref } = record;
    const type = a.type ?? '';
    const quantity = appleQuantityTypes[type];
    if (type !== SLEEP_ANALYSIS && !quantity) {
      this.out.push(
        skippedItem(ref, 'Record.type', `${type || '(no type)'} is not imported`, type || 'Record'),
      );
      return;
    }
    const issues: ValidationIssue[] = [];
    const start = parseAppleHealthDate(a.startDate);
    const end = parseAppleHealthDate(a.endDate);
    if (!start.ok) issues.push({ path: 'Record.startDate', message: start.message });
    if (!end.ok) issues.push({ path: 'Record.endDate', message: end.message });
    if (!start.ok || !end.ok) {
      this.out.push(rejectedItem(ref, issues, type));
      return;
    }
    if (end.iso < start.iso) {
      this.out.push(
        rejectedItem(ref, [{ path: 'Record.endDate', message: 'is before startDate' }], type),
      );
      return;
    }
    let indicatorId: string;
    let value: number;
    let unit: string;
    let originalValue: number | string;
    let originalUnit: string;
    if (type === SLEEP_ANALYSIS) {
      const category = a.value ?? '';
      if (!asleepValues.includes(category)) {
        const what =
          category === '' ? 'a sleep record without a value' : `${category} (in bed or awake)`;
        this.out.push(skippedItem(ref, 'Record.value', `${what} is not sleep: not stored`, type));
        return;
      }
      indicatorId = 'sleep_duration';
      value = (Date.parse(end.iso) - Date.parse(start.iso)) / 3_600_000;
      unit = 'h';
      originalValue = value;
      originalUnit = 'h';
    } else {
      const raw = a.value ?? '';
      if (!numeric.test(raw.trim())) {
        this.out.push(
          rejectedItem(
            ref,
            [{ path: 'Record.value', message: `${JSON.stringify(raw)} is not a number` }],
            type,
          ),
        );
        return;
      }
      if (!a.unit) {
        this.out.push(rejectedItem(ref, [{ path: 'Record.unit', message: 'required' }], type));
        return;
      }
      const rewrite = quantity?.units?.[a.unit];
      indicatorId = quantity?.indicator ?? '';
      originalValue = Number(raw);
      originalUnit = a.unit;
      value = originalValue * (rewrite?.factor ?? 1);
      unit = rewrite?.unit ?? a.unit;
    }
    const indicator = indicatorById(indicatorId);
    if (!indicator) throw new Error(`indicator catalogue lacks '${indicatorId}'`);
    const code = indicator.primaryLoinc;
    const normalized = normalizeObservationValue(code, value, [unit]);
    if (!normalized.ok) {
      const field = normalized.reason === 'unknown-unit' ? 'Record.unit' : 'Record.value';
      this.out.push(rejectedItem(ref, [{ path: field, message: normalized.message }], type));
      return;
    }
    const v = normalized.value;
    const effectiveEnd = end.iso === start.iso ? null : end.iso;
    const sourceKind = record.metadata.HKWasUserEntered === '1' ? 'self' : 'device';
    const observation: ObservationInput = {
      memberRef: this.memberRef,
      code,
      indicator: v.indicator,
      value: v.value,
      unit: v.unit,
      originalValue: typeof originalValue === 'number' ? originalValue : v.originalValue,
      originalUnit,
      effectiveAt: start.iso,
      effectiveEnd,
      sourceKind,
      sourceSystem: SOURCE_SYSTEM,
      sourceRecordId: null,
      idempotencyKey: contentKey({
        sourceSystem: SOURCE_SYSTEM,
        memberRef: this.memberRef,
        code,
        effectiveAt: start.iso,
        effectiveEnd,
        value: originalValue,
        unit: originalUnit,
        qualifier: a.sourceName,
      }),
      panelKey: null,
      setting: bloodPressureSetting(v.indicator, sourceKind),
    };
    const item = accepted(
      ref,
      { kind: 'observation', value: observation },
      type,
    ) as IngestItemResult & { ok: true };
    if (v.indicator === 'sbp' || v.indicator === 'dbp')
      this.pairBloodPressure(a.startDate ?? '', v.indicator, { item, observation });
    else this.out.push(item);
  }

  /** Systolic and diastolic records sharing a startDate are one reading: one panelKey. */
  private pairBloodPressure(startDate: string, half: 'sbp' | 'dbp', entry: BpHalf): void {
    const slot = this.pendingBp.get(startDate) ?? {};
    if (slot[half]) this.flushUnpaired(startDate);
    const fresh = this.pendingBp.get(startDate) ?? {};
    fresh[half] = entry;
    const { sbp, dbp } = fresh;
    if (!sbp || !dbp) {
      this.pendingBp.set(startDate, fresh);
      return;
    }
    this.pendingBp.delete(startDate);
    if (sbp.observation.value <= dbp.observation.value) {
      this.out.push(
        rejectedItem(
          `${sbp.item.ref}, ${dbp.item.ref}`,
          [
            {
              path: 'Record.value',
              message: `systolic ${sbp.observation.value} mmHg is not above diastolic ${dbp.observation.value} mmHg`,
            },
          ],
          'HKCorrelationTypeIdentifierBloodPressure',
        ),
      );
      return;
    }
    const panelKey = `${SOURCE_SYSTEM}:${this.memberRef}:blood-pressure:${sbp.observation.effectiveAt}`;
    sbp.observation.panelKey = panelKey;
    dbp.observation.panelKey = panelKey;
    this.out.push(sbp.item, dbp.item);
  }

  private flushUnpaired(startDate: string): void {
    const slot = this.pendingBp.get(startDate);
    this.pendingBp.delete(startDate);
    if (slot?.sbp) this.out.push(slot.sbp.item);
    if (slot?.dbp) this.out.push(slot.dbp.item);
  }
}

/**
 * Apple Health export.xml, streamed: string chunks in, items out, in bounded memory (exports run to
 * hundreds of MB). Reads steps, heart rate, glucose, body mass, height, BMI, SpO₂, temperature,
 * blood pressure (paired by startDate) and sleep (asleep intervals → hours); every other record
 * type is a skipped item named by its type, so callers can count per type. Entries the member
 * typed in (HKWasUserEntered) are 'self', the rest 'device'. Malformed XML ends the stream with one
 * rejected item.
 */
export async function* parseAppleHealthExport(
  chunks: AsyncIterable<string>,
  opts: AppleHealthOptions,
): AsyncIterable<IngestItemResult> {
  const reader = new AppleExportReader(opts.memberRef);
  let first = true;
  for await (const chunk of chunks) {
    reader.write(first && chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk);
    first = false;
    yield* reader.drain();
    if (reader.failed) return;
  }
  reader.end();
  yield* reader.drain();
}
