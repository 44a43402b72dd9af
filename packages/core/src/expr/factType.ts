/** The types of profile facts that conditions read (CEL's types, minus the ones programs do not need). */
export type FactType =
  | 'bool'
  | 'int'
  | 'double'
  | 'string'
  | 'timestamp'
  | 'duration'
  | { list: FactType }
  | { map: Record<string, FactType> };

/** Top-level fact groups and their types; nested via `{ map: … }` (e.g. `tag: { map: { hypertension: 'bool' } }`). */
export interface FactSchema {
  [name: string]: FactType;
}

/**
 * Types inside the checker: a fact type, the type of the `null` literal, the element type of an
 * empty list literal (`dyn`) and `error` (an already-reported problem, so one mistake gives one issue).
 */
export type ExprType = FactType | 'null' | 'dyn' | 'error';

export function isListType(t: ExprType): t is { list: FactType } {
  return typeof t === 'object' && 'list' in t;
}

export function isMapType(t: ExprType): t is { map: Record<string, FactType> } {
  return typeof t === 'object' && 'map' in t;
}

export function isNumeric(t: ExprType): boolean {
  return t === 'int' || t === 'double';
}

/** CEL spelling: `int`, `list(string)`, `map`. */
export function typeName(t: ExprType): string {
  if (typeof t === 'string') return t === 'null' ? 'null' : t;
  if (isListType(t)) return `list(${typeName(t.list)})`;
  return 'map';
}

export function sameType(a: ExprType, b: ExprType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (isListType(a)) return isListType(b) && sameType(a.list, b.list);
  if (!isMapType(b)) return false;
  const ka = Object.keys(a.map);
  const kb = Object.keys(b.map);
  return (
    ka.length === kb.length &&
    ka.every((k) => b.map[k] !== undefined && sameType(a.map[k] as FactType, b.map[k] as FactType))
  );
}

/** Every dotted path the schema names (groups and leaves), for "did you mean" suggestions. */
export function schemaPaths(schema: FactSchema, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push(path);
    if (isMapType(t)) out.push(...schemaPaths(t.map, path));
  }
  return out;
}

/** The type at a dotted path, or undefined. */
export function typeAtPath(schema: FactSchema, path: string): FactType | undefined {
  let fields: Record<string, FactType> = schema;
  let t: FactType | undefined;
  for (const part of path.split('.')) {
    if (!Object.hasOwn(fields, part)) return undefined;
    t = fields[part];
    if (t === undefined) return undefined;
    fields = isMapType(t) ? t.map : {};
  }
  return t;
}
