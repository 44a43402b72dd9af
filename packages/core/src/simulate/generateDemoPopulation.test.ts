import { DateTime } from 'luxon';
import * as rruleModule from 'rrule';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ObservationInput } from '../model/types.ts';
import { classifyBloodPressure } from '../clinical/bloodPressureClass.ts';
import { indicatorById, indicatorForLoinc, normalizeQuantity } from '../clinical/indicators.ts';
import type { DemoMember } from './demoMember.ts';
import { generateDemoPopulation } from './generateDemoPopulation.ts';
import { POST_MEAL_GLUCOSE_LOINC } from './memberReadings.ts';

const { RRule } =
  (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

// Six months in Shanghai time, across both daylight-saving changes of the LA and London members.
const start = new Date('2023-12-31T16:00:00Z'); // 2024-01-01 00:00 Asia/Shanghai
const end = new Date('2024-06-30T16:00:00Z'); // 2024-07-01 00:00 Asia/Shanghai
const SEED = 20240101;

let population: DemoMember[];
beforeAll(() => {
  population = generateDemoPopulation({ seed: SEED, members: 200, start, end });
});

const home = (m: DemoMember): ObservationInput[] =>
  m.observations.filter((o) => o.sourceKind === 'device' || o.sourceKind === 'self');
const localDate = (o: ObservationInput, m: DemoMember): string =>
  DateTime.fromISO(o.effectiveAt).setZone(m.member.timeZone).toISODate() ?? '';
const localHour = (o: ObservationInput, m: DemoMember): number => {
  const t = DateTime.fromISO(o.effectiveAt).setZone(m.member.timeZone);
  return t.hour + t.minute / 60;
};

/** Home BP readings as (sbp, dbp, observation of the systolic half) triples. */
function bpReadings(m: DemoMember, filter: (o: ObservationInput) => boolean = () => true) {
  const out: { sbp: number; dbp: number; o: ObservationInput }[] = [];
  const obs = m.observations;
  for (let i = 0; i < obs.length; i++) {
    const o = obs[i]!;
    if (o.indicator !== 'sbp' || !filter(o)) continue;
    const d = obs[i + 1];
    if (d?.indicator === 'dbp' && d.panelKey === o.panelKey)
      out.push({ sbp: o.value, dbp: d.value, o });
  }
  return out;
}
const isHypertensivePersona = (m: DemoMember): boolean =>
  m.persona === 'hypertensive' || m.persona === 'hypertensive-diabetic';
const isDiabeticPersona = (m: DemoMember): boolean =>
  m.persona === 'diabetic' || m.persona === 'hypertensive-diabetic';
const ageAt = (birthDate: string, when: Date): number =>
  Math.floor(
    DateTime.fromJSDate(when, { zone: 'utc' }).diff(
      DateTime.fromISO(birthDate, { zone: 'utc' }),
      'years',
    ).years,
  );

describe('generateDemoPopulation: determinism', () => {
  it('gives byte-identical output for the same options', () => {
    const again = generateDemoPopulation({ seed: SEED, members: 200, start, end });
    expect(JSON.stringify(again)).toBe(JSON.stringify(population));
  });

  it('gives a different population for another seed', () => {
    const other = generateDemoPopulation({ seed: SEED + 1, members: 20, start, end });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(population.slice(0, 20)));
    expect(other.map((m) => m.member.name)).not.toEqual(
      population.slice(0, 20).map((m) => m.member.name),
    );
  });

  it('makes every prefix of a population a population (members do not depend on the count)', () => {
    const small = generateDemoPopulation({ seed: SEED, members: 30, start, end });
    expect(JSON.stringify(small)).toBe(JSON.stringify(population.slice(0, 30)));
  });

  it('rejects bad options and names the field', () => {
    expect(() => generateDemoPopulation({ seed: 1.5, members: 1, start, end })).toThrow(
      /opts\.seed/,
    );
    expect(() => generateDemoPopulation({ seed: 1, members: -1, start, end })).toThrow(
      /opts\.members/,
    );
    expect(() => generateDemoPopulation({ seed: 1, members: 1, start: end, end: start })).toThrow(
      /opts\.end/,
    );
    expect(() =>
      generateDemoPopulation({ seed: 1, members: 1, start: new Date('nope'), end }),
    ).toThrow(/opts\.start/);
  });
});

describe('generateDemoPopulation: members', () => {
  it('has the asked number of members with unique demo references', () => {
    expect(population).toHaveLength(200);
    const refs = population.map((m) => m.member.externalRef);
    expect(new Set(refs).size).toBe(200);
    expect(refs[0]).toBe('demo-0001');
    expect(refs[199]).toBe('demo-0200');
    expect(generateDemoPopulation({ seed: 1, members: 0, start, end })).toEqual([]);
  });

  it('has the persona mix of a chronic-disease programme in every block of 20', () => {
    const counts: Record<string, number> = {};
    for (const m of population) counts[m.persona] = (counts[m.persona] ?? 0) + 1;
    expect(counts).toEqual({
      healthy: 40,
      hypertensive: 50,
      diabetic: 20,
      prediabetic: 20,
      'hypertensive-diabetic': 20,
      dyslipidemic: 20,
      pregnant: 10,
      'post-surgery': 10,
      inactive: 10,
    });
  });

  it('is aged 25–85, mostly 45–75, with both sexes and pregnancies only in women of 25–41', () => {
    const ages = population.map((m) => ageAt(m.member.birthDate ?? '', end));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(25);
    expect(Math.max(...ages)).toBeLessThanOrEqual(85);
    expect(ages.filter((a) => a >= 45 && a <= 75).length / ages.length).toBeGreaterThan(0.5);
    const men = population.filter((m) => m.member.gender === 'male').length;
    expect(men / 200).toBeGreaterThan(0.35);
    expect(men / 200).toBeLessThan(0.65);
    for (const m of population.filter((x) => x.persona === 'pregnant')) {
      expect(m.member.gender).toBe('female');
      const age = ageAt(m.member.birthDate ?? '', end);
      expect(age).toBeGreaterThanOrEqual(25);
      expect(age).toBeLessThanOrEqual(42);
    }
  });

  it('lives mostly in Shanghai time and speaks mostly Chinese, with Chinese names for zh-CN', () => {
    const zones: Record<string, number> = {};
    for (const m of population) zones[m.member.timeZone] = (zones[m.member.timeZone] ?? 0) + 1;
    expect((zones['Asia/Shanghai'] ?? 0) / 200).toBeGreaterThan(0.8);
    for (const z of ['Asia/Hong_Kong', 'America/Los_Angeles', 'Europe/London'])
      expect(zones[z]).toBeGreaterThan(0);
    const zh = population.filter((m) => m.member.locale === 'zh-CN');
    expect(zh.length / 200).toBeGreaterThan(0.8);
    expect(population.some((m) => m.member.locale === 'en')).toBe(true);
    for (const m of zh) {
      expect(m.member.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(m.nameParts.family + m.nameParts.given).toBe(m.member.name);
    }
    for (const m of population.filter((x) => x.member.locale === 'en')) {
      expect(m.member.name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)+$/);
      expect(m.member.name.endsWith(m.nameParts.family)).toBe(true);
    }
    // Names repeat (common surnames) but a population is not a handful of clones.
    expect(new Set(population.map((m) => m.member.name)).size).toBeGreaterThan(150);
  });

  it('records conditions by persona with SNOMED codes and an onset before sign-up', () => {
    const has = (m: DemoMember, code: string): boolean => m.conditions.some((c) => c.code === code);
    for (const m of population) {
      expect(has(m, '38341003')).toBe(isHypertensivePersona(m)); // hypertension
      expect(has(m, '44054006')).toBe(isDiabeticPersona(m)); // type 2 diabetes
      expect(has(m, '15777000')).toBe(m.persona === 'prediabetic');
      expect(has(m, '72892002')).toBe(m.persona === 'pregnant');
      if (m.persona === 'dyslipidemic') expect(has(m, '55822004')).toBe(true);
      if (m.persona === 'post-surgery') expect(m.conditions).toHaveLength(1);
      if (m.persona === 'healthy' || m.persona === 'inactive') expect(m.conditions).toEqual([]);
      for (const c of m.conditions) {
        expect(c.system).toBe('http://snomed.info/sct');
        expect(c.memberRef).toBe(m.member.externalRef);
        expect(c.onset! < m.engagement.signupAt.slice(0, 10) || m.persona === 'post-surgery').toBe(
          true,
        );
        expect(c.idempotencyKey).toMatch(
          new RegExp(`^seed:${SEED}:${m.member.externalRef}:condition:\\d+$`),
        );
      }
    }
  });

  it('gives treated members medication plans with daily RRULEs that rrule can run', () => {
    const all = population.flatMap((m) => m.medications.map((med) => ({ m, med })));
    expect(all.length).toBeGreaterThan(80);
    for (const { m, med } of all) {
      expect(med.rrule).toMatch(/^FREQ=DAILY;BYHOUR=\d+(,\d+)*;BYMINUTE=\d+(;COUNT=\d+)?$/);
      const rule = new RRule({
        ...RRule.parseString(med.rrule!),
        dtstart: new Date(Date.UTC(2024, 0, 1)),
      });
      const perDay = med.rrule!.split('BYHOUR=')[1]!.split(';')[0]!.split(',').length;
      expect(
        rule.between(new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 0, 1, 23, 59)), true),
      ).toHaveLength(perDay);
      expect(med.memberRef).toBe(m.member.externalRef);
      expect(['active', 'completed']).toContain(med.status);
      if (med.code) expect(med.system).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
      expect(med.dosageText).toBeTruthy();
      if (m.member.locale === 'zh-CN') expect(med.dosageText).toMatch(/每日/);
    }
    const amlodipine = all.filter(({ med }) => med.code === '197361');
    expect(amlodipine.length).toBeGreaterThan(5);
    for (const { med } of amlodipine) expect(med.rrule).toBe('FREQ=DAILY;BYHOUR=8;BYMINUTE=0');
    const metformin = all.filter(({ med }) => med.code === '861007');
    expect(metformin).toHaveLength(40); // every diabetic persona
    for (const { med } of metformin) expect(med.rrule).toBe('FREQ=DAILY;BYHOUR=8,18;BYMINUTE=0');
    // Most hypertensives are treated, a few are not (yet).
    const htn = population.filter(isHypertensivePersona);
    const treated = htn.filter((m) =>
      m.medications.some((x) => ['197361', '979492'].includes(x.code ?? '')),
    );
    expect(treated.length / htn.length).toBeGreaterThan(0.7);
    expect(treated.length).toBeLessThan(htn.length);
    // Folic acid starts before conception and ends with the pregnancy.
    for (const m of population.filter((x) => x.persona === 'pregnant')) {
      const pregnancy = m.conditions.find((c) => c.code === '72892002')!;
      const folic = m.medications.find((x) => x.code === '198640')!;
      expect(folic.authoredOn! <= pregnancy.onset!).toBe(true);
      expect(folic.status).toBe(pregnancy.abatement ? 'completed' : 'active');
    }
    // Post-operative analgesia is a finite course.
    for (const m of population.filter((x) => x.persona === 'post-surgery')) {
      expect(m.medications.some((x) => /;COUNT=21$/.test(x.rrule ?? ''))).toBe(true);
    }
  });

  it('has sign-ups inside the window, some late (new cohorts), and inactive members who vanish within days', () => {
    for (const m of population) {
      expect(m.engagement.signupAt >= start.toISOString()).toBe(true);
      expect(m.engagement.signupAt < end.toISOString()).toBe(true);
      expect(m.engagement.lastActiveAt >= m.engagement.signupAt).toBe(true);
      expect(m.engagement.appOpensPerWeek).toBeGreaterThanOrEqual(0);
    }
    const lateCohort = population.filter(
      (m) => Date.parse(m.engagement.signupAt) > start.getTime() + 60 * 86_400_000,
    );
    expect(lateCohort.length).toBeGreaterThan(10);
    for (const m of population.filter((x) => x.persona === 'inactive')) {
      const quietAfterDays =
        (Date.parse(m.engagement.lastActiveAt) - Date.parse(m.engagement.signupAt)) / 86_400_000;
      expect(quietAfterDays).toBeLessThan(10);
      expect(m.engagement.appOpensPerWeek).toBeLessThan(2);
    }
    const committed = population.filter(isHypertensivePersona);
    const meanOpens =
      committed.reduce((s, m) => s + m.engagement.appOpensPerWeek, 0) / committed.length;
    expect(meanOpens).toBeGreaterThan(3);
  });
});

describe('generateDemoPopulation: observations', () => {
  it('are normalised exactly as ingest would: catalogue indicator, canonical unit, plausible value', () => {
    const problems: string[] = [];
    let count = 0;
    for (const m of population) {
      for (const o of m.observations) {
        count++;
        const ind = indicatorById(o.indicator ?? '');
        if (!ind) {
          problems.push(`${o.idempotencyKey}: no catalogue indicator '${o.indicator}'`);
          continue;
        }
        const n = normalizeQuantity(ind, o.originalValue, o.originalUnit);
        if (!n.ok) problems.push(`${o.idempotencyKey}: ${n.message}`);
        else if (o.value !== n.value || o.unit !== n.unit)
          problems.push(`${o.idempotencyKey}: ${o.value} ${o.unit} ≠ ${n.value} ${n.unit}`);
        // The code is the indicator's primary LOINC code, except home post-meal glucose (1521-4).
        const expectedCode =
          o.indicator === 'ogtt_2h' && o.sourceKind !== 'clinic'
            ? POST_MEAL_GLUCOSE_LOINC
            : ind.primaryLoinc;
        if (o.code !== expectedCode || indicatorForLoinc(o.code)?.id !== o.indicator) {
          problems.push(`${o.idempotencyKey}: code ${o.code} for ${o.indicator}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(50_000);
  });

  it('carry seed provenance and deterministic, sequential idempotency keys', () => {
    const problems: string[] = [];
    const keys = new Set<string>();
    for (const m of population) {
      m.observations.forEach((o, i) => {
        if (o.memberRef !== m.member.externalRef || o.sourceSystem !== 'seed')
          problems.push(o.idempotencyKey);
        if (o.idempotencyKey !== `seed:${SEED}:${m.member.externalRef}:${i + 1}`)
          problems.push(o.idempotencyKey);
        keys.add(o.idempotencyKey);
      });
    }
    expect(problems).toEqual([]);
    expect(keys.size).toBe(population.reduce((s, m) => s + m.observations.length, 0));
  });

  it('fall inside the window and after the member signed up; intervals end inside it too', () => {
    const startIso = start.toISOString();
    const endIso = end.toISOString();
    const problems: string[] = [];
    for (const m of population) {
      for (const o of m.observations) {
        const inside =
          o.effectiveAt >= startIso &&
          o.effectiveAt >= m.engagement.signupAt &&
          o.effectiveAt < endIso;
        const intervalOk =
          !o.effectiveEnd || (o.effectiveEnd > o.effectiveAt && o.effectiveEnd <= endIso);
        if (!inside || !intervalOk)
          problems.push(`${o.idempotencyKey} ${o.effectiveAt}–${o.effectiveEnd}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('pair BP halves under one panel key: systolic then diastolic, same time and source', () => {
    const problems: string[] = [];
    let panels = 0;
    for (const m of population) {
      const byPanel = new Map<string, ObservationInput[]>();
      for (const o of m.observations) {
        if ((o.panelKey !== null) !== (o.indicator === 'sbp' || o.indicator === 'dbp'))
          problems.push(o.idempotencyKey);
        if (o.panelKey) byPanel.set(o.panelKey, [...(byPanel.get(o.panelKey) ?? []), o]);
      }
      for (const [key, pair] of byPanel) {
        panels++;
        const [s, d] = pair;
        const ok =
          pair.length === 2 &&
          s?.indicator === 'sbp' &&
          d?.indicator === 'dbp' &&
          s.effectiveAt === d.effectiveAt &&
          s.sourceKind === d.sourceKind &&
          s.value > d.value &&
          s.setting === (s.sourceKind === 'checkup' ? 'office' : 'home');
        if (!ok) problems.push(key);
      }
    }
    expect(problems).toEqual([]);
    expect(panels).toBeGreaterThan(10_000);
  });

  it('put hypertensive members in the grade 1–2 range on several separate days', () => {
    // 中国高血压防治指南 2018, 表3: grade 1 = 140–159 and/or 90–99 mmHg, grade 2 = 160–179 and/or
    // 100–109; hypertension range = SBP ≥ 140 or DBP ≥ 90. "Separate days" are local calendar days.
    const htn = population.filter(isHypertensivePersona);
    const withSeveralDays = htn.filter((m) => {
      const days = new Set(
        bpReadings(m, (o) => o.setting === 'home')
          .filter((r) => {
            const cls = classifyBloodPressure(r.sbp, r.dbp).cls;
            return cls === 'grade-1' || cls === 'grade-2';
          })
          .map((r) => localDate(r.o, m)),
      );
      return days.size >= 3;
    });
    expect(withSeveralDays.length / htn.length).toBeGreaterThanOrEqual(0.9);
    // …and the classifier agrees at the boundary the generator relies on (140/90 is grade 1, 139/89 not).
    expect(classifyBloodPressure(140, 80).hypertensive).toBe(true);
    expect(classifyBloodPressure(139, 89).hypertensive).toBe(false);
  });

  it('keep most healthy members normal, some high-normal, none hypertensive on average', () => {
    // High-normal (正常高值) = 120–139 and/or 80–89 mmHg (same table).
    const healthy = population.filter((m) => m.persona === 'healthy');
    const averages = healthy
      .map((m) => bpReadings(m, (o) => o.setting === 'home'))
      .filter((rs) => rs.length >= 5)
      .map((rs) => ({
        sbp: rs.reduce((s, r) => s + r.sbp, 0) / rs.length,
        dbp: rs.reduce((s, r) => s + r.dbp, 0) / rs.length,
      }));
    expect(averages.length).toBeGreaterThan(10);
    const classes = averages.map((a) => classifyBloodPressure(a.sbp, a.dbp).cls);
    expect(classes.filter((c) => c === 'high-normal').length).toBeGreaterThanOrEqual(3);
    expect(classes.filter((c) => c === 'normal').length).toBeGreaterThanOrEqual(
      averages.length / 3,
    );
    expect(classes.every((c) => c === 'normal' || c === 'high-normal')).toBe(true);
  });

  it('script a few red flags (BP ≥ 180/110, glucose < 3.9) and keep everyone else below them', () => {
    // Red-flag cut points: BP ≥ 180/110 mmHg (中国高血压防治指南 2018, grade 3 / 高血压急症评估);
    // hypoglycaemia < 3.9 mmol/L (中国2型糖尿病防治指南 2020, 低血糖); hyperglycaemic crisis screen ≥ 16.7.
    const flagged = population.filter((m) => m.redFlag);
    expect(flagged).toHaveLength(10);
    expect(flagged.filter((m) => m.redFlag?.kind === 'bp-crisis')).toHaveLength(5);
    expect(flagged.filter((m) => m.redFlag?.kind === 'hypoglycaemia')).toHaveLength(5);
    const glucoseIds = ['glucose', 'fpg', 'ogtt_2h'];
    for (const m of population) {
      const crisis = bpReadings(m).filter((r) => r.sbp >= 180 || r.dbp >= 110);
      const hypo = m.observations.filter(
        (o) => glucoseIds.includes(o.indicator ?? '') && o.value < 3.9,
      );
      const hyper = m.observations.filter(
        (o) => glucoseIds.includes(o.indicator ?? '') && o.value >= 16.7,
      );
      const hr = m.observations.filter(
        (o) => o.indicator === 'heart_rate' && (o.value < 40 || o.value > 130),
      );
      expect(hyper).toEqual([]);
      expect(hr).toEqual([]);
      if (m.redFlag?.kind === 'bp-crisis') {
        expect(isHypertensivePersona(m)).toBe(true);
        expect(crisis.map((r) => r.o.effectiveAt)).toContain(m.redFlag.at);
        expect(crisis.some((r) => r.sbp >= 180 && r.dbp >= 110)).toBe(true);
      } else expect(crisis).toEqual([]);
      if (m.redFlag?.kind === 'hypoglycaemia') {
        expect(isDiabeticPersona(m)).toBe(true);
        expect(hypo.map((o) => o.effectiveAt)).toEqual([m.redFlag.at]);
        expect(hypo[0]!.value).toBeLessThan(3.2); // "a glucose of 2.9"
        // The re-check 15 minutes later is back in range, and the member is on a sulfonylurea.
        const recheck = m.observations.find(
          (o) => Date.parse(o.effectiveAt) === Date.parse(m.redFlag!.at) + 15 * 60_000,
        );
        expect(recheck?.value).toBeGreaterThanOrEqual(3.9);
        expect(
          m.medications.some((x) => x.name.includes('格列齐特') || x.name.includes('Gliclazide')),
        ).toBe(true);
      } else expect(hypo).toEqual([]);
    }
  });

  it('show a morning surge, later weekend mornings and weekday/weekend step differences', () => {
    const htn = population.filter(isHypertensivePersona);
    let morning = 0;
    let morningN = 0;
    let evening = 0;
    let eveningN = 0;
    let weekdayHours = 0;
    let weekdayN = 0;
    let weekendHours = 0;
    let weekendN = 0;
    for (const m of htn) {
      for (const r of bpReadings(m, (o) => o.setting === 'home')) {
        const h = localHour(r.o, m);
        const t = DateTime.fromISO(r.o.effectiveAt).setZone(m.member.timeZone);
        if (h < 12) {
          morning += r.sbp;
          morningN++;
          if (t.weekday >= 6) {
            weekendHours += h;
            weekendN++;
          } else {
            weekdayHours += h;
            weekdayN++;
          }
        } else {
          evening += r.sbp;
          eveningN++;
        }
      }
    }
    expect(morning / morningN - evening / eveningN).toBeGreaterThan(3);
    expect(weekendHours / weekendN - weekdayHours / weekdayN).toBeGreaterThan(0.4);
    const withSteps = population.filter(
      (m) => m.observations.filter((o) => o.indicator === 'steps').length > 30,
    );
    expect(withSteps.length).toBeGreaterThan(100);
    const differing = withSteps.filter((m) => {
      const steps = m.observations.filter((o) => o.indicator === 'steps');
      const isWeekend = (o: ObservationInput): boolean =>
        DateTime.fromISO(o.effectiveAt).setZone(m.member.timeZone).weekday >= 6;
      const mean = (xs: ObservationInput[]): number =>
        xs.reduce((s, o) => s + o.value, 0) / Math.max(1, xs.length);
      return (
        Math.abs(mean(steps.filter(isWeekend)) / mean(steps.filter((o) => !isWeekend(o))) - 1) >
        0.08
      );
    });
    expect(differing.length / withSteps.length).toBeGreaterThan(0.4);
    // Steps are whole local days.
    const s = withSteps[0]!.observations.find((o) => o.indicator === 'steps')!;
    expect(Date.parse(s.effectiveEnd!) - Date.parse(s.effectiveAt)).toBeGreaterThanOrEqual(
      23 * 3_600_000,
    );
  });

  it('have realistic gaps: skipped days, lapses of several days, and members who stop measuring', () => {
    const htn = population.filter(isHypertensivePersona);
    let skipping = 0;
    let withLongGap = 0;
    for (const m of htn) {
      const days = [
        ...new Set(bpReadings(m, (o) => o.setting === 'home').map((r) => localDate(r.o, m))),
      ].sort();
      const span =
        DateTime.fromISO(days[days.length - 1]!).diff(DateTime.fromISO(days[0]!), 'days').days + 1;
      if (days.length < span) skipping++;
      const gaps = days
        .slice(1)
        .map((d, i) => DateTime.fromISO(d).diff(DateTime.fromISO(days[i]!), 'days').days);
      if (gaps.some((g) => g >= 4)) withLongGap++;
    }
    expect(skipping / htn.length).toBeGreaterThan(0.8);
    expect(withLongGap).toBeGreaterThan(10);
    // Members who stopped: joined early, and nothing at all from their devices or themselves for
    // the last 30 days (wearables stop syncing too).
    const stopped = population.filter((m) => {
      const own = home(m).filter((o) => o.indicator !== 'height');
      const last = own.reduce(
        (t, o) => Math.max(t, Date.parse(o.effectiveEnd ?? o.effectiveAt)),
        0,
      );
      return (
        m.persona !== 'inactive' &&
        own.length > 20 &&
        Date.parse(m.engagement.signupAt) < start.getTime() + 60 * 86_400_000 &&
        last < end.getTime() - 30 * 86_400_000
      );
    });
    expect(stopped.length).toBeGreaterThanOrEqual(5);
  });

  it('give diabetics fasting and post-meal glucose, some from mg/dL meters', () => {
    const diabetics = population.filter(isDiabeticPersona);
    let fasting = 0;
    let postMeal = 0;
    let fastingN = 0;
    let postMealN = 0;
    for (const m of diabetics) {
      const f = home(m).filter((o) => o.indicator === 'fpg');
      const p = home(m).filter((o) => o.code === POST_MEAL_GLUCOSE_LOINC);
      expect(f.length).toBeGreaterThan(5);
      fasting += f.reduce((s, o) => s + o.value, 0);
      fastingN += f.length;
      postMeal += p.reduce((s, o) => s + o.value, 0);
      postMealN += p.length;
    }
    expect(postMeal / postMealN - fasting / fastingN).toBeGreaterThan(1.5);
    const mgdl = population.flatMap((m) => home(m)).filter((o) => o.originalUnit === 'mg/dL');
    const mmol = population
      .flatMap((m) => home(m))
      .filter((o) => o.indicator === 'fpg' && o.originalUnit === 'mmol/L');
    expect(mgdl.length).toBeGreaterThan(0);
    expect(mmol.length).toBeGreaterThan(mgdl.length);
    for (const o of mgdl) expect(Number.isInteger(o.originalValue)).toBe(true);
    // Prediabetic home readings stay below the diagnostic cut points (FPG 7.0, 2-h 11.1 mmol/L;
    // 中国2型糖尿病防治指南 2020, 表3) so the persona keeps its meaning in the profile.
    for (const m of population.filter((x) => x.persona === 'prediabetic')) {
      for (const o of m.observations) {
        if (o.indicator === 'fpg') expect(o.value).toBeLessThan(7.0);
        if (o.indicator === 'ogtt_2h') expect(o.value).toBeLessThan(11.1);
      }
    }
  });

  it('add checkups once or twice a year with lipids, kidney markers and waist, sourceKind checkup', () => {
    const panel = [
      'sbp',
      'dbp',
      'fpg',
      'tc',
      'ldl',
      'hdl',
      'tg',
      'creatinine',
      'uric_acid',
      'weight',
      'height',
      'waist',
    ];
    let members = 0;
    for (const m of population) {
      const checkups = m.observations.filter((o) => o.sourceKind === 'checkup');
      const dates = [...new Set(checkups.map((o) => o.effectiveAt))];
      expect(dates.length).toBeLessThanOrEqual(2); // six months: at most the annual and a half-yearly one
      if (dates.length > 0) members++;
      for (const at of dates) {
        const ids = checkups.filter((o) => o.effectiveAt === at).map((o) => o.indicator);
        for (const id of panel) expect(ids).toContain(id);
        const v = (id: string): number =>
          checkups.find((o) => o.effectiveAt === at && o.indicator === id)!.value;
        // Friedewald (mmol/L): LDL-C = TC − HDL-C − TG/2.2 (Friedewald et al., Clin Chem 1972).
        expect(Math.abs(v('ldl') - (v('tc') - v('hdl') - v('tg') / 2.2))).toBeLessThan(0.45);
      }
      if (m.persona === 'pregnant') expect(dates).toEqual([]);
    }
    expect(members).toBeGreaterThan(140);
    // LA members' reports come in US units; London's HbA1c in IFCC mmol/mol.
    const la = population
      .filter((m) => m.member.timeZone === 'America/Los_Angeles')
      .flatMap((m) => m.observations);
    expect(la.filter((o) => o.indicator === 'tc').every((o) => o.originalUnit === 'mg/dL')).toBe(
      true,
    );
    const london = population
      .filter((m) => m.member.timeZone === 'Europe/London')
      .flatMap((m) => m.observations);
    expect(
      london.filter((o) => o.indicator === 'hba1c').every((o) => o.originalUnit === 'mmol/mol'),
    ).toBe(true);
    // Diabetics have a quarterly HbA1c in clinic or at the checkup.
    for (const m of population.filter(isDiabeticPersona)) {
      if (Date.parse(m.engagement.signupAt) < start.getTime() + 30 * 86_400_000) {
        expect(m.observations.filter((o) => o.indicator === 'hba1c').length).toBeGreaterThanOrEqual(
          1,
        );
      }
    }
  });
});
