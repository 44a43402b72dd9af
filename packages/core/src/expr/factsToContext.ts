import { isMapType, typeName, type FactSchema, type FactType } from './factType.ts';
import { profileFactSchema } from './profileFactSchema.ts';
import { parseDuration, parseTimestamp } from './timeLiterals.ts';

type Context = Record<string, unknown>;

/**
 * The fixed object layout of one fact group. Every context built for a schema has the same shape
 * (all names, in schema order, absent ones undefined), so property reads in compiled conditions stay
 * monomorphic; a group with no facts is one shared frozen empty object, so absent groups cost nothing.
 */
interface GroupLayout {
  types: Record<string, FactType>;
  children: Record<string, GroupLayout>;
  create: () => Context;
  empty: Context;
}

const layouts = new WeakMap<FactSchema, GroupLayout>();

function layoutOf(fields: Record<string, FactType>): GroupLayout {
  const children: Record<string, GroupLayout> = {};
  for (const [name, type] of Object.entries(fields)) {
    if (isMapType(type)) children[name] = layoutOf(type.map);
  }
  const names = Object.keys(fields);
  // An object literal gives in-object properties and one hidden class; names are JSON-quoted data.
  const literal = names
    .map((n, i) => `${JSON.stringify(n)}: ${children[n] ? `e[${i}]` : 'undefined'}`)
    .join(', ');
  const empties = names.map((n) => children[n]?.empty);
  const create = new Function('e', `return () => ({ ${literal} });`)(empties) as () => Context;
  return { types: fields, children, create, empty: Object.freeze(create()) };
}

function rootLayout(schema: FactSchema): GroupLayout {
  let layout = layouts.get(schema);
  if (!layout) {
    layout = layoutOf(schema);
    layouts.set(schema, layout);
  }
  return layout;
}

function isPlainObject(v: unknown): v is Context {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A fact value in the runtime form compiled conditions read; throws when it does not fit its type. */
function toRuntime(key: string, type: FactType, value: unknown): unknown {
  if (value instanceof Date) {
    if (type === 'timestamp') return value.getTime();
  }
  const bad = (): never => {
    throw new TypeError(`fact '${key}': expected ${typeName(type)}, got ${JSON.stringify(value)}`);
  };
  switch (type) {
    case 'bool':
      return typeof value === 'boolean' ? value : bad();
    case 'int':
      return Number.isInteger(value) ? value : bad();
    case 'double':
      return typeof value === 'number' ? value : bad();
    case 'string':
      return typeof value === 'string' ? value : bad();
    case 'timestamp':
      if (typeof value === 'number') return value;
      return (typeof value === 'string' ? parseTimestamp(value) : null) ?? bad();
    case 'duration':
      if (typeof value === 'number') return value;
      return (typeof value === 'string' ? parseDuration(value) : null) ?? bad();
    default:
      return Array.isArray(value) ? value : bad();
  }
}

const dottedName = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function setFact(ctx: Context, root: GroupLayout, key: string, value: unknown): void {
  if (value === null || value === undefined) return;
  // A key no condition could spell (e.g. `score.ckd-epi-2021`) is not in any schema: leave it out.
  if (!dottedName.test(key)) return;
  const parts = key.split('.');
  let node = ctx;
  let layout = root;
  for (const [i, part] of parts.entries()) {
    if (!Object.hasOwn(layout.types, part)) return; // not in the schema: no condition can read it
    const child = layout.children[part];
    if (i === parts.length - 1) {
      if (child) {
        // A whole group given as an object: its entries are facts of their own.
        if (!isPlainObject(value)) {
          throw new TypeError(`fact '${key}' is a group of facts, got ${JSON.stringify(value)}`);
        }
        for (const [k, v] of Object.entries(value)) setFact(ctx, root, `${key}.${k}`, v);
        return;
      }
      node[part] = toRuntime(key, layout.types[part] as FactType, value);
      return;
    }
    if (!child) {
      throw new TypeError(
        `fact '${key}': '${parts.slice(0, i + 1).join('.')}' is a value, not a group`,
      );
    }
    let group = node[part] as Context;
    if (group === child.empty) {
      group = child.create();
      node[part] = group;
    }
    node = group;
    layout = child;
  }
}

/**
 * Turn profile facts (key like 'tag.hypertension', 'latest.sbp', 'bp.class') into the nested
 * context object conditions read. Every context has the schema's full shape (absent facts are
 * undefined, so `has()` is false); null values are absent; facts the schema does not name are left
 * out (no condition can read them); timestamps (ISO or Date) and durations ('72h') become
 * milliseconds; a value that does not fit its type throws, naming the fact. `extra` adds entries
 * such as `{ now }` or `{ member: { age } }` the same way.
 */
export function factsToContext(
  facts: readonly { key: string; value: unknown }[],
  extra: Record<string, unknown> = {},
  schema: FactSchema = profileFactSchema,
): Record<string, unknown> {
  const root = rootLayout(schema);
  const ctx = root.create();
  for (const { key, value } of facts) setFact(ctx, root, key, value);
  for (const [key, value] of Object.entries(extra)) setFact(ctx, root, key, value);
  return ctx;
}
