import { indicatorById } from '../clinical/indicators.ts';
import type { ObservationInput, SourceKind, ValidationIssue } from '../model/types.ts';
import { fhirInstantFastPath } from '../model/isoInstants.ts';
import { parseFhirDateTime } from './dateTimes.ts';
import {
  entryAddresses,
  firstCode,
  LOINC,
  LOINC_OID,
  logicalId,
  resolvePatientRef,
  UCUM,
  type FhirContext,
} from './fhirElements.ts';
import { contentKey, sourceRecordKey } from './idempotencyKeys.ts';
import { accepted, isRecord, rejectedItem, skippedItem } from './itemResults.ts';
import { indicatorForCode, normalizeObservationValue } from './observationValue.ts';
import type { IngestItemResult } from './types.ts';

const TYPE = 'Observation';

/** LOINC blood-pressure panels whose components are the systolic and diastolic halves. */
export const bloodPressurePanelCodes: readonly string[] = [
  '85354-9',
  '55284-4',
  '35094-2',
  '55417-0',
];

const observationStatuses = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
];
const notStoredStatuses = ['cancelled', 'entered-in-error', 'registered'];

/** Blood-pressure thresholds differ by setting: a clinic reading is an office reading. */
export function bloodPressureSetting(
  indicator: string | null,
  sourceKind: SourceKind,
): ObservationInput['setting'] {
  if (indicator !== 'sbp' && indicator !== 'dbp') return null;
  return sourceKind === 'clinic' || sourceKind === 'checkup' ? 'office' : 'home';
}

/** The LOINC code of a CodeableConcept: the first one the catalogue knows, else the first one. */
function loincCode(concept: unknown): string | undefined {
  // One pass without the intermediate Coding objects of `codings()` (this runs per observation).
  if (!isRecord(concept) || !Array.isArray(concept.coding)) return undefined;
  let first: string | undefined;
  for (const c of concept.coding as unknown[]) {
    if (!isRecord(c)) continue;
    const code = c.code;
    if (typeof code !== 'string' || code === '' || (c.system !== LOINC && c.system !== LOINC_OID))
      continue;
    if (indicatorForCode(code)) return code;
    first ??= code;
  }
  return first;
}

type Effective =
  { ok: true; start: string; end: string | null } | { ok: false; issue: ValidationIssue };

type InstantAt = { ok: true; iso: string } | { ok: false; issue: ValidationIssue };

/** One effective instant; `path` + `key` name it in an issue (joined only when there is one). */
function effectiveInstant(value: unknown, path: string, key: string): InstantAt {
  const parsed = parseFhirDateTime(value);
  if (!parsed.ok) return { ok: false, issue: { path: `${path}.${key}`, message: parsed.message } };
  if (parsed.precision === 'year' || parsed.precision === 'month') {
    return {
      ok: false,
      issue: {
        path: `${path}.${key}`,
        message: `'${String(value)}' is too imprecise: a reading needs at least a day`,
      },
    };
  }
  return { ok: true, iso: parsed.iso };
}

/** effective[x] → instants; dates need at least day precision to place a reading on a day. */
function readEffective(holder: Record<string, unknown>, path: string): Effective | undefined {
  const key =
    holder.effectiveDateTime !== undefined
      ? 'effectiveDateTime'
      : holder.effectiveInstant !== undefined
        ? 'effectiveInstant'
        : undefined;
  if (key !== undefined) {
    const value = holder[key];
    // The common case, a full instant, without the intermediate result objects.
    const fast = typeof value === 'string' ? fhirInstantFastPath(value) : undefined;
    if (fast !== undefined) return { ok: true, start: fast, end: null };
    const at = effectiveInstant(value, path, key);
    return at.ok ? { ok: true, start: at.iso, end: null } : at;
  }
  const period = holder.effectivePeriod;
  if (period === undefined) return undefined;
  if (!isRecord(period) || (period.start === undefined && period.end === undefined)) {
    return { ok: false, issue: { path: `${path}.effectivePeriod`, message: 'needs a start' } };
  }
  const start = effectiveInstant(
    period.start ?? period.end,
    path,
    `effectivePeriod.${period.start === undefined ? 'end' : 'start'}`,
  );
  if (!start.ok) return start;
  if (period.start === undefined || period.end === undefined)
    return { ok: true, start: start.iso, end: null };
  const end = effectiveInstant(period.end, path, 'effectivePeriod.end');
  if (!end.ok) return end;
  if (end.iso < start.iso)
    return {
      ok: false,
      issue: { path: `${path}.effectivePeriod.end`, message: 'is before the start' },
    };
  return { ok: true, start: start.iso, end: end.iso };
}

interface ObservationFrame {
  memberRef: string;
  recordId: string | null;
  effectiveAt: string;
  effectiveEnd: string | null;
  ctx: FhirContext;
}

const quantityPath = (base: string, component: number): string =>
  component < 0 ? `${base}.valueQuantity` : `${base}.component[${component}].valueQuantity`;

/**
 * One valueQuantity (of the observation or a component) → an observation item. Its path is
 * `${base}.valueQuantity`, or `${base}.component[i].valueQuantity` for component `i` (joined only
 * when an issue needs it).
 */
function quantityItem(
  frame: ObservationFrame,
  code: string,
  quantity: unknown,
  ref: string,
  base: string,
  component: number,
  panelKey: string | null,
): IngestItemResult {
  if (!isRecord(quantity))
    return rejectedItem(
      ref,
      [{ path: quantityPath(base, component), message: 'must be a Quantity object' }],
      TYPE,
    );
  if (quantity.comparator !== undefined) {
    return skippedItem(
      ref,
      `${quantityPath(base, component)}.comparator`,
      `value '${String(quantity.comparator)}${String(quantity.value)}' is a bound, not a measurement: not stored`,
      TYPE,
    );
  }
  // UCUM code first (machine-readable), display unit text second: `unit: 'mmol/l', code: 'mmol/L'`.
  const ucumCode =
    typeof quantity.code === 'string' && (quantity.system === undefined || quantity.system === UCUM)
      ? quantity.code
      : undefined;
  const unitText = typeof quantity.unit === 'string' ? quantity.unit : undefined;
  const normalized = normalizeObservationValue(code, quantity.value, [ucumCode, unitText]);
  if (!normalized.ok) {
    const field =
      normalized.reason === 'not-a-number' || normalized.reason === 'implausible'
        ? 'value'
        : 'unit';
    return rejectedItem(
      ref,
      [{ path: `${quantityPath(base, component)}.${field}`, message: normalized.message }],
      TYPE,
    );
  }
  const v = normalized.value;
  const { ctx, memberRef, recordId, effectiveAt, effectiveEnd } = frame;
  const observation: ObservationInput = {
    memberRef,
    code,
    indicator: v.indicator,
    value: v.value,
    unit: v.unit,
    originalValue: v.originalValue,
    originalUnit: v.originalUnit,
    effectiveAt,
    effectiveEnd,
    sourceKind: ctx.sourceKind,
    sourceSystem: ctx.sourceSystem,
    sourceRecordId: recordId,
    idempotencyKey:
      recordId !== null
        ? sourceRecordKey(ctx.sourceSystem, `Observation/${recordId}`, code)
        : contentKey({
            sourceSystem: ctx.sourceSystem,
            memberRef,
            code,
            effectiveAt,
            effectiveEnd,
            value: v.originalValue,
            unit: v.originalUnit,
          }),
    panelKey,
    setting: bloodPressureSetting(v.indicator, ctx.sourceKind),
  };
  return accepted(ref, { kind: 'observation', value: observation }, TYPE);
}

const valueKeys = (holder: Record<string, unknown>): string[] =>
  Object.keys(holder).filter((k) => k.startsWith('value') && holder[k] !== undefined);

/**
 * A FHIR Observation → observation items: its own valueQuantity and every quantity component
 * (a BP panel gives systolic and diastolic sharing a panelKey). Text/coded values, cancelled and
 * entered-in-error observations are skipped with the reason; malformed ones are rejected.
 */
export function parseFhirObservation(
  resource: Record<string, unknown>,
  ref: string,
  path: string,
  fullUrl: unknown,
  ctx: FhirContext,
): IngestItemResult[] {
  const issues: ValidationIssue[] = [];
  const status = resource.status;
  if (typeof status !== 'string' || !observationStatuses.includes(status)) {
    issues.push({
      path: `${path}.status`,
      message: `required, one of ${observationStatuses.join(', ')}`,
    });
  } else if (notStoredStatuses.includes(status)) {
    return [skippedItem(ref, `${path}.status`, `status '${status}': no result to store`, TYPE)];
  }
  const recordId = logicalId(resource, fullUrl) ?? null;
  const subject = resolvePatientRef(resource.subject, ctx);
  if (!subject.ok) issues.push({ path: `${path}.subject`, message: subject.message });
  const code = loincCode(resource.code);
  if (code === undefined) {
    issues.push({
      path: `${path}.code.coding`,
      message: `no LOINC coding (system ${LOINC}): the code cannot be standardised`,
    });
  }
  let effective = readEffective(resource, path);
  if (effective === undefined) {
    // Results of a DiagnosticReport in the same bundle take the report's effective time.
    const report = entryAddresses(TYPE, recordId ?? undefined, fullUrl)
      .map((a) => ctx.reportTimes.get(a))
      .find((r) => r !== undefined);
    if (isRecord(report)) effective = readEffective(report, `${path}(DiagnosticReport)`);
  }
  if (effective === undefined) {
    issues.push({
      path: `${path}.effective[x]`,
      message:
        'no effective time: effectiveDateTime, effectivePeriod or effectiveInstant is required',
    });
  } else if (!effective.ok) issues.push(effective.issue);
  if (
    issues.length > 0 ||
    !subject.ok ||
    code === undefined ||
    effective === undefined ||
    !effective.ok
  ) {
    return [rejectedItem(ref, issues, TYPE)];
  }

  const frame: ObservationFrame = {
    memberRef: subject.memberRef,
    recordId,
    effectiveAt: effective.start,
    effectiveEnd: effective.end,
    ctx,
  };
  const items: IngestItemResult[] = [];
  if (resource.valueQuantity !== undefined) {
    items.push(quantityItem(frame, code, resource.valueQuantity, ref, path, -1, null));
  }

  const components = Array.isArray(resource.component) ? resource.component : [];
  const isBpPanel =
    bloodPressurePanelCodes.includes(code) ||
    components.some(
      (c) =>
        isRecord(c) && ['sbp', 'dbp'].includes(indicatorForCode(loincCode(c.code) ?? '')?.id ?? ''),
    );
  const panelKey =
    components.length === 0
      ? null
      : recordId !== null
        ? sourceRecordKey(ctx.sourceSystem, `Observation/${recordId}`)
        : `${ctx.sourceSystem}:${frame.memberRef}:${code}:${frame.effectiveAt}`;
  // The last item per half (only the systolic and diastolic ones are looked at).
  let sbpHalf: IngestItemResult | undefined;
  let dbpHalf: IngestItemResult | undefined;
  for (let i = 0; i < components.length; i++) {
    if (!(i in components)) continue; // a hole (as forEach skipped them)
    const component: unknown = components[i];
    const cRef = `${ref}.component[${i}]`;
    if (!isRecord(component)) {
      items.push(
        rejectedItem(
          cRef,
          [{ path: `${path}.component[${i}]`, message: 'must be an object' }],
          TYPE,
        ),
      );
      continue;
    }
    const cCode = loincCode(component.code);
    const cIndicator = cCode === undefined ? undefined : indicatorForCode(cCode)?.id;
    if (component.valueQuantity === undefined) {
      if (component.dataAbsentReason !== undefined && cIndicator !== undefined) {
        const reason = firstCode(component.dataAbsentReason) ?? 'unknown';
        items.push(
          skippedItem(
            cRef,
            `${path}.component[${i}].dataAbsentReason`,
            `no value (dataAbsentReason '${reason}')`,
            TYPE,
          ),
        );
        if (cIndicator === 'sbp') sbpHalf = items[items.length - 1];
        else if (cIndicator === 'dbp') dbpHalf = items[items.length - 1];
      }
      continue; // coded or text components (Apgar, Glasgow) are not stored
    }
    if (cCode === undefined) {
      items.push(
        rejectedItem(
          cRef,
          [
            {
              path: `${path}.component[${i}].code.coding`,
              message: `no LOINC coding (system ${LOINC})`,
            },
          ],
          TYPE,
        ),
      );
      continue;
    }
    const item = quantityItem(frame, cCode, component.valueQuantity, cRef, path, i, panelKey);
    items.push(item);
    if (cIndicator === 'sbp') sbpHalf = item;
    else if (cIndicator === 'dbp') dbpHalf = item;
  }

  if (isBpPanel) {
    for (const [id, loinc] of [
      ['sbp', '8480-6'],
      ['dbp', '8462-4'],
    ] as const) {
      if ((id === 'sbp' ? sbpHalf : dbpHalf) === undefined) {
        items.push(
          rejectedItem(
            `${ref}.component`,
            [
              {
                path: `${path}.component`,
                message: `blood-pressure panel has no ${indicatorById(id)?.name.en.toLowerCase()} component (LOINC ${loinc})`,
              },
            ],
            TYPE,
          ),
        );
      }
    }
    const sbp = sbpHalf;
    const dbp = dbpHalf;
    if (
      sbp?.ok &&
      dbp?.ok &&
      sbp.record.kind === 'observation' &&
      dbp.record.kind === 'observation'
    ) {
      const s = sbp.record.value.value;
      const d = dbp.record.value.value;
      if (s <= d) {
        // Swapped or mistyped halves: storing either would misclassify the reading.
        return [
          rejectedItem(
            ref,
            [
              {
                path: `${path}.component`,
                message: `systolic ${s} mmHg is not above diastolic ${d} mmHg`,
              },
            ],
            TYPE,
          ),
        ];
      }
    }
  }

  if (items.length > 0) return items;
  if (resource.dataAbsentReason !== undefined) {
    const reason = firstCode(resource.dataAbsentReason) ?? 'unknown';
    return [
      skippedItem(ref, `${path}.dataAbsentReason`, `no value (dataAbsentReason '${reason}')`, TYPE),
    ];
  }
  const otherValue = valueKeys(resource)[0];
  if (otherValue !== undefined) {
    return [
      skippedItem(
        ref,
        `${path}.${otherValue}`,
        `${otherValue} is not numeric: only valueQuantity is stored`,
        TYPE,
      ),
    ];
  }
  if (resource.hasMember !== undefined) {
    return [
      skippedItem(
        ref,
        `${path}.hasMember`,
        'a grouping of other observations: its members are imported on their own',
        TYPE,
      ),
    ];
  }
  if (components.length > 0) {
    return [
      skippedItem(ref, `${path}.component`, 'components carry no numeric values: not stored', TYPE),
    ];
  }
  return [
    rejectedItem(
      ref,
      [{ path: `${path}.value[x]`, message: 'no value: valueQuantity is required' }],
      TYPE,
    ),
  ];
}
