import type { ValidationIssue } from './types.ts';

/** Per-item outcome of a parse or validation: either a value or the issues that reject it. */
export type ItemResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export const ok = <T>(value: T): ItemResult<T> => ({ ok: true, value });
export const rejected = <T = never>(...issues: ValidationIssue[]): ItemResult<T> => ({
  ok: false,
  issues,
});
