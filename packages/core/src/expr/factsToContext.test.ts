import { describe, expect, it } from 'vitest';
import { compileCondition } from './compileCondition.ts';
import { factsToContext } from './factsToContext.ts';
import { profileFactSchema } from './profileFactSchema.ts';

describe('factsToContext', () => {
  it('nests dotted keys and leaves null facts out (absent)', () => {
    const ctx = factsToContext([
      { key: 'tag.hypertension', value: true },
      { key: 'latest.sbp', value: 152 },
      { key: 'latest.dbp', value: null },
      { key: 'bp.class', value: 'grade-1' },
      { key: 'stage', value: 'treatment' },
    ]);
    expect(ctx).toMatchObject({
      tag: { hypertension: true },
      latest: { sbp: 152 },
      bp: { class: 'grade-1' },
      stage: 'treatment',
    });
    expect((ctx.tag as Record<string, unknown>).pregnancy).toBeUndefined();
    expect((ctx.latest as Record<string, unknown>).dbp).toBeUndefined();
    expect(ctx.pregnancy).toEqual({ week: undefined, dueDate: undefined });
  });

  it('gives every context the same shape and shares the empty groups', () => {
    const a = factsToContext([{ key: 'tag.diabetes', value: true }]);
    const b = factsToContext([
      { key: 'latest.sbp', value: 120 },
      { key: 'tag.pregnancy', value: true },
    ]);
    expect(Object.keys(a)).toEqual(Object.keys(profileFactSchema));
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(Object.keys(a.tag as object)).toEqual(Object.keys(b.tag as object));
    expect(a.chemo).toBe(b.chemo);
    expect(Object.isFrozen(a.chemo)).toBe(true);
    expect(a.tag).not.toBe(b.tag);
    const entry = compileCondition('tag.pregnancy || has(latest.sbp)', profileFactSchema);
    if (!entry.ok) throw new Error('should compile');
    expect([entry.evaluate(a), entry.evaluate(b)]).toEqual([false, true]);
  });

  it('turns timestamps (ISO or Date) and durations into milliseconds, and adds extra entries', () => {
    const now = new Date('2026-05-11T08:00:00Z');
    const ctx = factsToContext(
      [
        { key: 'latestAt.sbp', value: '2026-05-08T08:00:00+08:00' },
        { key: 'pregnancy.dueDate', value: new Date('2026-09-01T00:00:00Z') },
      ],
      { now, member: { age: 52 } },
    );
    expect(ctx).toMatchObject({
      latestAt: { sbp: Date.parse('2026-05-08T00:00:00Z') },
      pregnancy: { dueDate: Date.parse('2026-09-01T00:00:00Z') },
      now: now.getTime(),
      member: { age: 52 },
    });
    const stale = compileCondition("now - latestAt.sbp > duration('72h')", profileFactSchema);
    if (!stale.ok) throw new Error('should compile');
    expect(stale.evaluate(ctx)).toBe(true);
  });

  it('merges extra groups into fact groups', () => {
    const ctx = factsToContext([{ key: 'member.gender', value: 'female' }], {
      member: { age: 30 },
    });
    expect(ctx.member).toMatchObject({ gender: 'female', age: 30 });
  });

  it('rejects values that do not fit the schema, naming the fact', () => {
    expect(() => factsToContext([{ key: 'latest.sbp', value: '152' }])).toThrow(
      'fact \'latest.sbp\': expected double, got "152"',
    );
    expect(() => factsToContext([{ key: 'member.age', value: 52.5 }])).toThrow(
      "fact 'member.age': expected int, got 52.5",
    );
    expect(() => factsToContext([{ key: 'latestAt.sbp', value: 'yesterday' }])).toThrow(
      "fact 'latestAt.sbp': expected timestamp",
    );
    expect(() => factsToContext([{ key: 'tag', value: true }])).toThrow(
      "fact 'tag' is a group of facts, got true",
    );
    expect(() => factsToContext([{ key: 'stage.detail', value: 'x' }])).toThrow(
      "fact 'stage.detail': 'stage' is a value, not a group",
    );
  });

  it('leaves out facts the schema does not name (no condition can read them)', () => {
    const ctx = factsToContext([
      { key: 'custom.thing', value: 3 },
      { key: 'tag.unknown_tag', value: true },
      { key: 'score.ckd-epi-2021', value: 92 },
      { key: 'tag..x', value: true },
    ]);
    expect('custom' in ctx).toBe(false);
    expect(ctx.score === undefined || !('ckd-epi-2021' in (ctx.score as object))).toBe(true);
    expect('unknown_tag' in (ctx.tag as object)).toBe(false);
  });
});

describe('profileFactSchema', () => {
  it('covers the facts programs use', () => {
    for (const expr of [
      'tag.hypertension && !has(tag.pregnancy)',
      'latest.sbp >= 180 || latest.dbp >= 110',
      'avg7.sbp >= 135 || avg30.dbp >= 85',
      'tag.diabetes || tag.prediabetes',
      'engagement.daysSinceLastInteraction >= 3',
      'pregnancy.week >= 12 && pregnancy.week < 28',
      "bp.class in ['grade-2', 'grade-3']",
      "bmi.category == 'obese'",
      'member.age >= 65',
      "member.gender == 'female'",
      "stage == 'treatment'",
      "segment.lifecycle == 'new'",
      'score.china_par >= 10.0',
      "surgery.type == 'cardiac' && surgery.daysSince <= 30",
      'chemo.cycle == 3',
      "'antihypertensive' in medication.classes",
      'servicePackage.daysToExpiry <= 90',
      "trend.sbp == 'rising'",
    ]) {
      const r = compileCondition(expr, profileFactSchema, { expect: 'bool' });
      expect([expr, r.ok]).toEqual([expr, true]);
    }
  });
});
