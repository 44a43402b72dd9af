import { describe, expect, it } from 'vitest';
import type {
  ProfileFact,
  StoredCondition,
  StoredMedication,
  StoredObservation,
} from '../model/types.ts';
import { rebuildProfile, updateProfile, type ProfileUpdate } from './updateProfile.ts';
import { bpReading, observationBuilder, seededRandom, testMember } from './observationFixtures.ts';

const byKey = (u: ProfileUpdate): Record<string, ProfileFact> =>
  Object.fromEntries(u.facts.map((f) => [f.key, f]));
const day = (iso: string, hoursUtc: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + hoursUtc * 3_600_000).toISOString();

describe('hypertension tag — 中国高血压防治指南 2018 (office readings on separate days)', () => {
  it('one elevated office day → "elevated reading — confirm"; a second day → tag.hypertension', () => {
    const obs = observationBuilder('m1');
    const member = testMember();
    const first = rebuildProfile({
      member,
      observations: bpReading(obs, 150, 85, day('2024-03-01', 2)),
      now: new Date('2024-03-01T12:00:00Z'),
    });
    let f = byKey(first);
    expect(f['tag.hypertension']).toBeUndefined();
    expect(f['tag.bp_elevated_unconfirmed']?.value).toBe(true);
    expect(f['bp.class']?.value).toBe('grade-1');
    expect(f['bp.isolated_systolic']?.value).toBe(true);
    // same local day again: still unconfirmed
    const same = updateProfile({
      state: first.state,
      member,
      observations: bpReading(obs, 152, 92, day('2024-03-01', 6)),
      now: new Date('2024-03-01T12:00:00Z'),
    });
    expect(byKey(same)['tag.hypertension']).toBeUndefined();
    const second = updateProfile({
      state: same.state,
      member,
      observations: bpReading(obs, 145, 92, day('2024-03-04', 2)),
      now: new Date('2024-03-04T12:00:00Z'),
    });
    f = byKey(second);
    expect(f['tag.hypertension']?.value).toBe(true);
    expect(f['tag.hypertension']?.ruleId).toBe('cn-htn-2018/confirmation');
    expect(f['tag.hypertension']?.evidence.map((e) => e.effectiveAt.slice(0, 10))).toEqual([
      '2024-03-01',
      '2024-03-04',
    ]);
    expect(f['tag.bp_elevated_unconfirmed']).toBeUndefined();
    expect(second.removedKeys).toContain('tag.bp_elevated_unconfirmed');
    expect(second.changedKeys).toContain('tag.hypertension');
  });

  it('separate days are LOCAL days: 23:30 and 00:30 in Shanghai are two days, in UTC one', () => {
    // 2024-03-01T15:30Z = 23:30 in Asia/Shanghai (UTC+8); 2024-03-01T16:30Z = 00:30 on 2 March.
    const make = (timeZone: string) => {
      const obs = observationBuilder('m1');
      return byKey(
        rebuildProfile({
          member: testMember({ timeZone }),
          observations: [
            ...bpReading(obs, 150, 95, '2024-03-01T15:30:00Z'),
            ...bpReading(obs, 148, 94, '2024-03-01T16:30:00Z'),
          ],
          now: new Date('2024-03-02T06:00:00Z'),
        }),
      );
    };
    expect(make('Asia/Shanghai')['tag.hypertension']?.value).toBe(true);
    expect(make('UTC')['tag.hypertension']).toBeUndefined();
    expect(make('UTC')['tag.bp_elevated_unconfirmed']?.value).toBe(true);
  });

  it('home readings use ≥ 135/85 on the mean of ≥ 3 days (office 140/90 would not tag them)', () => {
    const obs = observationBuilder('m1');
    const home = { sourceKind: 'device' as const };
    const readings = ['2024-05-01', '2024-05-02', '2024-05-03'].flatMap((d) =>
      bpReading(obs, 137, 80, day(d, 0), home),
    );
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: readings,
        now: new Date('2024-05-04T00:00:00Z'),
      }),
    );
    expect(f['tag.hypertension']?.ruleId).toBe('cn-htn-2018/thresholds-by-setting');
    const two = byKey(
      rebuildProfile({
        member: testMember(),
        observations: readings.slice(0, 4),
        now: new Date('2024-05-04T00:00:00Z'),
      }),
    );
    expect(two['tag.hypertension']).toBeUndefined();
    const lower = ['2024-05-01', '2024-05-02', '2024-05-03'].flatMap((d) =>
      bpReading(obs, 134, 84, day(d, 0), home),
    );
    expect(
      byKey(
        rebuildProfile({
          member: testMember(),
          observations: lower,
          now: new Date('2024-05-04T00:00:00Z'),
        }),
      )['tag.hypertension'],
    ).toBeUndefined();
  });

  it('ambulatory: 24-h mean ≥ 130/80', () => {
    const obs = observationBuilder('m1');
    const amb = { setting: 'ambulatory' as const };
    const high = [0, 4, 8, 12].flatMap((h) => bpReading(obs, 132, 78, day('2024-05-01', h), amb));
    expect(
      byKey(
        rebuildProfile({
          member: testMember(),
          observations: high,
          now: new Date('2024-05-02T00:00:00Z'),
        }),
      )['tag.hypertension']?.value,
    ).toBe(true);
    const normal = [0, 4, 8, 12].flatMap((h) => bpReading(obs, 129, 79, day('2024-05-01', h), amb));
    expect(
      byKey(
        rebuildProfile({
          member: testMember(),
          observations: normal,
          now: new Date('2024-05-02T00:00:00Z'),
        }),
      )['tag.hypertension'],
    ).toBeUndefined();
  });

  it('a clinician-recorded Condition counts only when conditions are accepted as evidence', () => {
    const condition: StoredCondition = {
      id: 'c1',
      memberId: 'm1',
      memberRef: 'm1',
      system: 'http://snomed.info/sct',
      code: '38341003',
      display: 'Hypertension',
      clinicalStatus: 'active',
      onset: '2019-01-01',
      abatement: null,
      sourceRecordId: null,
      idempotencyKey: 'c1',
    };
    const now = new Date('2024-01-01T00:00:00Z');
    const withC = byKey(
      rebuildProfile({ member: testMember(), observations: [], conditions: [condition], now }),
    );
    expect(withC['tag.hypertension']?.evidence[0]?.conditionId).toBe('c1');
    const without = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [],
        conditions: [condition],
        now,
        options: { useConditions: false },
      }),
    );
    expect(without['tag.hypertension']).toBeUndefined();
  });

  it('an elevated reading plus an antihypertensive → tag by the treated-hypertension rule; stage treatment', () => {
    const obs = observationBuilder('m1');
    const med: StoredMedication = {
      id: 'med1',
      memberId: 'm1',
      memberRef: 'm1',
      name: '苯磺酸氨氯地平片 5mg',
      code: null,
      system: null,
      status: 'active',
      rrule: null,
      dosageText: null,
      authoredOn: '2024-01-01',
      sourceRecordId: null,
      idempotencyKey: 'med1',
    };
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          ...bpReading(obs, 150, 95, day('2023-12-01', 2)),
          ...bpReading(obs, 128, 78, day('2024-02-01', 2)),
        ],
        medications: [med],
        now: new Date('2024-02-02T00:00:00Z'),
      }),
    );
    expect(f['tag.hypertension']?.ruleId).toBe('cn-htn-2018/treated');
    expect(f.stage?.value).toBe('treatment');
  });
});

describe('other tags', () => {
  const now = new Date('2024-06-01T00:00:00Z');
  it('diabetes needs two results in the diabetes range on separate days (2020 表4: 改日复查确认)', () => {
    const obs = observationBuilder('m1');
    const one = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [obs('fpg', 7.2, day('2024-01-10', 0))],
        now,
      }),
    );
    expect(one['tag.diabetes']).toBeUndefined();
    expect(one['tag.glucose_elevated_unconfirmed']?.value).toBe(true);
    const two = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('fpg', 7.2, day('2024-01-10', 0)),
          obs('hba1c', 6.6, day('2024-02-10', 0)),
        ],
        now,
      }),
    );
    expect(two['tag.diabetes']?.value).toBe(true);
    expect(two['glucose.status']?.value).toBe('diabetes-range');
  });

  it('prediabetes from the latest FPG in 6.1–<7.0 or 2-h in 7.8–<11.1', () => {
    const obs = observationBuilder('m1');
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('fpg', 6.3, day('2024-01-10', 0)),
          obs('ogtt_2h', 8.0, day('2024-01-10', 1)),
        ],
        now,
      }),
    );
    expect(f['tag.prediabetes']?.value).toBe(true);
    expect(f['glucose.status']?.value).toBe('ifg+igt');
    const normal = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [obs('fpg', 6.0, day('2024-01-10', 0))],
        now,
      }),
    );
    expect(normal['tag.prediabetes']).toBeUndefined();
  });

  it('dyslipidemia from an abnormal (not borderline) lipid, with per-lipid classes', () => {
    const obs = observationBuilder('m1');
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [obs('tc', 5.5, day('2024-01-10', 0)), obs('hdl', 0.9, day('2024-01-10', 0))],
        now,
      }),
    );
    expect(f['lipid.tc']?.value).toBe('borderline-high');
    expect(f['lipid.hdl']?.value).toBe('low');
    expect(f['tag.dyslipidemia']?.evidence.map((e) => e.value)).toEqual([0.9]);
  });

  it('hyperuricemia: > 420 µmol/L on two different days', () => {
    const obs = observationBuilder('m1');
    const sameDay = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('uric_acid', 450, day('2024-01-10', 0)),
          obs('uric_acid', 460, day('2024-01-10', 3)),
        ],
        now,
      }),
    );
    expect(sameDay['tag.hyperuricemia']).toBeUndefined();
    expect(sameDay['tag.uric_acid_elevated_unconfirmed']?.value).toBe(true);
    const twoDays = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('uric_acid', 421, day('2024-01-10', 0)),
          obs('uric_acid', 430, day('2024-02-10', 0)),
        ],
        now,
      }),
    );
    expect(twoDays['tag.hyperuricemia']?.value).toBe(true);
    const at420 = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('uric_acid', 420, day('2024-01-10', 0)),
          obs('uric_acid', 420, day('2024-02-10', 0)),
        ],
        now,
      }),
    );
    expect(at420['tag.hyperuricemia']).toBeUndefined();
  });

  it('CKD only when eGFR < 60 persists > 3 months (KDIGO 2012 1.1.1); G and A stages', () => {
    const obs = observationBuilder('m1');
    const short = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('egfr', 55, day('2024-01-01', 0)),
          obs('egfr', 52, day('2024-03-15', 0)),
        ],
        now,
      }),
    );
    expect(short['tag.ckd']).toBeUndefined();
    expect(short['tag.kidney_marker_abnormal_unconfirmed']?.value).toBe(true);
    expect(short['kidney.g_stage']?.value).toBe('G3a');
    const long = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('egfr', 55, day('2024-01-01', 0)),
          obs('egfr', 52, day('2024-04-15', 0)),
          obs('urine_acr', 45, day('2024-04-15', 0)),
        ],
        now,
      }),
    );
    expect(long['tag.ckd']?.value).toBe(true);
    expect(long['kidney.a_stage']?.value).toBe('A2');
    const interrupted = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('egfr', 55, day('2024-01-01', 0)),
          obs('egfr', 75, day('2024-02-15', 0)),
          obs('egfr', 52, day('2024-04-15', 0)),
        ],
        now,
      }),
    );
    expect(interrupted['tag.ckd']).toBeUndefined();
  });

  it('eGFR computed from creatinine by CKD-EPI 2021 when no eGFR is reported (man 50, 1.0 mg/dL → 92)', () => {
    const obs = observationBuilder('m1');
    const f = byKey(
      rebuildProfile({
        member: testMember({ birthDate: '1974-01-01' }),
        observations: [obs('creatinine', 88.42, day('2024-05-01', 0))],
        now,
      }),
    );
    expect(f['kidney.egfr']?.value).toBe(92);
    expect(f['kidney.g_stage']?.value).toBe('G1');
  });

  it('central obesity by sex; BMI computed from weight and height', () => {
    const obs = observationBuilder('m1');
    const f = byKey(
      rebuildProfile({
        member: testMember({ gender: 'female' }),
        observations: [
          obs('waist', 86, day('2024-05-01', 0)),
          obs('weight', 70, day('2024-05-01', 0)),
          obs('height', 160, day('2024-05-01', 0)),
        ],
        now,
      }),
    );
    expect(f['tag.central_obesity']?.value).toBe(true);
    expect(f['bmi.category']?.value).toBe('overweight');
    expect(f.stage?.value).toBe('sub-health-warning');
  });

  it('no data → maintenance stage and the demographic segments', () => {
    const f = byKey(rebuildProfile({ member: testMember(), observations: [], now }));
    expect(f.stage?.value).toBe('maintenance');
    expect(f['segment.age_group']?.value).toBe('45-59');
  });
});

describe('averages', () => {
  it('avg7 and avg30 over local days up to now, with evidence and a count in the label', () => {
    const obs = observationBuilder('m1');
    const readings = [
      ...bpReading(obs, 120, 80, day('2024-05-30', 1)),
      ...bpReading(obs, 130, 80, day('2024-05-20', 1)),
      ...bpReading(obs, 160, 80, day('2024-04-01', 1)),
    ];
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: readings,
        now: new Date('2024-05-31T00:00:00Z'),
      }),
    );
    expect(f['avg7.sbp']?.value).toBe(120);
    expect(f['avg30.sbp']?.value).toBe(125);
    expect(f['avg30.sbp']?.evidence).toHaveLength(2);
    expect(f['avg30.sbp']?.label?.en).toMatch(/mean of 2 readings on 2 days/);
    expect(f['latest.sbp']?.value).toBe(120);
  });

  it('steps average the daily totals', () => {
    const obs = observationBuilder('m1');
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: [
          obs('steps', 3000, day('2024-05-30', 1)),
          obs('steps', 4000, day('2024-05-30', 5)),
          obs('steps', 5000, day('2024-05-29', 1)),
        ],
        now: new Date('2024-05-31T00:00:00Z'),
      }),
    );
    expect(f['avg7.steps']?.value).toBe(6000);
    expect(f['segment.activity']?.value).toBe('low-active');
  });
});

describe('incremental update equals rebuild (property test, seeded)', () => {
  function history(seed: number) {
    const rnd = seededRandom(seed);
    const obs = observationBuilder('m1', `s${seed}-`);
    const start = Date.parse('2023-01-01T00:00:00Z');
    const out: StoredObservation[] = [];
    const days = 150 + Math.floor(rnd() * 250);
    const baseSbp = 115 + rnd() * 40;
    for (let d = 0; d < days; d++) {
      const t0 = start + d * 86_400_000;
      const at = (h: number) => new Date(t0 + h * 3_600_000).toISOString();
      if (rnd() < 0.6) {
        const n = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < n; k++) {
          const home = rnd() < 0.6;
          out.push(
            ...bpReading(
              obs,
              Math.round(baseSbp + rnd() * 30 - 10 + d * 0.02),
              Math.round(70 + rnd() * 25),
              at(rnd() * 24),
              home ? { sourceKind: 'device' } : {},
            ),
          );
        }
      }
      if (rnd() < 0.3)
        out.push(
          obs('glucose', Math.round((4 + rnd() * 9) * 10) / 10, at(rnd() * 24), {
            sourceKind: 'device',
          }),
        );
      if (rnd() < 0.5)
        out.push(obs('steps', Math.round(rnd() * 12000), at(rnd() * 24), { sourceKind: 'device' }));
      if (rnd() < 0.2)
        out.push(obs('weight', Math.round((70 + rnd() * 5) * 10) / 10, at(rnd() * 24)));
      if (rnd() < 0.02) {
        const h = at(1);
        out.push(
          obs('fpg', Math.round((5 + rnd() * 3) * 10) / 10, h),
          obs('hba1c', Math.round((5.2 + rnd() * 2) * 10) / 10, h),
        );
        out.push(
          obs('tc', Math.round((4 + rnd() * 3) * 100) / 100, h),
          obs('hdl', Math.round((0.8 + rnd()) * 100) / 100, h),
        );
        out.push(
          obs('uric_acid', Math.round(300 + rnd() * 200), h),
          obs('creatinine', Math.round(60 + rnd() * 80), h),
          obs('egfr', Math.round(40 + rnd() * 60), h),
        );
        out.push(obs('height', 172, h));
      }
    }
    return { out: out.sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt)), rnd };
  }

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i', (seed) => {
    const { out, rnd } = history(seed);
    const timeZone = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata'][
      seed % 4
    ] as string;
    const member = testMember({ timeZone });
    let state = null;
    let i = 0;
    let now = 0;
    let last: ProfileUpdate | null = null;
    const seen = new Map<string, ProfileFact>();
    while (i < out.length) {
      const size = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 60 : 6));
      const batch = out.slice(i, i + size);
      i += size;
      const newest = Math.max(...batch.map((o) => Date.parse(o.effectiveAt)));
      now = Math.max(now, newest + rnd() * 20 * 3_600_000);
      last = updateProfile({ state, member, observations: batch, now: new Date(now) });
      // changedKeys/removedKeys describe exactly the difference to the previous fact set
      for (const k of last.removedKeys) seen.delete(k);
      for (const k of last.changedKeys)
        seen.set(k, last.facts.find((f) => f.key === k) as ProfileFact);
      expect(new Map(last.facts.map((f) => [f.key, f]))).toEqual(seen);
      state = JSON.parse(JSON.stringify(last.state));
    }
    const rebuilt = rebuildProfile({ member, observations: out, now: new Date(now) });
    const inc = byKey(last as ProfileUpdate);
    const reb = byKey(rebuilt);
    for (const k of new Set([...Object.keys(inc), ...Object.keys(reb)]))
      expect({ k, f: inc[k] }).toEqual({ k, f: reb[k] });
    expect(Object.keys(byKey(rebuilt)).length).toBeGreaterThan(20);
  });
});

describe('trend, time in range, year over year and scores in the profile', () => {
  it('SBP rising 1 mmHg/day over 13 weeks → trend.sbp rising ≈ 7 mmHg/week (Mann–Kendall on weekly means)', () => {
    const obs = observationBuilder('m1');
    const start = Date.parse('2024-01-01T00:00:00Z');
    const readings = Array.from({ length: 100 }, (_, d) =>
      bpReading(obs, 120 + d, 80, new Date(start + d * 86_400_000 + 3_600_000).toISOString(), {
        sourceKind: 'device',
      }),
    ).flat();
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: readings,
        now: new Date(start + 100 * 86_400_000),
      }),
    );
    expect(f['trend.sbp']?.value).toBe('rising');
    expect(f['trend.sbp']?.label?.en).toMatch(/rising, 7 mmHg\/week/);
    expect(f['trend.dbp']?.value).toBe('stable');
    // 30-day time in range: SBP ≤ 139 never holds in the last 30 days (190–219 mmHg)
    expect(f['tir30.sbp']?.value).toBe(0);
    expect(f['tir30.dbp']?.value).toBe(100);
  });

  it('labs: trend across checkups and the change since about a year earlier', () => {
    const obs = observationBuilder('m1');
    const tc = [4.8, 5.0, 5.3, 5.6, 5.9, 6.3].map((v, i) =>
      obs('tc', v, `${2019 + i}-05-10T01:00:00Z`),
    );
    const f = byKey(
      rebuildProfile({
        member: testMember(),
        observations: tc,
        now: new Date('2024-06-01T00:00:00Z'),
      }),
    );
    expect(f['trend.tc']?.value).toBe('rising');
    expect(f['yoy.tc']?.value).toBe(0.4);
    expect(f['yoy.tc']?.evidence.map((e) => e.value)).toEqual([6.3, 5.9]);
    expect(f['lipid.tc']?.value).toBe('high');
  });

  it('risk scores: computed when inputs exist, "insufficient data: missing …" otherwise', () => {
    const obs = observationBuilder('m1');
    // CKD-EPI 2021: man 50, creatinine 1.0 mg/dL (88.42 µmol/L) → 92 (Inker et al., NEJM 2021).
    const f = byKey(
      rebuildProfile({
        member: testMember({ birthDate: '1974-01-01' }),
        observations: [obs('creatinine', 88.42, '2024-05-01T01:00:00Z')],
        now: new Date('2024-06-01T00:00:00Z'),
      }),
    );
    expect(f['score.ckd_epi_2021']?.value).toBe(92);
    expect(f['score.ckd_epi_2021']?.evidence[0]?.observationId).toBe('o1');
    expect(f['score.china_par']?.value).toBeNull();
    expect(f['score.china_par']?.label?.en).toMatch(/insufficient data: missing .*sbp/);
  });
});
