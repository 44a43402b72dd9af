import { describe, expect, it } from 'vitest';
import { compileCondition, type CompileResult } from './compileCondition.ts';
import type { FactSchema } from './factType.ts';
import { profileFactSchema } from './profileFactSchema.ts';

const schema: FactSchema = {
  tag: { map: { hypertension: 'bool', pregnancy: 'bool', diabetes: 'bool', prediabetes: 'bool' } },
  latest: { map: { sbp: 'double', dbp: 'double', glucose: 'double' } },
  latestAt: { map: { sbp: 'timestamp' } },
  bp: { map: { class: 'string' } },
  member: { map: { age: 'int', gender: 'string', name: 'string' } },
  medication: { map: { classes: { list: 'string' } } },
  visits: { list: 'int' },
  now: 'timestamp',
  gap: 'duration',
  flag: 'bool',
};

function compiled(expr: string, s: FactSchema = schema): Extract<CompileResult, { ok: true }> {
  const r = compileCondition(expr, s);
  if (!r.ok) throw new Error(`${expr}: ${r.issues.map((i) => i.message).join('; ')}`);
  return r;
}

function issues(expr: string, opts: Parameters<typeof compileCondition>[2] = {}) {
  const r = compileCondition(expr, schema, opts);
  if (r.ok) throw new Error(`expected ${expr} to be rejected`);
  return r.issues;
}

const run = (expr: string, ctx: Record<string, unknown>) => compiled(expr).evaluate(ctx);

describe('type checking against the fact schema', () => {
  it('rejects an unknown fact and suggests the closest one', () => {
    expect(compileCondition('tag.hypertention', profileFactSchema)).toEqual({
      ok: false,
      issues: [
        {
          message: "unknown fact 'tag.hypertention' (did you mean 'tag.hypertension'?)",
          offset: 0,
          line: 1,
          column: 1,
        },
      ],
    });
    expect(issues('tags.diabetes')[0]?.message).toBe(
      "unknown fact 'tags.diabetes' (did you mean 'tag.diabetes'?)",
    );
    expect(issues('lates')[0]?.message).toBe("unknown fact 'lates' (did you mean 'latest'?)");
    expect(issues('zzz.qqq')[0]?.message).toBe("unknown fact 'zzz.qqq'");
  });

  it('does not treat prototype properties as facts', () => {
    expect(issues('constructor')[0]?.message).toMatch(/^unknown fact 'constructor'/);
    expect(issues('tag.toString')[0]?.message).toMatch(/^unknown fact 'tag.toString'/);
    expect(issues('__proto__')[0]?.message).toMatch(/^unknown fact '__proto__'/);
  });

  it('rejects a type mismatch with the line and column of the operator', () => {
    expect(issues("tag.hypertension &&\n  latest.sbp == 'high'")).toEqual([
      {
        message: "cannot compare latest.sbp (double) with 'high' (string) using '=='",
        offset: 33,
        line: 2,
        column: 14,
      },
    ]);
  });

  it('reports every type error, not only the first', () => {
    const found = issues("tag.hypertention || latest.sbp > 'x' || member.agee > 3");
    expect(found.map((i) => [i.message, i.column])).toEqual([
      ["unknown fact 'tag.hypertention' (did you mean 'tag.hypertension'?)", 1],
      ["cannot compare latest.sbp (double) with 'x' (string) using '>'", 32],
      ["unknown fact 'member.agee' (did you mean 'member.age'?)", 41],
    ]);
  });

  it('reports syntax errors with line and column', () => {
    expect(issues('tag.hypertension &&\n  (latest.sbp >= 180')).toEqual([
      {
        message: "expected ')' to close the parenthesis but found end of expression",
        offset: 40,
        line: 2,
        column: 21,
      },
    ]);
  });

  it('rejects operators on the wrong types', () => {
    const msg = (e: string) => issues(e)[0]?.message;
    expect(msg('latest.sbp.value')).toBe("latest.sbp is double and has no field 'value'");
    expect(msg('!member.age')).toBe("'!' needs a bool, got int");
    expect(msg('member.age && flag')).toBe("'&&' needs bool operands, got member.age (int)");
    expect(msg('member.name - 1')).toBe("'-' is not defined for member.name (string) and 1 (int)");
    expect(msg('latest.sbp % 2 == 0')).toBe(
      "'%' is not defined for latest.sbp (double) and 2 (int)",
    );
    expect(msg('flag < true')).toBe("cannot compare flag (bool) with true (bool) using '<'");
    expect(msg("'x' in bp.class")).toBe("'in' needs a list on the right, got bp.class (string)");
    expect(msg('member.age in medication.classes')).toBe(
      'cannot look for member.age (int) in list(string)',
    );
    expect(msg("[1, 'a']")).toBe('list elements must share one type: int and string');
    expect(msg('[] == []')).toBe('an empty list literal has no element type');
    expect(msg("flag ? 1 : 'a'")).toBe("both branches of '?:' must have one type: int and string");
    expect(msg('member.age ? 1 : 2')).toBe("the condition of '?:' must be bool, got int");
    expect(msg('medication.classes == medication.classes')).toBe(
      "'==' is not defined for lists and maps",
    );
  });

  it('checks the expected result type', () => {
    expect(issues('latest.sbp', { expect: 'bool' })[0]?.message).toBe(
      'expected bool but the expression is double',
    );
    expect(compileCondition('member.age + 1', schema, { expect: 'double' }).ok).toBe(true);
    expect(compileCondition('flag', schema, { expect: 'bool' }).ok).toBe(true);
  });

  it('checks functions and their arguments', () => {
    const msg = (e: string) => issues(e)[0]?.message;
    expect(msg('has(flag)')).toBe('has() takes a field selection, e.g. has(tag.pregnancy)');
    expect(msg('has(tag.pregnancyy)')).toBe(
      "unknown fact 'tag.pregnancyy' (did you mean 'tag.pregnancy'?)",
    );
    expect(msg('has(tag.a, tag.b)')).toBe('has() takes 1 argument, got 2');
    expect(msg("member.name.startswith('a')")).toBe(
      "unknown function 'startswith' (did you mean 'startsWith'?)",
    );
    expect(msg('startsWith(member.name)')).toBe("startsWith() is a method: s.startsWith('…')");
    expect(msg('member.age.startsWith(1)')).toBe(
      'startsWith() is defined on strings: got member.age (int).startsWith(int)',
    );
    expect(msg("duration('3d')")).toBe(
      "invalid duration '3d': use h, m, s, ms, e.g. '72h' or '1h30m'",
    );
    expect(msg('duration(member.name)')).toBe(
      "duration() takes a literal string, e.g. duration('72h')",
    );
    expect(msg("timestamp('2026-01-01')")).toMatch(/^invalid timestamp '2026-01-01'/);
    expect(msg('size(flag)')).toBe('size() needs a string, list or map, got flag (bool)');
    expect(msg('now - latestAt.sbp > 72')).toBe("cannot compare duration with 72 (int) using '>'");
  });
});

describe('evaluation', () => {
  it('evaluates the program conditions', () => {
    const entry = compiled('tag.hypertension && !has(tag.pregnancy)');
    expect(entry.evaluate({ tag: { hypertension: true } })).toBe(true);
    expect(entry.evaluate({ tag: { hypertension: true, pregnancy: false } })).toBe(false);
    expect(entry.evaluate({ tag: { hypertension: false } })).toBe(false);
    expect(entry.evaluate({})).toBe(false);

    // Red-flag threshold (中国高血压防治指南 2018: ≥ 180/110 mmHg needs immediate assessment),
    // both sides of each boundary.
    const crisis = compiled('latest.sbp >= 180 || latest.dbp >= 110');
    expect(crisis.evaluate({ latest: { sbp: 180, dbp: 80 } })).toBe(true);
    expect(crisis.evaluate({ latest: { sbp: 179, dbp: 109 } })).toBe(false);
    expect(crisis.evaluate({ latest: { sbp: 120, dbp: 110 } })).toBe(true);
    expect(crisis.evaluate({ latest: { dbp: 110 } })).toBe(true);
    expect(crisis.evaluate({})).toBe(false);

    const grade = compiled("bp.class in ['grade-2', 'grade-3']");
    expect(grade.evaluate({ bp: { class: 'grade-2' } })).toBe(true);
    expect(grade.evaluate({ bp: { class: 'grade-1' } })).toBe(false);
    expect(grade.evaluate({})).toBe(false);
  });

  it('compiles a two-valued condition to plain JS operators, reading facts where used', () => {
    expect(compiled('tag.hypertension && !has(tag.pregnancy)').source).toBe(
      [
        'function evaluate(c) {',
        '  "use strict";',
        '  return ((c.tag?.hypertension === true) && !(c.tag?.pregnancy !== undefined));',
        '}',
      ].join('\n'),
    );
  });

  it('does arithmetic with CEL int semantics', () => {
    expect(run('member.age / 4', { member: { age: 30 } })).toBe(7);
    expect(run('-7 / 2', {})).toBe(-3);
    expect(run('-7 % 3', {})).toBe(-1);
    expect(run('member.age / 0', { member: { age: 30 } })).toBeUndefined();
    expect(run('member.age % 0', { member: { age: 30 } })).toBeUndefined();
    expect(run('7.0 / 2', {})).toBe(3.5);
    expect(run('member.age * 2 + 1 - 3', { member: { age: 30 } })).toBe(58);
    expect(run('latest.sbp - member.age', { latest: { sbp: 130.5 }, member: { age: 30 } })).toBe(
      100.5,
    );
    expect(run('-member.age', { member: { age: 30 } })).toBe(-30);
  });

  it('compares ints with doubles', () => {
    expect(run('latest.glucose >= 7', { latest: { glucose: 7.0 } })).toBe(true);
    expect(run('latest.glucose >= 7', { latest: { glucose: 6.99 } })).toBe(false);
    expect(run('member.age == 30.0', { member: { age: 30 } })).toBe(true);
    expect(run('member.age in [30.0, 40.0]', { member: { age: 30 } })).toBe(true);
  });

  it('works on strings', () => {
    const ctx = { member: { name: '张三😀', gender: 'female' } };
    expect(run("member.name + '!'", ctx)).toBe('张三😀!');
    expect(run("member.name.startsWith('张')", ctx)).toBe(true);
    expect(run("member.name.endsWith('三')", ctx)).toBe(false);
    expect(run("member.name.contains('三')", ctx)).toBe(true);
    expect(run('size(member.name)', ctx)).toBe(3); // code points, not UTF-16 units
    expect(run('member.name.size()', ctx)).toBe(3);
    expect(run("member.gender < 'male'", ctx)).toBe(true);
    expect(run("member.name.startsWith('张')", {})).toBe(false);
  });

  it('works on lists', () => {
    const ctx = { medication: { classes: ['antihypertensive'] }, visits: [3, 5] };
    expect(run("'antihypertensive' in medication.classes", ctx)).toBe(true);
    expect(run("'glucose-lowering' in medication.classes", ctx)).toBe(false);
    expect(run("'antihypertensive' in medication.classes", {})).toBe(false);
    expect(run('size(visits)', ctx)).toBe(2);
    expect(run('visits[1]', ctx)).toBe(5);
    expect(run('visits[2]', ctx)).toBeUndefined();
    expect(run('size(visits + [1])', ctx)).toBe(3);
    expect(run('size(tag)', { tag: { a: true, b: false } })).toBe(2);
    expect(run("tag['hypertension']", { tag: { hypertension: true } })).toBe(true);
  });

  it('uses a Set for long literal lists', () => {
    const codes = Array.from({ length: 12 }, (_, i) => `'c${i}'`).join(', ');
    const r = compiled(`bp.class in [${codes}]`);
    expect(r.source).toMatch(/k\d\.has\(/);
    expect(r.evaluate({ bp: { class: 'c11' } })).toBe(true);
    expect(r.evaluate({ bp: { class: 'c12' } })).toBe(false);
  });

  it('handles timestamps and durations as milliseconds', () => {
    const now = Date.parse('2026-05-11T08:00:00Z');
    const stale = compiled("now - latestAt.sbp > duration('72h')");
    expect(stale.evaluate({ now, latestAt: { sbp: now - 72 * 3_600_000 - 1 } })).toBe(true);
    expect(stale.evaluate({ now, latestAt: { sbp: now - 72 * 3_600_000 } })).toBe(false);
    expect(stale.evaluate({ now })).toBe(false);
    expect(run("latestAt.sbp + duration('1h30m')", { latestAt: { sbp: 0 } })).toBe(5_400_000);
    expect(run("now > timestamp('2026-05-11T15:59:59+08:00')", { now })).toBe(true);
    expect(run("now > timestamp('2026-05-11T16:00:00+08:00')", { now })).toBe(false);
    expect(run("gap < duration('-1.5h')", { gap: -6_000_000 })).toBe(true);
    expect(run("duration('90s') + duration('500ms')", {})).toBe(90_500);
  });

  it('converts numbers', () => {
    expect(run('int(latest.sbp)', { latest: { sbp: 139.9 } })).toBe(139);
    expect(run('double(member.age) / 4', { member: { age: 30 } })).toBe(7.5);
    expect(run('string(member.age)', { member: { age: 30 } })).toBe('30');
  });

  it('evaluates the conditional and keeps results independent between calls', () => {
    const band = compiled(
      "member.age < 18 ? 'child' : member.age < 45 ? 'young' : member.age < 65 ? 'middle' : 'older'",
    );
    const ages = [17, 18, 44, 45, 64, 65];
    expect(ages.map((age) => band.evaluate({ member: { age } }))).toEqual([
      'child',
      'young',
      'young',
      'middle',
      'middle',
      'older',
    ]);
    // Comparisons with an absent age are false, so every test fails and the last branch wins:
    // conditions guard optional facts with has().
    expect(band.evaluate({})).toBe('older');
    const guarded = compiled(
      `has(member.age) ? (${'member.age < 18'} ? 'child' : 'adult') : 'unknown'`,
    );
    expect(guarded.evaluate({})).toBe('unknown');
    expect(guarded.evaluate({ member: { age: 18 } })).toBe('adult');
  });
});

describe('absent facts', () => {
  const absentCtx = { tag: {}, latest: {} };

  it('makes every comparison with an absent value false, and has() tests presence', () => {
    for (const e of [
      'latest.sbp >= 0',
      'latest.sbp < 0',
      'latest.sbp == 0',
      'latest.sbp != 0',
      'latest.sbp != latest.dbp',
      'latest.sbp == latest.dbp',
      "bp.class in ['grade-1']",
      'has(latest.sbp)',
    ]) {
      expect([e, run(e, absentCtx)]).toEqual([e, false]);
    }
    expect(run('has(latest.sbp)', { latest: { sbp: 120 } })).toBe(true);
    expect(run('has(latest.sbp)', {})).toBe(false);
    expect(run('!has(latest.sbp)', {})).toBe(true);
    expect(run('latest.sbp != latest.dbp', { latest: { sbp: 1, dbp: 2 } })).toBe(true);
  });

  it('lets == null and != null test absence', () => {
    expect(run('latest.sbp == null', {})).toBe(true);
    expect(run('latest.sbp != null', { latest: { sbp: 1 } })).toBe(true);
    expect(run('null == null', {})).toBe(true);
  });

  it('follows CEL’s commutative && and || (absent is absorbed by a decisive side)', () => {
    const vals = { T: true, F: false, A: undefined } as const;
    type V = keyof typeof vals;
    const ctxOf = (a: V, b: V) => ({
      tag: {
        ...(a === 'A' ? {} : { hypertension: vals[a] }),
        ...(b === 'A' ? {} : { diabetes: vals[b] }),
      },
    });
    // Value of the expression, absent shown as 'A' (via a ternary so the three values survive).
    const and = compiled("(tag.hypertension && tag.diabetes) ? 'T' : 'F'");
    const or = compiled("(tag.hypertension || tag.diabetes) ? 'T' : 'F'");
    const not = compiled("!tag.hypertension ? 'T' : 'F'");
    const andTable: Record<string, string> = {
      TT: 'T',
      TF: 'F',
      TA: 'A',
      FT: 'F',
      FF: 'F',
      FA: 'F',
      AT: 'A',
      AF: 'F',
      AA: 'A',
    };
    const orTable: Record<string, string> = {
      TT: 'T',
      TF: 'T',
      TA: 'T',
      FT: 'T',
      FF: 'F',
      FA: 'A',
      AT: 'T',
      AF: 'A',
      AA: 'A',
    };
    for (const a of ['T', 'F', 'A'] as V[]) {
      for (const b of ['T', 'F', 'A'] as V[]) {
        expect([a + b, and.evaluate(ctxOf(a, b)) ?? 'A']).toEqual([a + b, andTable[a + b]]);
        expect([a + b, or.evaluate(ctxOf(a, b)) ?? 'A']).toEqual([a + b, orTable[a + b]]);
        // As conditions (bool result): true only when definitely true.
        const cond = compiled('tag.hypertension && tag.diabetes').evaluate(ctxOf(a, b));
        expect(cond).toBe(andTable[a + b] === 'T');
        const neg = compiled('!(tag.hypertension || tag.diabetes)').evaluate(ctxOf(a, b));
        expect(neg).toBe(orTable[a + b] === 'F');
      }
      expect(not.evaluate(ctxOf(a, 'A')) ?? 'A').toBe({ T: 'F', F: 'T', A: 'A' }[a]);
    }
  });

  it('propagates absence through arithmetic and makes a bool condition false', () => {
    expect(run('latest.sbp - latest.dbp', { latest: { sbp: 120 } })).toBeUndefined();
    expect(run('latest.sbp - latest.dbp >= 40', { latest: { sbp: 120 } })).toBe(false);
    expect(run('flag', {})).toBe(false);
    expect(run('flag ? 1 : 2', {})).toBeUndefined();
  });
});

describe('code generation safety', () => {
  it('emits string literals as data, never as code', () => {
    const hostile = `"); throw new Error("pwned"); ("`;
    const r = compiled(
      `member.name == '${hostile.replace(/'/g, "\\'")}' || member.name == "\\u2028x\\\\"`,
    );
    expect(r.evaluate({ member: { name: hostile } })).toBe(true);
    expect(r.evaluate({ member: { name: '\u2028x\\' } })).toBe(true);
    expect(r.evaluate({ member: { name: 'someone' } })).toBe(false);
    expect(r.source).toContain(JSON.stringify(hostile));
  });

  it('reads only the context it is given (no globals)', () => {
    expect(issues('process')[0]?.message).toMatch(/^unknown fact 'process'/);
    expect(issues('globalThis.x')[0]?.message).toBe("unknown fact 'globalThis.x'");
  });
});
