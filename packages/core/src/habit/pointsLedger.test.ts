import { describe, expect, it } from 'vitest';
import {
  dueExpiries,
  growthPoints,
  lotExpiresAt,
  nextExpiry,
  pointsBalance,
  taskEarnEntry,
  validatePointsEntry,
  type PointsEntry,
} from './pointsLedger.ts';

const tz = 'Asia/Shanghai';
const earn = (key: string, points: number, at: string): PointsEntry => ({
  key,
  kind: 'earn',
  points,
  at,
  reason: { kind: 'task', taskId: key },
});
const redeem = (key: string, points: number, at: string): PointsEntry => ({
  key,
  kind: 'redeem',
  points: -points,
  at,
  reason: { kind: 'reward', rewardId: 'r', clientId: key },
});

describe('pointsBalance: derived from the entries', () => {
  it('is the sum of the entries, whatever their order', () => {
    const ledger = [
      earn('a', 10, '2026-03-01T01:00:00Z'),
      redeem('r1', 4, '2026-03-03T01:00:00Z'),
      earn('b', 5, '2026-03-02T01:00:00Z'),
    ];
    const now = new Date('2026-03-10T00:00:00Z');
    expect(pointsBalance(ledger, now, tz)).toBe(11);
    expect(pointsBalance([...ledger].reverse(), now, tz)).toBe(11);
    expect(pointsBalance([], now, tz)).toBe(0);
  });

  it('makes a task earn entry keyed by the task', () => {
    expect(taskEarnEntry('42', 10, new Date('2026-03-10T02:00:00Z'))).toEqual({
      key: 'task:42',
      kind: 'earn',
      points: 10,
      at: '2026-03-10T02:00:00.000Z',
      reason: { kind: 'task', taskId: '42' },
    });
  });
});

describe('validatePointsEntry', () => {
  it('accepts a well-formed entry', () => {
    expect(validatePointsEntry(earn('a', 10, '2026-03-01T01:00:00Z'))).toEqual([]);
  });

  it('names the field and the reason for each problem', () => {
    expect(
      validatePointsEntry({ ...earn('a', -10, '2026-03-01T01:00:00Z') }, 'entries[2]'),
    ).toEqual([{ path: 'entries[2].points', message: 'earn entries are positive, got -10' }]);
    expect(validatePointsEntry({ ...redeem('r', -5, '2026-03-01T01:00:00Z') })).toEqual([
      { path: 'entry.points', message: 'redeem entries are negative, got 5' },
    ]);
    expect(validatePointsEntry({ ...earn('', 1.5, 'yesterday') }).map((i) => i.path)).toEqual([
      'entry.key',
      'entry.points',
      'entry.at',
    ]);
    expect(validatePointsEntry({ ...earn('a', 1, '2026-03-01T01:00:00Z'), kind: 'bonus' })).toEqual(
      [{ path: 'entry.reason.kind', message: "a bonus entry needs a 'streak' reason" }],
    );
    expect(
      validatePointsEntry({ ...earn('a', 1, '2026-03-01T01:00:00Z'), kind: 'gift' as never }),
    ).toEqual([
      { path: 'entry.kind', message: "expected one of earn, bonus, redeem, expire, got 'gift'" },
    ]);
  });
});

describe('expiry: points earned in year Y expire at local midnight starting Y + 2', () => {
  // Earned 2025-03-01 10:00 in Shanghai; kept through 2026; expire 2027-01-01 00:00 local = 2026-12-31T16:00Z.
  const lot = earn('y2025', 100, '2025-03-01T02:00:00Z');
  const ledger = [lot, redeem('r1', 30, '2026-06-01T02:00:00Z')];

  it('computes the local expiry instant', () => {
    expect(lotExpiresAt(lot, tz, { keepFullYears: 1 }).toISOString()).toBe(
      '2026-12-31T16:00:00.000Z',
    );
    expect(lotExpiresAt(lot, 'America/New_York', { keepFullYears: 0 }).toISOString()).toBe(
      '2026-01-01T05:00:00.000Z',
    );
  });

  it('keeps the points one second before local midnight and expires what is left at it', () => {
    const before = new Date('2026-12-31T15:59:59Z');
    expect(dueExpiries(ledger, before, tz)).toEqual([]);
    expect(pointsBalance(ledger, before, tz)).toBe(70);
    const at = new Date('2026-12-31T16:00:00Z');
    expect(dueExpiries(ledger, at, tz)).toEqual([
      {
        key: 'expire:y2025',
        kind: 'expire',
        points: -70,
        at: '2026-12-31T16:00:00.000Z',
        reason: { kind: 'expiry', lotKey: 'y2025' },
      },
    ]);
    expect(pointsBalance(ledger, at, tz)).toBe(0);
  });

  it('gives the same balance once the expiry is recorded, and records it only once', () => {
    const now = new Date('2027-02-01T00:00:00Z');
    const due = dueExpiries(ledger, now, tz);
    const recorded = [...ledger, ...due];
    expect(dueExpiries(recorded, now, tz)).toEqual([]);
    expect(pointsBalance(recorded, now, tz)).toBe(pointsBalance(ledger, now, tz));
  });

  it('spends the oldest points first (FIFO), so newer points outlive a redemption', () => {
    const fifo = [
      earn('y2025', 100, '2025-03-01T02:00:00Z'),
      earn('y2026', 50, '2026-02-01T02:00:00Z'),
      redeem('r1', 120, '2026-06-01T02:00:00Z'),
    ];
    // The 2025 lot was spent in full; 30 of the 2026 lot remain until 2028-01-01 local.
    expect(dueExpiries(fifo, new Date('2027-01-05T00:00:00Z'), tz)).toEqual([]);
    expect(pointsBalance(fifo, new Date('2027-01-05T00:00:00Z'), tz)).toBe(30);
    expect(nextExpiry(fifo, new Date('2027-01-05T00:00:00Z'), tz)).toEqual({
      at: '2027-12-31T16:00:00.000Z',
      points: 30,
    });
    expect(pointsBalance(fifo, new Date('2027-12-31T16:00:00Z'), tz)).toBe(0);
  });

  it('does not let a redemption at the expiry instant spend the expiring lot', () => {
    const l = [
      earn('old', 100, '2025-03-01T02:00:00Z'),
      earn('new', 100, '2026-03-01T02:00:00Z'),
      redeem('r', 50, '2026-12-31T16:00:00Z'),
    ];
    const due = dueExpiries(l, new Date('2027-01-01T00:00:00Z'), tz);
    expect(due.map((e) => [e.key, e.points])).toEqual([['expire:old', -100]]);
    expect(pointsBalance(l, new Date('2027-01-01T00:00:00Z'), tz)).toBe(50);
  });

  it('tells the next expiry ahead of time, or null', () => {
    expect(nextExpiry(ledger, new Date('2026-07-01T00:00:00Z'), tz)).toEqual({
      at: '2026-12-31T16:00:00.000Z',
      points: 70,
    });
    expect(nextExpiry([], new Date('2026-07-01T00:00:00Z'), tz)).toBeNull();
  });
});

describe('growthPoints: earned in the last 12 local months', () => {
  // now = 2026-03-10 10:00 Shanghai; the window opens 2025-03-10 10:00 local = 2025-03-10T02:00Z.
  const now = new Date('2026-03-10T02:00:00Z');

  it('excludes an entry exactly at the window start and includes one a millisecond later', () => {
    expect(growthPoints([earn('a', 10, '2025-03-10T02:00:00.000Z')], now, tz)).toBe(0);
    expect(growthPoints([earn('a', 10, '2025-03-10T02:00:00.001Z')], now, tz)).toBe(10);
  });

  it('counts bonuses, ignores redemptions and expiries (spending never lowers a tier)', () => {
    const ledger: PointsEntry[] = [
      earn('a', 500, '2026-01-01T00:00:00Z'),
      {
        key: 'streak:2026-02-01:7',
        kind: 'bonus',
        points: 30,
        at: '2026-02-07T00:00:00Z',
        reason: { kind: 'streak', milestoneDays: 7, streakStartedOn: '2026-02-01' },
      },
      redeem('r', 400, '2026-03-01T00:00:00Z'),
    ];
    expect(growthPoints(ledger, now, tz)).toBe(530);
  });

  it('ignores entries after now', () => {
    expect(growthPoints([earn('a', 10, '2026-03-10T02:00:01Z')], now, tz)).toBe(0);
  });
});
