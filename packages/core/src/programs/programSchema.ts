import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js';
import programSchemaJson from '../../../../programs/schema/program.schema.json' with { type: 'json' };
import { pointerToPath, type PathSegment } from './yamlLocator.ts';

/** The one published JSON Schema of program files (programs/schema/program.schema.json). */
export const programSchema: unknown = programSchemaJson;

// strictRequired is off because `oneOf: [{required: [a]}, {required: [b]}]` names properties
// declared by the enclosing schema, which strict mode cannot see.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, verbose: true });
const validate = ajv.compile(programSchemaJson);

export interface SchemaIssue {
  path: PathSegment[];
  /** Point at the key (an unknown property) rather than the value. */
  at: 'key' | 'value';
  message: string;
}

const quote = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/**
 * For `oneOf` alternatives that each require one property (`{required: [text]}`, or an object
 * schema with `required: [indicator]`), the property names; otherwise null.
 */
function alternativesOfRequired(schema: unknown): string[] | null {
  if (!Array.isArray(schema)) return null;
  const keys: string[] = [];
  for (const alt of schema) {
    const req = (alt as { required?: unknown } | null)?.required;
    if (!Array.isArray(req) || req.length !== 1 || typeof req[0] !== 'string') return null;
    keys.push(req[0]);
  }
  return keys;
}

function describeEnum(e: ErrorObject, path: PathSegment[]): string {
  const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => String(v));
  const last = path[path.length - 1];
  const parent = path[0];
  const what =
    last === 'kind' && parent === 'sequences'
      ? 'unknown step kind'
      : last === 'kind' && parent === 'triggers'
        ? 'unknown trigger kind'
        : 'unknown value';
  return `${what} ${quote(e.data)} (expected one of: ${allowed.join(', ')})`;
}

function messageOf(e: ErrorObject, path: PathSegment[]): SchemaIssue | null {
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      if (missing === 'zh-CN' || missing === 'en') {
        return { path, at: 'key', message: `missing translation: no '${missing}' text` };
      }
      return { path, at: 'key', message: `missing required property '${missing}'` };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: [...path, extra], at: 'key', message: `unknown property '${extra}'` };
    }
    case 'enum':
      return { path, at: 'value', message: describeEnum(e, path) };
    case 'const':
      return {
        path,
        at: 'value',
        message: `must be ${quote((e.params as { allowedValue: unknown }).allowedValue)}`,
      };
    case 'pattern': {
      const parent = e.parentSchema as { description?: unknown } | undefined;
      const pattern = (e.params as { pattern: string }).pattern;
      const hint =
        typeof parent?.description === 'string'
          ? parent.description
          : pattern.startsWith('^[a-z0-9]')
            ? 'lower-case letters, digits, dot, dash, underscore'
            : `must match ${pattern}`;
      return { path, at: 'value', message: `invalid value ${quote(e.data)} (${hint})` };
    }
    case 'type':
      return {
        path,
        at: 'value',
        message: `must be ${String((e.params as { type: unknown }).type)}`,
      };
    default:
      return { path, at: 'value', message: e.message ?? e.keyword };
  }
}

/** Validates a parsed program against the JSON Schema; issues name a path and a plain reason. */
export function checkProgramSchema(value: unknown): SchemaIssue[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const drop = new Set<ErrorObject>();
  const extra: SchemaIssue[] = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf') continue;
    const at = e.instancePath;
    const keys = alternativesOfRequired(e.schema);
    drop.add(e);
    if (keys) {
      // "exactly one of these properties": say that, not what each alternative rejected.
      const data = e.data as Record<string, unknown> | null;
      const present = keys.filter((k) => data !== null && typeof data === 'object' && k in data);
      const fromAlternatives = (o: ErrorObject): boolean =>
        o.instancePath === at &&
        ((o.keyword === 'required' &&
          keys.includes((o.params as { missingProperty: string }).missingProperty)) ||
          (o.keyword === 'additionalProperties' &&
            keys.includes((o.params as { additionalProperty: string }).additionalProperty)));
      for (const o of errors) if (fromAlternatives(o)) drop.add(o);
      if (present.length !== 1) {
        extra.push({
          path: pointerToPath(at),
          at: 'value',
          message:
            present.length === 0
              ? `needs one of: ${keys.join(', ')}`
              : `give only one of: ${present.join(', ')}`,
        });
      }
      continue;
    }
    // Alternatives of different shapes: a branch's type mismatch is noise when another branch
    // explains what is wrong deeper down.
    const branchTypeErrors = errors.filter(
      (o) => o !== e && o.instancePath === at && (o.keyword === 'type' || o.keyword === 'const'),
    );
    const deeper = errors.some(
      (o) =>
        o !== e && !branchTypeErrors.includes(o) && o.instancePath.startsWith(at) && !drop.has(o),
    );
    for (const o of branchTypeErrors) drop.add(o);
    if (!deeper) {
      const description =
        e.parentSchema && typeof e.parentSchema === 'object' && 'description' in e.parentSchema
          ? String((e.parentSchema as { description: unknown }).description)
          : 'one of the allowed forms';
      extra.push({
        path: pointerToPath(at),
        at: 'value',
        message: `has the wrong form: ${description}`,
      });
    }
  }
  const issues: SchemaIssue[] = [];
  for (const e of errors) {
    if (drop.has(e)) continue;
    const issue = messageOf(e, pointerToPath(e.instancePath));
    if (issue) issues.push(issue);
  }
  issues.push(...extra);
  // ajv may report the same problem through several branches.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path.join('/')}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
