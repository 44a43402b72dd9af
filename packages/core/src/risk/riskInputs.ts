import { ok, rejected, type ItemResult } from '../model/result.ts';
import type { ValidationIssue } from '../model/types.ts';
import type { RiskInputUsed } from './riskResult.ts';

/** How a risk model documents one input (the shape the registry and `careloop risk --help` show). */
export interface RiskInputSpec {
  type: 'number' | 'boolean' | 'enum';
  /** Canonical unit of a number; values in other accepted units are converted to it. */
  unit?: string;
  values?: string[];
  required: boolean;
  doc: string;
}

/** A spec plus what validation needs: accepted units and the range outside which a value is refused. */
export interface RiskFieldSpec extends RiskInputSpec {
  /** Accepted units → factor to the canonical unit (canonical = value × factor). */
  units?: Record<string, number>;
  /** Inclusive range in the canonical unit; `reason` says why (impossible, or the model's validated range). */
  range?: { min: number; max: number; reason: string };
}

export type RiskFieldSpecs = Record<string, RiskFieldSpec>;

/** A raw input: the value alone, or the value with its unit and provenance (e.g. an observation id). */
export type RiskInput<T extends number | string | boolean> =
  T | { value: T; unit?: string; source?: string };

export interface ReadRiskInputs {
  /** Present inputs in canonical units. */
  values: Record<string, number | string | boolean>;
  used: Record<string, RiskInputUsed>;
  /** Required inputs that are absent. */
  missing: string[];
}

const wrapperKeys = new Set(['value', 'unit', 'source']);

/** Keeps a converted value readable in JSON (5.4389999 → 5.439) without affecting the computation. */
const forDisplay = (v: number): number => Math.round(v * 10000) / 10000;

/**
 * Validates raw inputs against a model's field specs: unknown fields, wrong types, unknown units and
 * values outside the range are rejected with the field named; absent required fields are listed as
 * missing (a null value counts as absent). Numbers come back in the canonical unit.
 */
export function readRiskInputs(specs: RiskFieldSpecs, input: unknown): ItemResult<ReadRiskInputs> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return rejected({ path: '', message: 'inputs must be an object of field → value' });
  }
  const issues: ValidationIssue[] = [];
  const values: ReadRiskInputs['values'] = {};
  const used: ReadRiskInputs['used'] = {};
  const missing: string[] = [];
  const raw = input as Record<string, unknown>;

  for (const key of Object.keys(raw)) {
    if (!(key in specs)) {
      issues.push({
        path: key,
        message: `unknown field; expected one of ${Object.keys(specs).join(', ')}`,
      });
    }
  }

  for (const [name, spec] of Object.entries(specs)) {
    const entry = raw[name];
    if (entry === undefined || entry === null) {
      if (spec.required) missing.push(name);
      continue;
    }
    const read = readOne(name, spec, entry);
    if (!read.ok) {
      issues.push(...read.issues);
      continue;
    }
    values[name] = read.value.value;
    used[name] = read.value.used;
  }
  return issues.length > 0 ? rejected(...issues) : ok({ values, used, missing });
}

function readOne(
  name: string,
  spec: RiskFieldSpec,
  entry: unknown,
): ItemResult<{ value: number | string | boolean; used: RiskInputUsed }> {
  let value: unknown = entry;
  let unit: string | undefined;
  let source: string | undefined;
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const wrapper = entry as Record<string, unknown>;
    const extra = Object.keys(wrapper).filter((k) => !wrapperKeys.has(k));
    if (extra.length > 0) {
      return rejected({
        path: `${name}.${extra[0]}`,
        message: 'unknown property; expected value, unit, source',
      });
    }
    if (!('value' in wrapper)) return rejected({ path: `${name}.value`, message: 'missing value' });
    value = wrapper.value;
    if (wrapper.unit !== undefined) {
      if (typeof wrapper.unit !== 'string')
        return rejected({ path: `${name}.unit`, message: 'must be a string' });
      unit = wrapper.unit;
    }
    if (wrapper.source !== undefined) {
      if (typeof wrapper.source !== 'string')
        return rejected({ path: `${name}.source`, message: 'must be a string' });
      source = wrapper.source;
    }
  }
  const withSource = (used: RiskInputUsed): RiskInputUsed =>
    source === undefined ? used : { ...used, source };

  if (spec.type === 'boolean' || spec.type === 'enum') {
    if (unit !== undefined)
      return rejected({ path: `${name}.unit`, message: `${spec.type} inputs take no unit` });
    if (spec.type === 'boolean') {
      if (typeof value !== 'boolean')
        return rejected({ path: name, message: 'must be true or false' });
      return ok({ value, used: withSource({ value }) });
    }
    const allowed = spec.values ?? [];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      return rejected({ path: name, message: `must be one of ${allowed.join(', ')}` });
    }
    return ok({ value, used: withSource({ value }) });
  }

  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return rejected({
      path: name,
      message: `must be a number${spec.unit ? ` (${spec.unit})` : ''}`,
    });
  }
  let factor = 1;
  if (unit !== undefined && unit !== spec.unit) {
    const known = spec.units?.[unit.trim()];
    if (known === undefined) {
      const accepted = [spec.unit, ...Object.keys(spec.units ?? {})].filter(
        (u, i, all) => u && all.indexOf(u) === i,
      );
      return rejected({
        path: `${name}.unit`,
        message: `unknown unit '${unit}'; expected one of ${accepted.join(', ')}`,
      });
    }
    factor = known;
  }
  const canonical = value * factor;
  if (spec.range && (canonical < spec.range.min || canonical > spec.range.max)) {
    const shown =
      unit !== undefined && unit !== spec.unit
        ? `${value} ${unit} (${forDisplay(canonical)} ${spec.unit})`
        : `${value}${spec.unit ? ` ${spec.unit}` : ''}`;
    return rejected({
      path: name,
      message: `${shown} is outside ${spec.range.min}–${spec.range.max}${spec.unit ? ` ${spec.unit}` : ''}: ${spec.range.reason}`,
    });
  }
  const used: RiskInputUsed = { value: forDisplay(canonical) };
  if (spec.unit) used.unit = spec.unit;
  return ok({ value: canonical, used: withSource(used) });
}

/** The registry view of a spec: only the documented fields, none of the validation internals. */
export function describeInputs(specs: RiskFieldSpecs): Record<string, RiskInputSpec> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, s]) => {
      // Spelling variants (factor 1) are accepted silently; only real conversions are worth documenting.
      const otherUnits = Object.entries(s.units ?? {})
        .filter(([u, factor]) => u !== s.unit && factor !== 1)
        .map(([u]) => u);
      const doc =
        otherUnits.length > 0
          ? `${s.doc} Other units as {"value": x, "unit": "${otherUnits[0]}"}; accepted: ${otherUnits.join(', ')}.`
          : s.doc;
      const out: RiskInputSpec = { type: s.type, required: s.required, doc };
      if (s.unit) out.unit = s.unit;
      if (s.values) out.values = [...s.values];
      return [name, out];
    }),
  );
}
