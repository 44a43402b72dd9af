import { describe, expect, it } from 'vitest';
import { distanceKm, matchTriggers } from './matchTriggers.ts';
import { nextScheduledFirings } from './nextScheduledFirings.ts';
import type { EnrollmentState, ProgramEvent, ProgramMember } from './programRuntime.ts';
import { runSteps } from './runSteps.ts';
import { context, enrolled, header, loadProgram, shanghai } from './testdata/testProgram.ts';

const done = `sequences:
  main:
    - { id: hello, kind: message, priority: clinical, purpose: alert, channels: [in-app], text: { zh-CN: '读数 {{reading.value}}', en: 'Reading {{reading.value}}' } }
    - { id: measure, kind: member-task, title: { zh-CN: 测量, en: Measure }, due: { by: '21:00' }, points: 5 }
`;

const program = loadProgram(`${header('clinical')}
triggers:
  - { id: any-reading, kind: event, on: observation, start: main }
  - { id: sbp-reading, kind: event, on: observation, indicator: sbp, start: main }
  - { id: crisis, kind: event, on: red-flag, flag: bp-crisis, start: main }
  - { id: measured, kind: event, on: task-done, task: measure, start: main }
  - { id: morning-dose, kind: relative, after: { on: medication-taken, between: ['04:00', '11:00'] }, delay: 3h, cooldown: 20h, start: main }
  - { id: night-dose, kind: relative, after: { on: medication-taken, between: ['20:00', '02:00'] }, delay: 30m, start: main }
  - { id: no-bp, kind: absence, of: { indicator: sbp }, for: 3d, backoff: [4d], start: main }
  - { id: silent, kind: absence, of: { activity: any }, for: 3d, start: main }
  - { id: inactive, kind: absence, of: { activity: health }, for: 3d, start: main }
  - { id: high-sbp, kind: threshold, indicator: sbp, above: 160, reset: 150, start: main }
  - { id: low-glucose-avg, kind: threshold, fact: avg7.glucose, below: 4.4, reset: 5.0, start: main }
  - { id: near-clinic, kind: location, near: partner-clinic, withinKm: 3, start: main }
  - { id: weekly, kind: schedule, rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0', start: main }
  - { id: doses, kind: schedule, medications: true, start: main }
  - { id: birthday, kind: date, date: birthday, at: '09:00', start: main }
  - { id: anniversary, kind: date, date: enrollment-anniversary, at: '10:00', start: main }
  - { id: renewal-90, kind: date, date: package-expiry, offsetDays: -90, at: '10:00', start: main }
  - { id: guarded, kind: event, on: app-open, when: 'latest.sbp >= 140.0', start: main }
${done}`);

const enrolledAt = '2025-03-03T09:00:00+08:00';
const fresh = (): EnrollmentState => enrolled(program, enrolledAt);
const ids = (xs: { triggerId: string }[]): string[] => xs.map((x) => x.triggerId).sort();
const match = (event: ProgramEvent, state = fresh(), facts = {}) =>
  matchTriggers(
    program,
    state,
    event,
    context(event.at, { facts: { 'tag.hypertension': true, ...facts } }),
  );

describe('event triggers', () => {
  it('filter observations by indicator', () => {
    const sbp = match({
      kind: 'observation',
      at: '2025-03-04T08:00:00+08:00',
      indicator: 'sbp',
      value: 142,
    });
    expect(ids(sbp.firings)).toEqual(['any-reading', 'sbp-reading']);
    expect(sbp.firings.find((f) => f.triggerId === 'sbp-reading')).toEqual({
      triggerId: 'sbp-reading',
      at: '2025-03-04T08:00:00+08:00',
      flowId: 'sbp-reading@2025-03-04T08:00:00+08:00',
      vars: { 'reading.value': 142, 'reading.indicator': 'sbp' },
    });
    const glucose = match({
      kind: 'observation',
      at: '2025-03-04T08:00:00+08:00',
      indicator: 'glucose',
      value: 6,
    });
    expect(ids(glucose.firings)).toEqual(['any-reading']);
  });
  it('filter red flags by flag and task-done by the program’s own task', () => {
    expect(
      ids(match({ kind: 'red-flag', at: '2025-03-04T08:00:00Z', flag: 'bp-crisis' }).firings),
    ).toEqual(['crisis']);
    expect(
      match({ kind: 'red-flag', at: '2025-03-04T08:00:00Z', flag: 'hypoglycaemia' }).firings,
    ).toEqual([]);
    expect(
      ids(
        match({
          kind: 'task-done',
          at: '2025-03-04T08:00:00Z',
          programId: 'test-program',
          stepId: 'measure',
        }).firings,
      ),
    ).toEqual(['measured']);
    expect(
      match({
        kind: 'task-done',
        at: '2025-03-04T08:00:00Z',
        programId: 'other',
        stepId: 'measure',
      }).firings,
    ).toEqual([]);
  });
  it('check the guard when the firing runs, with the facts of that moment', () => {
    const [firing] = match({ kind: 'app-open', at: '2025-03-04T08:00:00Z' }).firings;
    const ctx = context('2025-03-04T08:00:00Z', { facts: { 'latest.sbp': 130 } });
    const skipped = runSteps(program, fresh(), { firing: firing! }, ctx);
    expect(skipped.effects).toEqual([]);
    expect(skipped.skipped).toBe("guard of trigger 'guarded' is false: latest.sbp >= 140.0");
    const ran = runSteps(
      program,
      fresh(),
      { firing: firing! },
      { ...ctx, facts: { 'latest.sbp': 141 } },
    );
    expect(ran.effects.map((e) => e.kind)).toEqual(['message', 'member-task']);
  });
});

describe('relative triggers: 3 h after the morning dose', () => {
  it('fire 3 h after a dose taken in the local morning window, not after an evening dose', () => {
    const morning = match({
      kind: 'medication-taken',
      at: '2025-03-04T07:30:00+08:00',
      medication: '氨氯地平',
    });
    expect(morning.firings).toEqual([
      {
        triggerId: 'morning-dose',
        at: '2025-03-04T02:30:00.000Z',
        flowId: 'morning-dose@2025-03-04T07:30:00+08:00',
        vars: { 'medication.name': '氨氯地平' },
      },
    ]);
    // 11:00 is the window's open end; 03:59 is before it.
    expect(match({ kind: 'medication-taken', at: '2025-03-04T11:00:00+08:00' }).firings).toEqual(
      [],
    );
    expect(match({ kind: 'medication-taken', at: '2025-03-04T03:59:00+08:00' }).firings).toEqual(
      [],
    );
    expect(
      ids(match({ kind: 'medication-taken', at: '2025-03-04T04:00:00+08:00' }).firings),
    ).toEqual(['morning-dose']);
  });
  it('read the window on the member’s clock: 07:30 in New York is a morning dose', () => {
    const ny: ProgramMember = { locale: 'en', timeZone: 'America/New_York' };
    const r = matchTriggers(
      program,
      fresh(),
      { kind: 'medication-taken', at: '2025-03-04T12:30:00Z' },
      context('2025-03-04T12:30:00Z', { member: ny }),
    );
    expect(ids(r.firings)).toEqual(['morning-dose']);
  });
  it('handle a window that spans midnight', () => {
    expect(
      ids(match({ kind: 'medication-taken', at: '2025-03-04T23:30:00+08:00' }).firings),
    ).toEqual(['night-dose']);
    expect(
      ids(match({ kind: 'medication-taken', at: '2025-03-05T01:59:00+08:00' }).firings),
    ).toEqual(['night-dose']);
    expect(match({ kind: 'medication-taken', at: '2025-03-05T02:00:00+08:00' }).firings).toEqual(
      [],
    );
  });
  it('cool down: a second morning dose within 20 h does not start another check', () => {
    const [first] = match({ kind: 'medication-taken', at: '2025-03-04T07:00:00+08:00' }).firings;
    const ran = runSteps(
      program,
      fresh(),
      { firing: first! },
      context('2025-03-04T10:00:00+08:00'),
    );
    const [second] = match(
      { kind: 'medication-taken', at: '2025-03-04T10:00:00+08:00' },
      ran.state,
    ).firings;
    const skipped = runSteps(
      program,
      ran.state,
      { firing: second! },
      context('2025-03-04T13:00:00+08:00'),
    );
    expect(skipped.skipped).toBe(
      "trigger 'morning-dose' is cooling down until 2025-03-04T22:00:00.000Z",
    );
    const [next] = match(
      { kind: 'medication-taken', at: '2025-03-05T07:00:00+08:00' },
      ran.state,
    ).firings;
    expect(
      runSteps(program, ran.state, { firing: next! }, context('2025-03-05T10:00:00+08:00')).effects,
    ).toHaveLength(2);
  });
});

describe('absence triggers: no BP reading for 3 days', () => {
  const absence = (state: EnrollmentState, from: string, to: string) =>
    nextScheduledFirings(program, state, shanghai, new Date(from), new Date(to)).filter(
      (f) => f.triggerId === 'no-bp',
    );

  it('count from the enrollment when there is no reading', () => {
    expect(
      absence(fresh(), '2025-03-03T00:00:00Z', '2025-04-01T00:00:00Z').map((f) => f.at),
    ).toEqual(['2025-03-06T01:00:00.000Z']);
  });

  it('restart at each reading, fire 3 days later, then once more after the back-off, then stop', () => {
    let state = match({
      kind: 'observation',
      at: '2025-03-05T07:30:00+08:00',
      indicator: 'sbp',
      value: 140,
    }).state;
    const [first] = absence(state, '2025-03-03T00:00:00Z', '2025-04-01T00:00:00Z');
    expect(first!.at).toBe('2025-03-07T23:30:00.000Z'); // 2025-03-08 07:30 local: day 4 after the reading
    state = runSteps(program, state, { firing: first! }, context(first!.at)).state;
    const [second] = absence(state, first!.at, '2025-04-01T00:00:00Z');
    expect(second!.at).toBe('2025-03-11T23:30:00.000Z'); // 4 more days
    state = runSteps(program, state, { firing: second! }, context(second!.at)).state;
    expect(absence(state, second!.at, '2025-06-01T00:00:00Z')).toEqual([]);
    // A new reading starts the clock again.
    state = match(
      { kind: 'observation', at: '2025-03-20T20:00:00+08:00', indicator: 'sbp', value: 138 },
      state,
    ).state;
    expect(absence(state, '2025-03-20T00:00:00Z', '2025-06-01T00:00:00Z').map((f) => f.at)).toEqual(
      ['2025-03-23T12:00:00.000Z'],
    );
  });

  it('skip a stale timer: the member measured after the timer was set', () => {
    const [timer] = absence(fresh(), '2025-03-03T00:00:00Z', '2025-04-01T00:00:00Z');
    const measured = match({
      kind: 'observation',
      at: '2025-03-05T20:00:00+08:00',
      indicator: 'sbp',
      value: 135,
    }).state;
    const r = runSteps(program, measured, { firing: timer! }, context(timer!.at));
    expect(r.effects).toEqual([]);
    expect(r.skipped).toContain('stale absence timer');
  });

  it('ignore other indicators; "health" activity counts doses but not app opens; "any" counts both', () => {
    const glucose = match({
      kind: 'observation',
      at: '2025-03-05T08:00:00Z',
      indicator: 'glucose',
      value: 5.5,
    }).state;
    expect(glucose.triggers['no-bp']).toBeUndefined();
    expect(glucose.triggers['inactive']?.lastSeenAt).toBe('2025-03-05T08:00:00.000Z');
    const opened = match({ kind: 'app-open', at: '2025-03-05T08:00:00Z' }).state;
    expect(opened.triggers['inactive']).toBeUndefined();
    expect(opened.triggers['silent']?.lastSeenAt).toBe('2025-03-05T08:00:00.000Z');
    const dose = match({ kind: 'medication-taken', at: '2025-03-05T08:00:00Z' }).state;
    expect(dose.triggers['inactive']?.lastSeenAt).toBe('2025-03-05T08:00:00.000Z');
    const location = match({
      kind: 'location',
      at: '2025-03-05T08:00:00Z',
      lat: 31.2,
      lon: 121.4,
    }).state;
    expect(location.triggers['silent']).toBeUndefined();
  });
});

describe('threshold triggers with hysteresis', () => {
  const reading = (value: number, state: EnrollmentState, at = '2025-03-05T08:00:00Z') =>
    match({ kind: 'observation', at, indicator: 'sbp', value }, state);
  const fires = (r: { firings: { triggerId: string }[] }): boolean =>
    r.firings.some((f) => f.triggerId === 'high-sbp');

  it('fire at ≥ 160, not at 159; then stay quiet until a value below 150 re-arms them', () => {
    expect(fires(reading(159, fresh()))).toBe(false);
    const crossed = reading(160, fresh());
    expect(fires(crossed)).toBe(true);
    expect(crossed.state.triggers['high-sbp']?.armed).toBe(false);
    const stillHigh = reading(170, crossed.state);
    expect(fires(stillHigh)).toBe(false);
    const notReset = reading(150, stillHigh.state); // 150 is not below the reset value
    expect(notReset.state.triggers['high-sbp']?.armed).toBe(false);
    const reset = reading(149, notReset.state);
    expect(reset.state.triggers['high-sbp']?.armed).toBe(true);
    expect(fires(reading(161, reset.state))).toBe(true);
  });

  it('read a numeric fact for `below`: fire under 4.4, re-arm at ≥ 5.0', () => {
    const obs = (avg: number, state: EnrollmentState) =>
      match(
        { kind: 'observation', at: '2025-03-05T08:00:00Z', indicator: 'glucose', value: avg },
        state,
        { 'avg7.glucose': avg },
      );
    const low = (r: { firings: { triggerId: string }[] }): boolean =>
      r.firings.some((f) => f.triggerId === 'low-glucose-avg');
    expect(low(obs(4.4, fresh()))).toBe(false);
    const crossed = obs(4.39, fresh());
    expect(low(crossed)).toBe(true);
    expect(obs(4.99, crossed.state).state.triggers['low-glucose-avg']?.armed).toBe(false);
    expect(obs(5.0, crossed.state).state.triggers['low-glucose-avg']?.armed).toBe(true);
  });
});

describe('location triggers', () => {
  const clinic = {
    kind: 'partner-clinic' as const,
    name: '静安社区卫生服务中心',
    lat: 31.2286,
    lon: 121.4484,
  };
  const at = (lat: number, lon: number, state: EnrollmentState) =>
    matchTriggers(
      program,
      state,
      { kind: 'location', at: '2025-03-05T08:00:00Z', lat, lon },
      context('2025-03-05T08:00:00Z', { places: [clinic] }),
    );

  it('measure distance by the haversine formula (1° of latitude ≈ 111.2 km)', () => {
    expect(distanceKm({ lat: 31, lon: 121 }, { lat: 32, lon: 121 })).toBeCloseTo(111.2, 1);
  });

  it('fire on coming within 3 km, once, and re-arm only beyond 4.5 km', () => {
    const km = 1 / 111.2; // degrees of latitude per km
    const far = at(clinic.lat + 5 * km, clinic.lon, enrolled(program, enrolledAt));
    expect(far.firings).toEqual([]);
    const near = at(clinic.lat + 2.9 * km, clinic.lon, far.state);
    expect(near.firings[0]).toMatchObject({
      triggerId: 'near-clinic',
      vars: { 'place.name': clinic.name, 'place.distanceKm': 2.9 },
    });
    expect(at(clinic.lat + 1 * km, clinic.lon, near.state).firings).toEqual([]);
    const edge = at(clinic.lat + 4 * km, clinic.lon, near.state);
    expect(edge.state.triggers['near-clinic']?.inside).toBe(true);
    const left = at(clinic.lat + 4.6 * km, clinic.lon, edge.state);
    expect(left.state.triggers['near-clinic']?.inside).toBe(false);
    expect(at(clinic.lat + 2 * km, clinic.lon, left.state).firings).toHaveLength(1);
  });
});

describe('scheduled triggers', () => {
  const window = (member: ProgramMember, from: string, to: string, state = fresh()) =>
    nextScheduledFirings(program, state, member, new Date(from), new Date(to));

  it('put weekly schedules on each member’s clock (Sunday 19:00 in Shanghai and in London)', () => {
    const sh = window(shanghai, '2025-03-03T00:00:00Z', '2025-03-17T00:00:00Z').filter(
      (f) => f.triggerId === 'weekly',
    );
    expect(sh.map((f) => f.at)).toEqual(['2025-03-09T11:00:00.000Z', '2025-03-16T11:00:00.000Z']);
    const london: ProgramMember = { locale: 'en', timeZone: 'Europe/London' };
    const ld = window(london, '2025-03-03T00:00:00Z', '2025-04-07T00:00:00Z').filter(
      (f) => f.triggerId === 'weekly',
    );
    // BST starts 2025-03-30: 19:00 local is 18:00 UTC from then on.
    expect(ld.map((f) => f.at).slice(-2)).toEqual([
      '2025-03-30T18:00:00.000Z',
      '2025-04-06T18:00:00.000Z',
    ]);
  });

  it('turn each active medication order into dose-time firings with its name', () => {
    const member: ProgramMember = {
      ...shanghai,
      medications: [
        {
          id: 'm1',
          name: '氨氯地平片',
          rrule: 'FREQ=DAILY;BYHOUR=8;BYMINUTE=0',
          dosageText: '5 mg 每日一次',
        },
        {
          id: 'm2',
          name: '二甲双胍',
          rrule: 'FREQ=DAILY;BYHOUR=8,18;BYMINUTE=30',
          status: 'stopped',
        },
        { id: 'm3', name: '阿司匹林', rrule: null },
      ],
    };
    const doses = window(member, '2025-03-04T00:00:00+08:00', '2025-03-05T00:00:00+08:00').filter(
      (f) => f.triggerId === 'doses',
    );
    expect(doses).toEqual([
      {
        triggerId: 'doses',
        at: '2025-03-04T00:00:00.000Z',
        flowId: 'doses:m1@2025-03-04T00:00:00.000Z',
        vars: { 'medication.name': '氨氯地平片', 'medication.dosage': '5 mg 每日一次' },
      },
    ]);
  });

  it('fire on birthdays (29 February on the 28th in common years), anniversaries and package expiry −90 days', () => {
    const member: ProgramMember = {
      ...shanghai,
      birthDate: '1960-02-29',
      packages: [
        {
          id: 'p1',
          name: { 'zh-CN': '高血压年度服务包', en: 'Hypertension annual package' },
          expiresOn: '2026-06-30',
        },
      ],
    };
    const all = window(member, '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
    const of = (id: string) => all.filter((f) => f.triggerId === id);
    expect(of('birthday').map((f) => f.at)).toEqual(['2026-02-28T01:00:00.000Z']);
    expect(of('anniversary')).toEqual([
      {
        triggerId: 'anniversary',
        at: '2026-03-03T02:00:00.000Z',
        flowId: 'anniversary@2026-03-03T02:00:00.000Z',
        vars: { 'enrollment.years': 1 },
      },
    ]);
    // 2026-06-30 − 90 days = 2026-04-01.
    expect(of('renewal-90')).toEqual([
      {
        triggerId: 'renewal-90',
        at: '2026-04-01T02:00:00.000Z',
        flowId: 'renewal-90:p1@2026-04-01T02:00:00.000Z',
        vars: {
          'package.name': member.packages![0]!.name,
          'package.expiresOn': '2026-06-30',
          'package.daysLeft': 90,
        },
      },
    ]);
    const leap = window(member, '2028-01-01T00:00:00+08:00', '2028-12-31T00:00:00+08:00');
    expect(leap.filter((f) => f.triggerId === 'birthday').map((f) => f.at)).toEqual([
      '2028-02-29T01:00:00.000Z',
    ]);
  });

  it('stop for an exited enrollment', () => {
    const exited: EnrollmentState = { ...fresh(), status: 'exited', exitReason: 'done' };
    expect(window(shanghai, '2025-03-03T00:00:00Z', '2025-04-03T00:00:00Z', exited)).toEqual([]);
    expect(match({ kind: 'app-open', at: '2025-03-05T08:00:00Z' }, exited).firings).toEqual([]);
  });
});
