import { describe, expect, it } from 'vitest';
import { factsToContext } from '../expr/factsToContext.ts';
import { generateDemoPopulation } from '../simulate/generateDemoPopulation.ts';
import { rebuildProfile } from './updateProfile.ts';

/**
 * The profile engine and the condition language are written separately: every fact the engine
 * emits for a realistic population must fit the schema programs are type-checked against (a
 * mismatch would throw inside the care engine at run time).
 */
describe('profile facts fit the condition schema', () => {
  it('turns every demo member profile into a condition context', () => {
    const end = new Date('2026-03-01T00:00:00Z');
    const population = generateDemoPopulation({
      seed: 7,
      members: 40,
      start: new Date(end.getTime() - 200 * 86_400_000),
      end,
    });
    let facts = 0;
    for (const [i, d] of population.entries()) {
      const memberId = `m${i}`;
      const update = rebuildProfile({
        member: {
          memberId,
          gender: d.member.gender,
          birthDate: d.member.birthDate,
          timeZone: d.member.timeZone,
        },
        observations: d.observations.map((o, j) => ({ ...o, id: `${i}-${j}`, memberId })),
        conditions: d.conditions.map((c, j) => ({ ...c, id: `c${i}-${j}`, memberId })),
        medications: d.medications.map((m, j) => ({ ...m, id: `d${i}-${j}`, memberId })),
        now: end,
      });
      facts += update.facts.length;
      expect(() => factsToContext(update.facts)).not.toThrow();
      const ctx = factsToContext(update.facts) as { tag?: Record<string, unknown> };
      if (update.facts.some((f) => f.key === 'tag.hypertension' && f.value === true))
        expect(ctx.tag?.hypertension).toBe(true);
    }
    expect(facts).toBeGreaterThan(40 * 10);
  });
});
