import { describe, expect, it } from 'vitest';
import { detectRedFlags } from './redFlags.ts';
import { bpReading, observationBuilder } from './observationFixtures.ts';

// Red-flag thresholds from issue 3 item 2: SBP ≥ 180 or DBP ≥ 110 (中国高血压防治指南 2018, 高血压急症);
// glucose < 3.9 mmol/L (中国2型糖尿病防治指南 2020, 低血糖) or ≥ 16.7 mmol/L (2020, DKA/HHS assessment);
// heart rate < 40 or > 130 /min; self-reported chest pain.
describe('detectRedFlags', () => {
  const at = '2024-05-01T02:00:00Z';

  it.each([
    [180, 100, true],
    [179, 109, false],
    [150, 110, true],
    [185, 112, true],
  ])('BP %i/%i → crisis %s', (sbp, dbp, expected) => {
    const obs = observationBuilder('m1');
    const flags = detectRedFlags(bpReading(obs, sbp, dbp, at));
    expect(flags.some((f) => f.kind === 'bp-crisis')).toBe(expected);
    if (expected) {
      expect(flags).toHaveLength(1);
      expect(flags[0]?.evidence).toHaveLength(2);
      expect(flags[0]?.summary.en).toContain(`${sbp}/${dbp}`);
      expect(flags[0]?.ruleId).toBe('cn-htn-2018/red-flag-bp');
      expect(flags[0]?.citation).toMatch(/2018/);
    }
  });

  it('pairs halves by identical time when there is no panel key, one flag per reading', () => {
    const obs = observationBuilder('m1');
    const flags = detectRedFlags([
      obs('sbp', 190, at),
      obs('dbp', 100, at),
      obs('sbp', 185, '2024-05-01T03:00:00Z'),
      obs('dbp', 95, '2024-05-01T03:00:00Z'),
    ]);
    expect(flags.map((f) => f.evidence.length)).toEqual([2, 2]);
  });

  it.each([
    ['glucose', 3.9, null],
    ['glucose', 3.8, 'hypoglycaemia'],
    ['fpg', 16.6, null],
    ['fpg', 16.7, 'hyperglycaemia'],
    ['ogtt_2h', 17, 'hyperglycaemia'],
    ['hba1c', 17, null],
    ['heart_rate', 40, null],
    ['heart_rate', 39, 'bradycardia'],
    ['heart_rate', 130, null],
    ['heart_rate', 131, 'tachycardia'],
  ] as const)('%s %f → %s', (indicator, value, kind) => {
    const obs = observationBuilder('m1');
    const flags = detectRedFlags([obs(indicator, value, at)]);
    expect(flags.map((f) => f.kind)).toEqual(kind ? [kind] : []);
  });

  it('a self-reported chest pain (careloop:symptom-chest-pain = 1)', () => {
    const obs = observationBuilder('m1');
    const pain = obs('x', 1, at, { code: 'careloop:symptom-chest-pain', indicator: null });
    const none = obs('x', 0, at, { code: 'careloop:symptom-chest-pain', indicator: null });
    const flags = detectRedFlags([pain, none]);
    expect(flags.map((f) => f.kind)).toEqual(['chest-pain']);
    expect(flags[0]?.memberGuidance['zh-CN']).toContain('120');
    expect(flags[0]?.evidence[0]?.observationId).toBe(pain.id);
  });

  it('with `now`, old readings (history imports) raise no flag', () => {
    const obs = observationBuilder('m1');
    const old = bpReading(obs, 190, 120, '2020-01-01T00:00:00Z');
    expect(detectRedFlags(old, { now: new Date('2024-05-01T00:00:00Z') })).toEqual([]);
    expect(detectRedFlags(old)).toHaveLength(1);
  });

  it('wording routes to care and never states a diagnosis', () => {
    const obs = observationBuilder('m1');
    for (const f of detectRedFlags(bpReading(obs, 200, 120, at))) {
      expect(f.memberGuidance.en).not.toMatch(/you have/i);
      expect(f.memberGuidance['zh-CN']).not.toMatch(/您患有|确诊/);
    }
  });
});
