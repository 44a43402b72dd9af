/**
 * Idempotency keys: the same fact from the same source always gets the same key, so a re-import
 * adds nothing. Keys are readable (no hashing) so a duplicate can be traced back to its source.
 */

/** A source that names its records: `fhir:Observation/abc:8480-6`. */
export const sourceRecordKey = (sourceSystem: string, recordId: string, code?: string): string =>
  code === undefined ? `${sourceSystem}:${recordId}` : `${sourceSystem}:${recordId}:${code}`;

/**
 * A source without record ids: the fact itself is the identity —
 * `apple-health:m1:8867-4:2017-10-09T15:46:00.000Z:49:count/min`. Values are the source's own
 * (original value and unit), so a change in unit conversion never changes the key.
 */
export function contentKey(parts: {
  sourceSystem: string;
  memberRef: string;
  code: string;
  effectiveAt: string;
  effectiveEnd?: string | null;
  value: number | string;
  unit: string;
  /** Distinguishes otherwise identical facts, e.g. the app that wrote an Apple Health record. */
  qualifier?: string;
}): string {
  const when = parts.effectiveEnd
    ? `${parts.effectiveAt}/${parts.effectiveEnd}`
    : parts.effectiveAt;
  const qualifier = parts.qualifier ? `:${parts.qualifier}` : '';
  return `${parts.sourceSystem}:${parts.memberRef}${qualifier}:${parts.code}:${when}:${parts.value}:${parts.unit}`;
}
