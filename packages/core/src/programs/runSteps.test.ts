import { describe, expect, it } from 'vitest';
import { migrateEnrollment } from './enrollment.ts';
import type { ProgramEffect } from './programRuntime.ts';
import { runSteps } from './runSteps.ts';
import { context, enrolled, header, loadProgram } from './testdata/testProgram.ts';

const kinds = (effects: ProgramEffect[]): string[] =>
  effects.map((e) => `${e.kind}:${'stepId' in e ? e.stepId : ''}`);

const flowProgram =
  loadProgram(`${header('clinical', 'exit: has(tag.hypertension) && !tag.hypertension')}
templates:
  greet: { zh-CN: '{{member.name}}，您好！第 {{enrollment.week}} 周', en: 'Hello {{member.name}}! Week {{enrollment.week}}' }
triggers:
  - { id: opened, kind: event, on: app-open, start: main }
sequences:
  main:
    - { id: hello, kind: message, priority: care, purpose: reminder, channels: [in-app, sms], template: greet }
    - id: reading
      kind: message
      priority: clinical
      purpose: summary
      channels: [in-app]
      text: { zh-CN: '最近血压 {{latest.sbp}}/{{latest.dbp}} mmHg', en: 'Latest BP {{latest.sbp}}/{{latest.dbp}} mmHg' }
    - id: measure
      kind: member-task
      title: { zh-CN: 测量血压, en: Measure your BP }
      due: { within: 1d }
      points: 10
      completedBy: { indicator: sbp }
    - id: call
      kind: care-team-task
      role: manager
      slaMinutes: 30
      priority: urgent
      title: { zh-CN: 联系会员, en: Call the member }
    - { id: pause, kind: wait, for: 3h }
    - id: check
      kind: branch
      cases:
        - when: latest.sbp >= 180.0
          then:
            - { id: very-high, kind: message, priority: clinical, purpose: alert, channels: [in-app], text: { zh-CN: 很高, en: Very high } }
        - when: latest.sbp >= 140.0
          then: high
      else:
        - { id: fine, kind: message, priority: care, purpose: summary, channels: [in-app], text: { zh-CN: 正常, en: Fine } }
    - { id: evening, kind: wait, until: '20:00' }
    - { id: reached, kind: goal, goal: measured }
  high:
    - { id: high-msg, kind: message, priority: clinical, purpose: alert, channels: [in-app], text: { zh-CN: 偏高, en: High } }
    - { id: leave, kind: exit, reason: escalated }
`);

const facts = { 'tag.hypertension': true, 'latest.sbp': 150, 'latest.dbp': 95.46 };

describe('runSteps', () => {
  const state0 = enrolled(flowProgram, '2025-03-03T09:00:00+08:00');
  const start = { stepId: 'hello', flowId: 'f1' };

  it('renders texts with facts and built-ins and stops at a wait, recording the paused flow', () => {
    const now = '2025-03-12T10:00:00+08:00'; // enrollment day 10 → week 2
    const r = runSteps(flowProgram, state0, start, context(now, { facts }));
    expect(kinds(r.effects)).toEqual([
      'message:hello',
      'message:reading',
      'member-task:measure',
      'care-team-task:call',
      'wait:pause',
    ]);
    const [hello, reading, task, call, wait] = r.effects;
    expect(hello).toMatchObject({
      text: { 'zh-CN': '李华，您好！第 2 周', en: 'Hello 李华! Week 2' },
      channels: ['in-app', 'sms'],
      priority: 'care',
      purpose: 'reminder',
      key: 'test-program@1:f1:hello',
      dedupeKey: 'test-program:hello:2025-03-12',
    });
    expect(reading).toMatchObject({ text: { en: 'Latest BP 150/95.5 mmHg' } });
    expect(task).toMatchObject({
      dueAt: '2025-03-13T02:00:00.000Z',
      points: 10,
      completedBy: { indicator: 'sbp' },
    });
    expect(call).toMatchObject({
      role: 'manager',
      slaMinutes: 30,
      priority: 'urgent',
      dueAt: '2025-03-12T02:30:00.000Z',
    });
    expect(wait).toMatchObject({ until: '2025-03-12T05:00:00.000Z' });
    expect(r.state.waiting).toEqual([
      { flowId: 'f1', stepId: 'check', until: '2025-03-12T05:00:00.000Z', vars: {} },
    ]);
  });

  it('resumes a wait only when it is due, and only once', () => {
    const paused = runSteps(
      flowProgram,
      state0,
      start,
      context('2025-03-12T10:00:00+08:00', { facts }),
    ).state;
    const early = runSteps(
      flowProgram,
      paused,
      { resume: 'f1' },
      context('2025-03-12T12:59:00+08:00', { facts }),
    );
    expect(early.effects).toEqual([]);
    expect(early.skipped).toContain('waits until');
    const resumed = runSteps(
      flowProgram,
      paused,
      { resume: 'f1' },
      context('2025-03-12T13:00:00+08:00', { facts }),
    );
    // 150 mmHg takes the second case, which goes to `high` and exits there.
    expect(kinds(resumed.effects)).toEqual(['message:high-msg', 'exit:leave']);
    expect(resumed.state).toMatchObject({ status: 'exited', exitReason: 'escalated', waiting: [] });
    const again = runSteps(
      flowProgram,
      resumed.state,
      { resume: 'f1' },
      context('2025-03-12T13:00:00+08:00', { facts }),
    );
    expect(again.effects).toEqual([]);
  });

  it('takes the first matching case, then continues after the branch; else when none match', () => {
    const paused = runSteps(
      flowProgram,
      state0,
      start,
      context('2025-03-12T10:00:00+08:00', { facts }),
    ).state;
    const at = context('2025-03-12T13:00:00+08:00', { facts: { ...facts, 'latest.sbp': 185 } });
    const crisis = runSteps(flowProgram, paused, { resume: 'f1' }, at);
    expect(kinds(crisis.effects)).toEqual(['message:very-high', 'wait:evening']);
    expect(crisis.effects[1]).toMatchObject({ until: '2025-03-12T12:00:00.000Z' });
    const fine = runSteps(
      flowProgram,
      paused,
      { resume: 'f1' },
      { ...at, facts: { ...facts, 'latest.sbp': 120 } },
    );
    expect(kinds(fine.effects)).toEqual(['message:fine', 'wait:evening']);
    const evening = runSteps(
      flowProgram,
      fine.state,
      { resume: 'f1' },
      context('2025-03-12T20:00:00+08:00', { facts }),
    );
    expect(kinds(evening.effects)).toEqual(['goal:reached']);
    expect(evening.state.variables['goal.measured']).toBe('2025-03-12T12:00:00.000Z');
    expect(evening.state.status).toBe('active');
  });

  it('a missing fact renders as a dash and makes a condition false', () => {
    const r = runSteps(
      flowProgram,
      state0,
      { stepId: 'reading', flowId: 'f2' },
      context('2025-03-03T10:00:00+08:00'),
    );
    expect(r.effects[0]).toMatchObject({ text: { en: 'Latest BP —/— mmHg' } });
  });

  it('ends the enrollment when the exit criteria hold, before running anything', () => {
    const r = runSteps(
      flowProgram,
      state0,
      start,
      context('2025-03-03T10:00:00+08:00', { facts: { 'tag.hypertension': false } }),
    );
    expect(r.effects).toEqual([
      {
        kind: 'exit',
        key: 'test-program@1:f1:exit-criteria',
        stepId: null,
        flowId: 'f1',
        reason: 'exit criteria met: has(tag.hypertension) && !tag.hypertension',
      },
    ]);
    expect(
      runSteps(flowProgram, r.state, start, context('2025-03-03T10:00:00+08:00', { facts }))
        .skipped,
    ).toContain('exited');
  });

  it('refuses to run a state of another version (an enrollment stays on its version)', () => {
    const v2 = loadProgram(`${header().replace('version: 1', 'version: 2')}
triggers:
  - { id: opened, kind: event, on: app-open, start: main }
sequences:
  main:
    - { id: hello, kind: goal, goal: x }
`);
    expect(() => runSteps(v2, state0, start, context('2025-03-03T10:00:00+08:00'))).toThrow(
      /test-program@1, not test-program@2/,
    );
    const migrated = migrateEnrollment(state0, v2);
    expect(migrated.ok && migrated.state.version).toBe('2');
    const paused = runSteps(
      flowProgram,
      state0,
      start,
      context('2025-03-12T10:00:00+08:00', { facts }),
    ).state;
    const blocked = migrateEnrollment(paused, v2);
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.problems[0]).toContain("step 'check'");
  });
});

describe('random split', () => {
  const split = loadProgram(`${header()}
triggers:
  - { id: opened, kind: event, on: app-open, start: main }
sequences:
  main:
    - id: experiment
      kind: split
      arms:
        - { name: short, weight: 1, then: [{ id: a, kind: goal, goal: a }] }
        - { name: long, weight: 3, then: [{ id: b, kind: goal, goal: b }] }
    - { id: after, kind: goal, goal: after }
`);
  const s0 = enrolled(split, '2025-03-03T00:00:00Z');
  const runWith = (r: number, state = s0) =>
    runSteps(
      split,
      state,
      { stepId: 'experiment', flowId: `f${r}` },
      context('2025-03-03T10:00:00Z', { random: () => r }),
    );

  it('assigns arms by weight: [0, 0.25) → short, [0.25, 1) → long', () => {
    expect(kinds(runWith(0).effects)).toEqual(['goal:a', 'goal:after']);
    expect(kinds(runWith(0.2499).effects)).toEqual(['goal:a', 'goal:after']);
    expect(kinds(runWith(0.25).effects)).toEqual(['goal:b', 'goal:after']);
    expect(kinds(runWith(0.9999).effects)).toEqual(['goal:b', 'goal:after']);
  });

  it('keeps a member in their arm (sticky), whatever the next draw', () => {
    const first = runWith(0.1);
    expect(first.state.variables['split.experiment']).toBe('short');
    expect(kinds(runWith(0.9, first.state).effects)).toEqual(['goal:a', 'goal:after']);
  });
});

describe('content series', () => {
  const lessons = loadProgram(`${header(
    'care',
    `content:
  lessons:
    - { knowledge: { zh-CN: 第一课, en: Lesson one } }
    - { knowledge: { zh-CN: 第二课, en: Lesson two } }`,
  )}
triggers:
  - { id: opened, kind: event, on: app-open, start: main }
sequences:
  main:
    - { id: lesson, kind: message, priority: care, purpose: education, channels: [in-app], content: { series: lessons, part: knowledge } }
`);
  const s0 = enrolled(lessons, '2025-03-03T09:00:00+08:00');
  const at = (now: string) =>
    runSteps(lessons, s0, { stepId: 'lesson', flowId: now }, context(now)).effects;

  it('gives the item of the enrollment week, by the member’s calendar', () => {
    expect(at('2025-03-03T09:00:00+08:00')[0]).toMatchObject({ text: { en: 'Lesson one' } });
    expect(at('2025-03-09T23:59:00+08:00')[0]).toMatchObject({ text: { en: 'Lesson one' } });
    expect(at('2025-03-10T00:00:00+08:00')[0]).toMatchObject({ text: { en: 'Lesson two' } });
  });

  it('sends nothing once the series has run out', () => {
    expect(at('2025-03-17T10:00:00+08:00')).toEqual([]);
  });
});
