import { describe, expect, it } from 'vitest';
import { isEligible, meetsExitCriteria } from './enrollment.ts';
import { matchTriggers } from './matchTriggers.ts';
import { nextScheduledFirings } from './nextScheduledFirings.ts';
import type { ProgramMember } from './programRuntime.ts';
import { runSteps } from './runSteps.ts';
import { context, enrolled, header, loadProgram, shanghai } from './testdata/testProgram.ts';

const program =
  loadProgram(`${header('clinical', 'exit: has(tag.hypertension) && !tag.hypertension')}
triggers:
  - { id: autumn, kind: schedule, rrule: 'FREQ=DAILY;BYHOUR=9', months: [9, 10], start: nag }
  - { id: opened, kind: event, on: app-open, start: nag }
  - { id: done, kind: event, on: task-done, task: act, start: stop }
  - { id: no-bp, kind: absence, of: { indicator: sbp }, for: 3d, start: dose }
sequences:
  nag:
    - { id: act, kind: member-task, title: { zh-CN: 去做, en: Do it }, due: { within: 1d }, points: 1, completedBy: manual }
    - { id: pause, kind: wait, for: 2d }
    - { id: again, kind: message, priority: care, purpose: reminder, channels: [in-app], text: { zh-CN: 再提醒, en: Again } }
  stop:
    - { id: cancel-nag, kind: cancel, sequences: [nag] }
    - { id: acted, kind: goal, goal: acted }
    - id: weekly
      kind: branch
      cases:
        - when: has(enrollment.goals.acted) && enrollment.week >= 2
          then: [{ id: late, kind: message, priority: care, purpose: summary, channels: [in-app], text: { zh-CN: 第二周后, en: After week 1 } }]
      else: [{ id: early, kind: message, priority: care, purpose: summary, channels: [in-app], text: { zh-CN: 第一周, en: Week 1 } }]
  dose:
    - id: dose
      kind: message
      priority: clinical
      purpose: reminder
      channels: [in-app]
      dedupe: per-firing
      expiresAfter: 2h
      text: { zh-CN: 服药, en: Take it }
`);
const enrolledAt = '2025-03-03T09:00:00+08:00';

describe('trigger months', () => {
  it('schedules a months-limited trigger only in those local months', () => {
    const firings = nextScheduledFirings(
      program,
      enrolled(program, enrolledAt),
      shanghai,
      new Date('2025-08-30T00:00:00+08:00'),
      new Date('2025-09-03T00:00:00+08:00'),
    ).filter((f) => f.triggerId === 'autumn');
    expect(firings.map((f) => f.at)).toEqual([
      '2025-09-01T01:00:00.000Z',
      '2025-09-02T01:00:00.000Z',
    ]);
  });
  it('skips a firing outside them when it runs', () => {
    const r = runSteps(
      program,
      enrolled(program, enrolledAt),
      { firing: { triggerId: 'autumn', at: '2025-08-31T01:00:00.000Z', flowId: 'x', vars: {} } },
      context('2025-08-31T01:00:00.000Z'),
    );
    expect(r.skipped).toBe("trigger 'autumn' only fires in months 9, 10");
  });
});

describe('cancel, goals in conditions and enrollment weeks', () => {
  it('stops the paused reminder flows once the member acts, and later conditions see the goal', () => {
    let state = enrolled(program, enrolledAt);
    const [opened] = matchTriggers(
      program,
      state,
      { kind: 'app-open', at: '2025-03-11T10:00:00+08:00' },
      context('2025-03-11T10:00:00+08:00'),
    ).firings;
    state = runSteps(
      program,
      state,
      { firing: opened! },
      context('2025-03-11T10:00:00+08:00'),
    ).state;
    expect(state.waiting.map((w) => w.stepId)).toEqual(['again']);
    const [done] = matchTriggers(
      program,
      state,
      {
        kind: 'task-done',
        at: '2025-03-11T12:00:00+08:00',
        programId: 'test-program',
        stepId: 'act',
      },
      context('2025-03-11T12:00:00+08:00'),
    ).firings;
    const r = runSteps(program, state, { firing: done! }, context('2025-03-11T12:00:00+08:00'));
    expect(r.effects.map((e) => e.kind)).toEqual(['cancel', 'goal', 'message']);
    expect(r.effects[0]).toMatchObject({ cancelled: [opened!.flowId] });
    // Day 9 of the enrollment is week 2, and the goal was reached in this very run.
    expect(r.effects[2]).toMatchObject({ stepId: 'late' });
    expect(r.state.waiting).toEqual([]);
    expect(
      runSteps(program, r.state, { resume: opened!.flowId }, context('2025-03-14T12:00:00+08:00'))
        .effects,
    ).toEqual([]);
  });

  it('reads the week in the first week as 1', () => {
    const r = runSteps(
      program,
      enrolled(program, enrolledAt),
      { stepId: 'weekly', flowId: 'w' },
      context('2025-03-09T23:00:00+08:00'),
    );
    expect(r.effects[0]).toMatchObject({ stepId: 'early' });
  });
});

describe('message identity and expiry', () => {
  it('dedupes per firing when asked, and carries when the message goes stale', () => {
    const r = runSteps(
      program,
      enrolled(program, enrolledAt),
      { stepId: 'dose', flowId: 'doses@1' },
      context('2025-03-04T08:00:00+08:00'),
    );
    expect(r.effects[0]).toMatchObject({
      dedupeKey: 'test-program:dose:doses@1',
      expiresAt: '2025-03-04T02:00:00.000Z',
      key: 'test-program@1:doses@1:dose',
    });
  });
});

describe('absence across a DST change', () => {
  it('"3 days" keeps the local time of the last reading (New York, spring forward 2025-03-09)', () => {
    const ny: ProgramMember = { locale: 'en', timeZone: 'America/New_York' };
    const state = matchTriggers(
      program,
      enrolled(program, '2025-03-01T12:00:00Z'),
      { kind: 'observation', at: '2025-03-07T13:30:00Z', indicator: 'sbp', value: 130 }, // 08:30 EST
      context('2025-03-07T13:30:00Z', { member: ny }),
    ).state;
    const [deadline] = nextScheduledFirings(
      program,
      state,
      ny,
      new Date('2025-03-07T00:00:00Z'),
      new Date('2025-03-20T00:00:00Z'),
    ).filter((f) => f.triggerId === 'no-bp');
    expect(deadline!.at).toBe('2025-03-10T12:30:00.000Z'); // 08:30 EDT
  });
});

describe('entry and exit criteria', () => {
  it('evaluate over the member’s facts; absent facts do not qualify', () => {
    const now = new Date('2025-03-03T00:00:00Z');
    expect(isEligible(program, { 'tag.hypertension': true }, now)).toBe(true);
    expect(isEligible(program, { 'tag.hypertension': false }, now)).toBe(false);
    expect(isEligible(program, {}, now)).toBe(false);
    expect(meetsExitCriteria(program, { 'tag.hypertension': false }, now)).toBe(true);
    expect(meetsExitCriteria(program, {}, now)).toBe(false);
  });
});
