import { indicatorById } from '../clinical/indicators.ts';
import type { ObservationInput, SourceKind, ValidationIssue } from '../model/types.ts';
import { parseRfc3339 } from './dateTimes.ts';
import { bloodPressureSetting } from './fhirObservation.ts';
import { contentKey, sourceRecordKey } from './idempotencyKeys.ts';
import { accepted, describeType, isRecord, rejectedItem } from './itemResults.ts';
import { normalizeObservationValue } from './observationValue.ts';
import {
  durationUnits,
  omhRulesFor,
  partsOfDay,
  supportedOmhSchemas,
  type OmhFieldRule,
  type OmhSchemaRules,
  type TimeFrameFlavour,
} from './openMHealthRules.ts';
import type { IngestItemResult, OpenMHealthOptions } from './types.ts';

const SOURCE_SYSTEM = 'openmhealth';

interface TimeFrame {
  start: string;
  end: string | null;
}

const at = (...parts: string[]): string =>
  parts
    .filter((p) => p !== '')
    .reduce((acc, p) => (acc === '' || p.startsWith('[') ? acc + p : `${acc}.${p}`), '');

const durationMillis: Readonly<Record<string, number>> = {
  ps: 1e-9,
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  sec: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  wk: 604_800_000,
};

/** Shifts an instant by a duration; months and years move the calendar, not a fixed length. */
function shift(iso: string, value: number, unit: string, sign: 1 | -1): string {
  const date = new Date(iso);
  if (unit === 'Mo') date.setUTCMonth(date.getUTCMonth() + sign * value);
  else if (unit === 'yr') date.setUTCFullYear(date.getUTCFullYear() + sign * value);
  else date.setTime(date.getTime() + sign * value * (durationMillis[unit] ?? 0));
  return date.toISOString();
}

/** part_of_day windows (local clock hours, UTC since the schema gives no zone). */
const partOfDayHours: Readonly<Record<string, [number, number]>> = {
  night: [0, 6],
  morning: [6, 12],
  afternoon: [12, 18],
  evening: [18, 24],
};

function validateDuration(
  value: unknown,
  path: string,
  issues: ValidationIssue[],
): { value: number; unit: string } | undefined {
  if (!isRecord(value)) {
    issues.push({ path, message: 'must be an object with value and unit' });
    return undefined;
  }
  const before = issues.length;
  if (typeof value.value !== 'number' || !Number.isFinite(value.value)) {
    issues.push({ path: `${path}.value`, message: 'required: a number' });
  }
  if (
    typeof value.unit !== 'string' ||
    !(durationUnits as readonly string[]).includes(value.unit)
  ) {
    issues.push({ path: `${path}.unit`, message: `required, one of ${durationUnits.join(', ')}` });
  }
  return issues.length === before
    ? { value: value.value as number, unit: value.unit as string }
    : undefined;
}

/** time-interval: exactly one of start+end, start+duration, end+duration (omh: or date+part_of_day). */
function validateTimeInterval(
  value: unknown,
  path: string,
  flavour: TimeFrameFlavour,
  issues: ValidationIssue[],
): TimeFrame | undefined {
  if (!isRecord(value)) {
    issues.push({ path, message: `must be an object, got ${describeType(value)}` });
    return undefined;
  }
  const fieldIssues: ValidationIssue[] = [];
  const instant = (key: 'start_date_time' | 'end_date_time'): string | undefined => {
    if (value[key] === undefined) return undefined;
    const parsed = parseRfc3339(value[key]);
    if (parsed.ok) return parsed.iso;
    fieldIssues.push({ path: `${path}.${key}`, message: parsed.message });
    return undefined;
  };
  const start = instant('start_date_time');
  const end = instant('end_date_time');
  const duration =
    value.duration === undefined
      ? undefined
      : validateDuration(value.duration, `${path}.duration`, fieldIssues);
  let date: string | undefined;
  let part: string | undefined;
  if (flavour === 'omh') {
    if (value.date !== undefined) {
      const ok =
        typeof value.date === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value.date) &&
        parseRfc3339(`${value.date}T00:00:00Z`).ok;
      if (ok) date = value.date as string;
      else fieldIssues.push({ path: `${path}.date`, message: 'must be a full date (YYYY-MM-DD)' });
    }
    if (value.part_of_day !== undefined) {
      if (
        typeof value.part_of_day === 'string' &&
        (partsOfDay as readonly string[]).includes(value.part_of_day)
      ) {
        part = value.part_of_day;
      } else
        fieldIssues.push({
          path: `${path}.part_of_day`,
          message: `must be one of ${partsOfDay.join(', ')}`,
        });
    }
  }
  const forms: { matches: boolean; frame: () => TimeFrame }[] = [
    {
      matches: start !== undefined && end !== undefined,
      frame: () => ({ start: start as string, end: end as string }),
    },
    {
      matches: start !== undefined && duration !== undefined,
      frame: () => ({
        start: start as string,
        end: shift(start as string, duration!.value, duration!.unit, 1),
      }),
    },
    {
      matches: end !== undefined && duration !== undefined,
      frame: () => ({
        start: shift(end as string, duration!.value, duration!.unit, -1),
        end: end as string,
      }),
    },
    {
      matches: date !== undefined && part !== undefined,
      frame: () => {
        const [from, to] = partOfDayHours[part as string] ?? [0, 24];
        const midnight = Date.parse(`${date as string}T00:00:00Z`);
        return {
          start: new Date(midnight + from * 3_600_000).toISOString(),
          end: new Date(midnight + to * 3_600_000).toISOString(),
        };
      },
    },
  ];
  const matching = forms.filter((f) => f.matches);
  if (matching.length === 1) return matching[0]?.frame();
  if (matching.length > 1) {
    issues.push({
      path,
      message: 'matches more than one form: give start and end, or one of them with a duration',
    });
    return undefined;
  }
  if (fieldIssues.length > 0) {
    issues.push(...fieldIssues);
    return undefined;
  }
  const partOfDayGiven = value.date !== undefined || value.part_of_day !== undefined;
  issues.push({
    path,
    message:
      flavour === 'ieee' && partOfDayGiven
        ? 'date + part_of_day is not allowed in this schema version (IEEE 1752.1 time interval): give start_date_time and end_date_time'
        : `needs start_date_time and end_date_time, or one of them with a duration${flavour === 'omh' ? ', or date and part_of_day' : ''}`,
  });
  return undefined;
}

function validateTimeFrame(
  value: unknown,
  path: string,
  rule: Extract<OmhFieldRule, { kind: 'timeFrame' }>,
  issues: ValidationIssue[],
): TimeFrame | undefined {
  if (!isRecord(value)) {
    issues.push({
      path,
      message: `must be an object with date_time or time_interval, got ${describeType(value)}`,
    });
    return undefined;
  }
  const hasPoint = value.date_time !== undefined;
  const hasInterval = value.time_interval !== undefined;
  if (hasPoint && hasInterval) {
    issues.push({
      path,
      message: 'must have exactly one of date_time and time_interval, not both',
    });
    return undefined;
  }
  if (rule.intervalRequired && !hasInterval) {
    issues.push({
      path: `${path}.time_interval`,
      message: 'required by this schema version (a point in time is not enough)',
    });
    return undefined;
  }
  if (hasInterval)
    return validateTimeInterval(value.time_interval, `${path}.time_interval`, rule.flavour, issues);
  if (!hasPoint) {
    issues.push({ path, message: 'needs date_time or time_interval' });
    return undefined;
  }
  const parsed = parseRfc3339(value.date_time);
  if (!parsed.ok) {
    issues.push({ path: `${path}.date_time`, message: parsed.message });
    return undefined;
  }
  return { start: parsed.iso, end: null };
}

function validateField(
  value: unknown,
  path: string,
  rule: OmhFieldRule,
  issues: ValidationIssue[],
): TimeFrame | undefined {
  switch (rule.kind) {
    case 'unitValue': {
      if (!isRecord(value)) {
        issues.push({
          path,
          message: `must be an object with value and unit, got ${describeType(value)}`,
        });
        return undefined;
      }
      if (value.value === undefined) issues.push({ path: `${path}.value`, message: 'required' });
      else if (typeof value.value !== 'number' || !Number.isFinite(value.value)) {
        issues.push({
          path: `${path}.value`,
          message: `must be a number, got ${describeType(value.value)}`,
        });
      }
      if (value.unit === undefined) issues.push({ path: `${path}.unit`, message: 'required' });
      else if (typeof value.unit !== 'string' || !rule.units.includes(value.unit)) {
        issues.push({
          path: `${path}.unit`,
          message: `'${String(value.unit)}' is not one of ${rule.units.join(', ')}`,
        });
      }
      return undefined;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.push({ path, message: `must be a number, got ${describeType(value)}` });
      }
      return undefined;
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        issues.push({
          path,
          message: `${JSON.stringify(value)} is not one of ${rule.values.join(', ')}`,
        });
      }
      return undefined;
    case 'string':
      if (typeof value !== 'string')
        issues.push({ path, message: `must be a string, got ${describeType(value)}` });
      return undefined;
    case 'timeFrame':
      return validateTimeFrame(value, path, rule, issues);
  }
}

/** Validates a body against its schema version: required fields, types, units, enums, time frame. */
export function validateOpenMHealthBody(
  body: unknown,
  rules: OmhSchemaRules,
  pathPrefix = '',
): { issues: ValidationIssue[]; timeFrame: TimeFrame | undefined } {
  const issues: ValidationIssue[] = [];
  if (!isRecord(body)) {
    return {
      issues: [
        { path: pathPrefix || 'body', message: `must be an object, got ${describeType(body)}` },
      ],
      timeFrame: undefined,
    };
  }
  for (const key of rules.required) {
    if (body[key] === undefined)
      issues.push({
        path: at(pathPrefix, key),
        message: `required by ${rules.name} ${rules.version}`,
      });
  }
  let timeFrame: TimeFrame | undefined;
  for (const [key, rule] of Object.entries(rules.fields)) {
    if (body[key] === undefined) continue;
    const frame = validateField(body[key], at(pathPrefix, key), rule, issues);
    if (frame) timeFrame = frame;
  }
  return { issues, timeFrame };
}

interface Header {
  id: string;
  creation: string;
  schema: { namespace: string; name: string; version: string } | undefined;
  modality: string | undefined;
}

function validateHeader(
  header: unknown,
  path: string,
  issues: ValidationIssue[],
): Header | undefined {
  if (!isRecord(header)) {
    issues.push({ path, message: `must be an object, got ${describeType(header)}` });
    return undefined;
  }
  const before = issues.length;
  if (typeof header.id !== 'string' || header.id === '')
    issues.push({ path: `${path}.id`, message: 'required: a string' });
  const creation = parseRfc3339(header.creation_date_time);
  if (!creation.ok)
    issues.push({ path: `${path}.creation_date_time`, message: `required: ${creation.message}` });
  const schemaId = header.schema_id;
  let schema: Header['schema'];
  if (!isRecord(schemaId))
    issues.push({ path: `${path}.schema_id`, message: 'required: {namespace, name, version}' });
  else {
    for (const key of ['namespace', 'name', 'version'] as const) {
      if (typeof schemaId[key] !== 'string' || schemaId[key] === '') {
        issues.push({ path: `${path}.schema_id.${key}`, message: 'required: a string' });
      }
    }
    if (typeof schemaId.version === 'string' && !/^\d+\.\d+$/.test(schemaId.version)) {
      issues.push({
        path: `${path}.schema_id.version`,
        message: `'${schemaId.version}' is not major.minor`,
      });
    }
    schema = {
      namespace: String(schemaId.namespace),
      name: String(schemaId.name),
      version: String(schemaId.version),
    };
  }
  let modality: string | undefined;
  const provenance = header.acquisition_provenance;
  if (provenance !== undefined) {
    if (!isRecord(provenance))
      issues.push({ path: `${path}.acquisition_provenance`, message: 'must be an object' });
    else {
      if (typeof provenance.source_name !== 'string') {
        issues.push({
          path: `${path}.acquisition_provenance.source_name`,
          message: 'required: a string',
        });
      }
      if (provenance.modality !== undefined) {
        if (provenance.modality === 'sensed' || provenance.modality === 'self-reported')
          modality = provenance.modality;
        else
          issues.push({
            path: `${path}.acquisition_provenance.modality`,
            message: "must be 'sensed' or 'self-reported'",
          });
      }
      if (provenance.source_creation_date_time !== undefined) {
        const t = parseRfc3339(provenance.source_creation_date_time);
        if (!t.ok)
          issues.push({
            path: `${path}.acquisition_provenance.source_creation_date_time`,
            message: t.message,
          });
      }
    }
  }
  if (header.user_id !== undefined && typeof header.user_id !== 'string') {
    issues.push({ path: `${path}.user_id`, message: 'must be a string' });
  }
  if (issues.length > before || !creation.ok) return undefined;
  return { id: header.id as string, creation: creation.iso, schema, modality };
}

/** `omh:blood-pressure:4.0`, `blood-pressure:4.0`, `blood-pressure-4.0`, `blood-pressure` → parts. */
export function parseOmhSchemaRef(
  schema: string,
): { name: string; version: string | undefined } | undefined {
  const m = /^(?:omh:)?([a-z]+(?:-[a-z]+)*)(?:[:-](\d+\.(?:\d+|x)))?$/.exec(schema.trim());
  return m?.[1] === undefined ? undefined : { name: m[1], version: m[2] };
}

interface Measure {
  field: string;
  indicator: string;
}

function measuresOf(rules: OmhSchemaRules, body: Record<string, unknown>): Measure[] {
  switch (rules.name) {
    case 'blood-pressure':
      return [
        { field: 'systolic_blood_pressure', indicator: 'sbp' },
        { field: 'diastolic_blood_pressure', indicator: 'dbp' },
      ];
    case 'blood-glucose':
      // Only a fasting reading is a fasting glucose; any other relation to meals stays "glucose".
      return [
        {
          field: 'blood_glucose',
          indicator: body.temporal_relationship_to_meal === 'fasting' ? 'fpg' : 'glucose',
        },
      ];
    case 'heart-rate':
      return [{ field: 'heart_rate', indicator: 'heart_rate' }];
    case 'step-count':
      return [{ field: 'step_count', indicator: 'steps' }];
    case 'body-weight':
      return [{ field: 'body_weight', indicator: 'weight' }];
    case 'sleep-duration':
      return [{ field: 'sleep_duration', indicator: 'sleep_duration' }];
  }
}

/** One data point or bare body → items (two for blood pressure, sharing a panelKey). */
function parseOne(
  input: unknown,
  ref: string,
  pathPrefix: string,
  opts: OpenMHealthOptions,
): IngestItemResult[] {
  const issues: ValidationIssue[] = [];
  let body: unknown = input;
  let bodyPath = pathPrefix;
  let header: Header | undefined;
  if (isRecord(input) && input.header !== undefined) {
    header = validateHeader(input.header, at(pathPrefix, 'header'), issues);
    body = input.body;
    bodyPath = at(pathPrefix, 'body');
    if (body === undefined) issues.push({ path: bodyPath, message: 'required' });
  } else if (isRecord(input) && input.body !== undefined && Object.keys(input).length === 1) {
    body = input.body;
    bodyPath = at(pathPrefix, 'body');
  }
  if (issues.length > 0) return [rejectedItem(ref, issues)];

  let schemaRef: { name: string; version: string | undefined } | undefined;
  let schemaPath = at(pathPrefix, 'header.schema_id');
  if (header?.schema) {
    if (header.schema.namespace !== 'omh') {
      return [
        rejectedItem(ref, [
          {
            path: `${schemaPath}.namespace`,
            message: `only the omh namespace is supported, got '${header.schema.namespace}'`,
          },
        ]),
      ];
    }
    schemaRef = { name: header.schema.name, version: header.schema.version };
  } else if (opts.schema !== undefined) {
    schemaRef = parseOmhSchemaRef(opts.schema);
    schemaPath = 'schema';
    if (!schemaRef)
      return [
        rejectedItem(ref, [
          {
            path: schemaPath,
            message: `'${opts.schema}' is not a schema id (e.g. omh:blood-pressure:4.0)`,
          },
        ]),
      ];
  } else {
    return [
      rejectedItem(ref, [
        {
          path: bodyPath || 'body',
          message:
            'no header.schema_id and no schema option: cannot tell which schema the body follows',
        },
      ]),
    ];
  }
  const rules = omhRulesFor(schemaRef.name, schemaRef.version);
  if (!rules) {
    const known = (supportedOmhSchemas as readonly string[]).includes(schemaRef.name);
    return [
      rejectedItem(ref, [
        {
          path: schemaPath,
          message: known
            ? `${schemaRef.name} ${schemaRef.version ?? ''} is not a supported version`
            : `schema '${schemaRef.name}' is not supported (supported: ${supportedOmhSchemas.join(', ')})`,
        },
      ]),
    ];
  }
  const sourceType = `omh:${rules.name}:${rules.version}`;
  const validation = validateOpenMHealthBody(body, rules, bodyPath);
  if (validation.issues.length > 0) return [rejectedItem(ref, validation.issues, sourceType)];
  const record = body as Record<string, unknown>;

  // A body may omit its time frame in older versions: the header's creation time stands in, then
  // the time CareLoop received it.
  let frame = validation.timeFrame;
  if (!frame) {
    const received = opts.receivedAt === undefined ? undefined : parseRfc3339(opts.receivedAt);
    if (header) frame = { start: header.creation, end: null };
    else if (received?.ok) frame = { start: received.iso, end: null };
    else {
      return [
        rejectedItem(
          ref,
          [
            {
              path: at(bodyPath, 'effective_time_frame'),
              message:
                'no time: the body has no effective_time_frame, and there is no header or receivedAt to date it',
            },
          ],
          sourceType,
        ),
      ];
    }
  }

  const warnings: ValidationIssue[] = [];
  if (frame.end !== null && frame.end < frame.start) {
    // Schema-valid (the schemas do not order the bounds) but inverted: keep the start only.
    warnings.push({
      path: at(bodyPath, 'effective_time_frame', 'time_interval'),
      message: 'end is before start: end ignored',
    });
    frame = { start: frame.start, end: null };
  }
  const sourceKind: SourceKind =
    opts.sourceKind ?? (header?.modality === 'self-reported' ? 'self' : 'device');
  const observations: { ref: string; observation: ObservationInput }[] = [];
  const failures: ValidationIssue[] = [];
  const panel = rules.name === 'blood-pressure';
  for (const measure of measuresOf(rules, record)) {
    const indicator = indicatorById(measure.indicator);
    if (!indicator) throw new Error(`indicator catalogue lacks '${measure.indicator}'`);
    const raw = record[measure.field];
    const value = typeof raw === 'number' ? raw : isRecord(raw) ? raw.value : undefined;
    const unit =
      typeof raw === 'number'
        ? 'steps'
        : isRecord(raw) && typeof raw.unit === 'string'
          ? raw.unit
          : undefined;
    const code = indicator.primaryLoinc;
    const normalized = normalizeObservationValue(code, value, [unit]);
    const fieldPath = at(bodyPath, measure.field);
    if (!normalized.ok) {
      const where =
        typeof raw === 'number'
          ? fieldPath
          : at(fieldPath, normalized.reason === 'unknown-unit' ? 'unit' : 'value');
      failures.push({ path: where, message: normalized.message });
      continue;
    }
    const v = normalized.value;
    const effectiveEnd = frame.end;
    observations.push({
      ref: panel ? at(ref, measure.field) : ref,
      observation: {
        memberRef: opts.memberRef,
        code,
        indicator: v.indicator,
        value: v.value,
        unit: v.unit,
        originalValue: v.originalValue,
        originalUnit: v.originalUnit,
        effectiveAt: frame.start,
        effectiveEnd,
        sourceKind,
        sourceSystem: SOURCE_SYSTEM,
        sourceRecordId: header?.id ?? null,
        idempotencyKey: header
          ? sourceRecordKey(SOURCE_SYSTEM, header.id, code)
          : contentKey({
              sourceSystem: SOURCE_SYSTEM,
              memberRef: opts.memberRef,
              code,
              effectiveAt: frame.start,
              effectiveEnd,
              value: v.originalValue,
              unit: v.originalUnit,
            }),
        panelKey: panel
          ? header
            ? sourceRecordKey(SOURCE_SYSTEM, header.id)
            : `${SOURCE_SYSTEM}:${opts.memberRef}:blood-pressure:${frame.start}`
          : null,
        setting: bloodPressureSetting(v.indicator, sourceKind),
      },
    });
  }
  if (failures.length > 0) return [rejectedItem(ref, failures, sourceType)];
  const [sbp, dbp] = observations;
  if (panel && sbp && dbp && sbp.observation.value <= dbp.observation.value) {
    return [
      rejectedItem(
        ref,
        [
          {
            path: at(bodyPath, 'systolic_blood_pressure', 'value'),
            message: `systolic ${sbp.observation.value} mmHg is not above diastolic ${dbp.observation.value} mmHg`,
          },
        ],
        sourceType,
      ),
    ];
  }
  return observations.map((o) =>
    accepted(o.ref, { kind: 'observation', value: o.observation }, sourceType, warnings),
  );
}

/**
 * Open mHealth data point(s) (header + body), or a bare body with `opts.schema`, for
 * blood-pressure, blood-glucose, heart-rate, step-count, body-weight and sleep-duration. The body
 * is validated against its schema version's rules; a valid body becomes canonical observations
 * (blood pressure: systolic and diastolic sharing a panelKey). An array gives items `[i]`.
 */
export function parseOpenMHealth(input: unknown, opts: OpenMHealthOptions): IngestItemResult[] {
  const base = opts.ref ?? '';
  if (Array.isArray(input)) {
    return input.flatMap((element, i) => parseOne(element, `${base}[${i}]`, `[${i}]`, opts));
  }
  return parseOne(input, base === '' ? 'data point' : base, '', opts);
}
