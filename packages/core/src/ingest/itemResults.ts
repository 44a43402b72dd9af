import type { ValidationIssue } from '../model/types.ts';
import type { IngestItemResult, IngestRecord } from './types.ts';

/** Constructors for item results, so every importer reports the same way. */

export const accepted = (
  ref: string,
  record: IngestRecord,
  sourceType: string,
  warnings?: ValidationIssue[],
): IngestItemResult =>
  warnings !== undefined && warnings.length > 0
    ? { ok: true, ref, record, sourceType, warnings }
    : { ok: true, ref, record, sourceType };

export const rejectedItem = (
  ref: string,
  issues: ValidationIssue[],
  sourceType?: string,
): IngestItemResult =>
  sourceType === undefined ? { ok: false, ref, issues } : { ok: false, ref, issues, sourceType };

export const skippedItem = (
  ref: string,
  path: string,
  message: string,
  sourceType?: string,
): IngestItemResult =>
  sourceType === undefined
    ? { ok: false, ref, issues: [{ path, message }], skipped: true }
    : { ok: false, ref, issues: [{ path, message }], sourceType, skipped: true };

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const describeType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
