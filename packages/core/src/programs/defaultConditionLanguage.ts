import {
  compileCondition,
  factsToContext,
  profileFactSchema,
  type FactSchema,
  type FactType,
} from '../expr/index.ts';
import type { ConditionLanguage } from './conditionLanguage.ts';

function typeName(t: FactType): string {
  if (typeof t === 'string') return t;
  return 'list' in t ? `list(${typeName(t.list)})` : 'map';
}

/** The type of a dotted fact key, or null when the schema has no such value (or it is a group). */
export function factTypeIn(schema: FactSchema, key: string): string | null {
  let fields: Record<string, FactType> = schema;
  let type: FactType | undefined;
  for (const part of key.split('.')) {
    if (!Object.hasOwn(fields, part)) return null;
    type = fields[part];
    if (type === undefined) return null;
    fields = typeof type === 'object' && 'map' in type ? type.map : {};
  }
  if (type === undefined || (typeof type === 'object' && 'map' in type)) return null;
  return typeName(type);
}

/** The condition language over a fact schema (by default the profile's: packages/core/src/expr). */
export function conditionLanguageFor(schema: FactSchema): ConditionLanguage {
  const withScope = (scope?: FactSchema): FactSchema => (scope ? { ...schema, ...scope } : schema);
  return {
    compile(expression, scope) {
      const r = compileCondition(expression, withScope(scope), { expect: 'bool' });
      if (!r.ok) return r;
      return {
        ok: true,
        type: typeName(r.type),
        evaluate: (ctx) => r.evaluate(ctx as Record<string, unknown>),
      };
    },
    factType: (key) => factTypeIn(schema, key),
    toContext: (facts, now, scope = {}, scopeSchema) =>
      factsToContext(
        Object.entries(facts).map(([key, value]) => ({ key, value })),
        { now, ...scope },
        withScope(scopeSchema),
      ),
  };
}

export const defaultConditionLanguage: ConditionLanguage = conditionLanguageFor(profileFactSchema);
