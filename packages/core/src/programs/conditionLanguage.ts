import type { FactSchema } from '../expr/index.ts';
import type { FactValues } from './careProgram.ts';

/** A parse or type error inside one condition expression (offsets are into the expression). */
export interface ConditionIssue {
  message: string;
  offset: number;
  line: number;
  column: number;
}

export type ConditionCompileResult =
  | { ok: true; type: string; evaluate(context: unknown): unknown }
  | { ok: false; issues: ConditionIssue[] };

/**
 * What programs need from the expression language: compile a condition against the profile's fact
 * schema, know a fact's type (placeholders, threshold facts), and build the evaluation context.
 */
export interface ConditionLanguage {
  /** `scope` adds the program's own facts (enrollment.week, enrollment.goals.<name>, …). */
  compile(expression: string, scope?: FactSchema): ConditionCompileResult;
  /** The type name of a fact key ('number', 'string', 'bool', …), or null when the key is unknown. */
  factType(key: string): string | null;
  /** The evaluation context of a member's facts at `now` (conditions may read `now`), plus scope values. */
  toContext(
    facts: FactValues,
    now: Date,
    scope?: Record<string, unknown>,
    scopeSchema?: FactSchema,
  ): unknown;
}

/** Type names a condition may have to be usable as a guard. */
export const booleanTypeNames: ReadonlySet<string> = new Set(['bool', 'boolean']);
/** Type names a threshold fact may have. */
export const numericTypeNames: ReadonlySet<string> = new Set(['number', 'double', 'int', 'float']);
