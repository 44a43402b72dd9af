import type { Observation } from './api/types.ts';

/** One blood-pressure measurement: systolic and diastolic of the same panel. */
export interface BpReading {
  /** The systolic observation's id. */
  id: string;
  at: string;
  atMs: number;
  sbp: number;
  dbp: number;
  sourceKind: string;
}

/**
 * Pairs systolic and diastolic observations into measurements, oldest first. The two values of one
 * cuff reading share a panel key; values stored without one pair on the same instant.
 */
export function pairBpReadings(sbp: Observation[], dbp: Observation[]): BpReading[] {
  const keyOf = (o: Observation) => o.panelKey ?? `at:${o.effectiveAt}`;
  const diastolic = new Map<string, Observation>();
  for (const o of dbp) diastolic.set(keyOf(o), o);
  const readings: BpReading[] = [];
  for (const s of sbp) {
    const d = diastolic.get(keyOf(s));
    if (!d) continue;
    readings.push({
      id: s.id,
      at: s.effectiveAt,
      atMs: Date.parse(s.effectiveAt),
      sbp: s.value,
      dbp: d.value,
      sourceKind: s.sourceKind,
    });
  }
  return readings.sort((a, b) => a.atMs - b.atMs);
}
