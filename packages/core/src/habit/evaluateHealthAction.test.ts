import { describe, expect, it } from 'vitest';
import { evaluateHealthAction, type HealthActionInput } from './evaluateHealthAction.ts';
import type { PointsEntry } from './pointsLedger.ts';

const tz = 'Asia/Shanghai';
const now = new Date('2026-03-10T02:00:00Z'); // 10:00 on 2026-03-10 in Shanghai

const input = (over: Partial<HealthActionInput> = {}): HealthActionInput => ({
  now,
  timeZone: tz,
  ledger: [],
  completedTasks: [],
  activeDates: [],
  counts: { readings: 0, tasksCompleted: 0 },
  heldBadges: [],
  ...over,
});
const earned = (key: string, points: number, at = '2026-03-01T02:00:00Z'): PointsEntry => ({
  key,
  kind: 'earn',
  points,
  at,
  reason: { kind: 'task', taskId: key.replace('task:', '') },
});

describe('evaluateHealthAction', () => {
  it('awards the task points at once, with the first badges and a 1-day streak', () => {
    const a = evaluateHealthAction(
      input({
        completedTasks: [{ taskId: '7', points: 10 }],
        counts: { readings: 1, tasksCompleted: 1 },
      }),
    );
    expect(a.entries.map((e) => [e.key, e.points])).toEqual([['task:7', 10]]);
    expect(a.points).toBe(10);
    expect(a.balance).toBe(10);
    expect(a.newBadges.map((b) => b.id)).toEqual(['first-reading', 'first-task']);
    expect(a.streak).toMatchObject({ current: 1, state: 'active-today', startedOn: '2026-03-10' });
    expect(a.tier.tier.id).toBe('silver');
    expect(a.tierChanged).toBe(false);
  });

  it('awards nothing twice when the completion is retried', () => {
    const a = evaluateHealthAction(
      input({
        ledger: [earned('task:7', 10, now.toISOString())],
        completedTasks: [{ taskId: '7', points: 10 }],
        activeDates: ['2026-03-10'],
        counts: { readings: 1, tasksCompleted: 1 },
        heldBadges: ['first-reading', 'first-task'],
      }),
    );
    expect(a.entries).toEqual([]);
    expect(a.points).toBe(0);
    expect(a.balance).toBe(10);
    expect(a.newBadges).toEqual([]);
  });

  it('pays the 7-day streak bonus and badge on the 7th consecutive local day', () => {
    const six = [
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ];
    const a = evaluateHealthAction(
      input({
        completedTasks: [{ taskId: '9', points: 5 }],
        activeDates: six,
        counts: { readings: 6, tasksCompleted: 7 },
        heldBadges: ['first-reading', 'first-task'],
      }),
    );
    expect(a.streak.current).toBe(7);
    expect(a.entries.map((e) => [e.kind, e.key, e.points])).toEqual([
      ['earn', 'task:9', 5],
      ['bonus', 'streak:2026-03-04:7', 30],
    ]);
    expect(a.points).toBe(35);
    expect(a.newBadges.map((b) => b.id)).toEqual(['streak-7']);
  });

  it('reports a tier upgrade when the award crosses the threshold', () => {
    const ledger = [earned('task:1', 795)];
    const a = evaluateHealthAction(
      input({ ledger, completedTasks: [{ taskId: '2', points: 5 }], heldBadges: ['first-task'] }),
    );
    expect(a.previousTier.id).toBe('silver');
    expect(a.tier.tier.id).toBe('gold');
    expect(a.tierChanged).toBe(true);
    const below = evaluateHealthAction(
      input({ ledger, completedTasks: [{ taskId: '2', points: 4 }], heldBadges: ['first-task'] }),
    );
    expect(below.tier.tier.id).toBe('silver');
    expect(below.tier.next?.pointsNeeded).toBe(1);
    expect(below.tierChanged).toBe(false);
  });

  it('records expiries that fell due alongside the award', () => {
    const a = evaluateHealthAction(
      input({
        now: new Date('2027-01-02T02:00:00Z'),
        ledger: [earned('task:old', 40, '2025-06-01T02:00:00Z')],
        completedTasks: [{ taskId: '3', points: 10 }],
      }),
    );
    expect(a.entries.map((e) => [e.kind, e.points])).toEqual([
      ['expire', -40],
      ['earn', 10],
    ]);
    expect(a.balance).toBe(10);
  });

  it('counts a zero-point task for the streak without a ledger entry, and refuses negative points', () => {
    const a = evaluateHealthAction(input({ completedTasks: [{ taskId: '4', points: 0 }] }));
    expect(a.entries).toEqual([]);
    expect(a.streak.current).toBe(1);
    expect(() =>
      evaluateHealthAction(input({ completedTasks: [{ taskId: '5', points: -3 }] })),
    ).toThrow(/task 5: points/);
  });
});
