import type { ProfileMember, StoredObservation } from '../model/types.ts';
import { indicatorById } from '../clinical/indicators.ts';

/**
 * Builders for stored observations in tests and benches: canonical units from the catalogue, ids
 * and idempotency keys from a counter. Pure and deterministic.
 */
export function observationBuilder(memberId: string, prefix = 'o') {
  let n = 0;
  return function obs(
    indicator: string,
    value: number,
    effectiveAt: string,
    extra: Partial<StoredObservation> = {},
  ): StoredObservation {
    n++;
    const ind = indicatorById(indicator);
    const unit = ind?.unit ?? '1';
    return {
      id: `${prefix}${n}`,
      memberId,
      memberRef: memberId,
      code: ind?.primaryLoinc ?? indicator,
      indicator: ind ? ind.id : null,
      value,
      unit,
      originalValue: value,
      originalUnit: unit,
      effectiveAt,
      sourceKind: 'clinic',
      sourceSystem: 'test',
      sourceRecordId: null,
      idempotencyKey: `${prefix}${n}`,
      ...extra,
    };
  };
}

/** Both halves of one BP reading, linked by a panel key. */
export function bpReading(
  obs: ReturnType<typeof observationBuilder>,
  sbp: number,
  dbp: number,
  effectiveAt: string,
  extra: Partial<StoredObservation> = {},
): StoredObservation[] {
  const panelKey = `bp-${effectiveAt}-${sbp}-${dbp}`;
  return [
    obs('sbp', sbp, effectiveAt, { panelKey, ...extra }),
    obs('dbp', dbp, effectiveAt, { panelKey, ...extra }),
  ];
}

export const testMember = (over: Partial<ProfileMember> = {}): ProfileMember => ({
  memberId: 'm1',
  gender: 'male',
  birthDate: '1970-06-15',
  timeZone: 'Asia/Shanghai',
  ...over,
});

/** mulberry32: a small seeded PRNG so property tests and benches are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
