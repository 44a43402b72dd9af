import { describe, expect, it } from 'vitest';
import type { ProfileFact } from '../model/types.ts';
import { sameFact, updateProfile, type ProfileUpdate } from './updateProfile.ts';
import { bpReading, observationBuilder, seededRandom, testMember } from './observationFixtures.ts';
import { stateForStorage, stateFromStorage } from './storedState.ts';

/** What the fact table gives back: JSON, and NULL where a field was missing or null. */
function throughFactTable(facts: readonly ProfileFact[]): ProfileFact[] {
  return facts.map((f) => {
    const row = JSON.parse(
      JSON.stringify({
        ...f,
        unit: f.unit ?? null,
        citation: f.citation ?? null,
        label: f.label ?? null,
      }),
    ) as Record<string, unknown>;
    const out: ProfileFact = {
      key: row.key as string,
      kind: row.kind as ProfileFact['kind'],
      value: row.value as ProfileFact['value'],
      ruleId: row.ruleId as string | null,
      evidence: row.evidence as ProfileFact['evidence'],
    };
    if (row.citation !== null) out.citation = row.citation as string;
    if (row.unit !== null) out.unit = row.unit as string;
    if (row.label !== null) out.label = row.label as ProfileFact['label'];
    return out;
  });
}

describe('stored profile state (facts kept in the fact table only)', () => {
  it('leaves the facts out, and an update from the stored form equals one from the state in memory', () => {
    const rnd = seededRandom(7);
    const obs = observationBuilder('m1');
    const now = new Date('2026-06-30T12:00:00Z');
    const days = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => {
        const day = String(from + i).padStart(2, '0');
        return [
          ...bpReading(
            obs,
            128 + Math.round(rnd() * 30),
            80 + Math.round(rnd() * 15),
            `2026-06-${day}T08:00:00+08:00`,
          ),
          obs('weight', 70 + rnd() * 3, `2026-06-${day}T07:00:00+08:00`),
          obs('fpg', 5.5 + rnd() * 2, `2026-06-${day}T07:30:00+08:00`),
        ];
      }).flat();
    const first = updateProfile({
      state: null,
      member: testMember(),
      observations: days(1, 20),
      now,
    });
    expect(first.facts.length).toBeGreaterThan(10);

    const stored = JSON.parse(JSON.stringify(stateForStorage(first.state))) as ReturnType<
      typeof stateForStorage
    >;
    expect(stored.facts).toBeUndefined();
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(first.state).length * 0.8);

    const next = days(20, 30);
    const inMemory: ProfileUpdate = updateProfile({
      state: structuredClone(first.state),
      member: testMember(),
      observations: next,
      now,
    });
    const fromStore: ProfileUpdate = updateProfile({
      state: stateFromStorage(stored, throughFactTable(first.facts)),
      member: testMember(),
      observations: next,
      now,
    });
    expect(fromStore.changedKeys.sort()).toEqual(inMemory.changedKeys.sort());
    expect(fromStore.removedKeys.sort()).toEqual(inMemory.removedKeys.sort());
    expect(throughFactTable(fromStore.facts)).toEqual(throughFactTable(inMemory.facts));
    expect(stateForStorage(fromStore.state)).toEqual(stateForStorage(inMemory.state));

    // Days later with one unrelated reading: the facts that are re-derived unchanged (many with a
    // null citation or no unit, which the table cannot tell apart) must not count as changed.
    const later = new Date('2026-07-03T12:00:00Z');
    const height = [obs('height', 172, '2026-07-03T07:00:00+08:00')];
    const laterInMemory = updateProfile({
      state: structuredClone(first.state),
      member: testMember(),
      observations: height,
      now: later,
    });
    const laterFromStore = updateProfile({
      state: stateFromStorage(stored, throughFactTable(first.facts)),
      member: testMember(),
      observations: height,
      now: later,
    });
    expect(laterFromStore.changedKeys.sort()).toEqual(laterInMemory.changedKeys.sort());
    expect(laterInMemory.changedKeys.length).toBeLessThan(laterInMemory.facts.length / 2);
  });

  it('reads a state stored before the split (facts inside) as it is', () => {
    const obs = observationBuilder('m2');
    const now = new Date('2026-06-30T12:00:00Z');
    const u = updateProfile({
      state: null,
      member: testMember({ memberId: 'm2' }),
      observations: bpReading(obs, 150, 95, '2026-06-01T08:00:00+08:00'),
      now,
    });
    expect(stateFromStorage(u.state, [])).toBe(u.state);
  });

  it('counts a fact read back from the table (no unit, no citation) as the same as one with nulls', () => {
    const derived: ProfileFact = {
      key: 'latest.steps',
      kind: 'value',
      value: 8000,
      ruleId: null,
      evidence: [
        {
          observationId: 'o1',
          code: '55423-8',
          value: 8000,
          effectiveAt: '2026-06-01T00:00:00.000Z',
        },
      ],
      citation: null,
      unit: null,
    };
    const [fromTable] = throughFactTable([derived]);
    expect(fromTable).not.toHaveProperty('citation');
    expect(fromTable).not.toHaveProperty('unit');
    expect(sameFact(fromTable!, derived)).toBe(true);
    expect(sameFact(fromTable!, { ...derived, unit: 'count' })).toBe(false);
    expect(sameFact(fromTable!, { ...derived, citation: 'WS/T 428-2013' })).toBe(false);
  });
});
