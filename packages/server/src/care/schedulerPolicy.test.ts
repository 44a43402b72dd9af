import { describe, expect, it } from 'vitest';
import {
  defaultMissedWindowPolicy,
  formatDuration,
  missedWindowVerdict,
  type MissedWindowPolicy,
} from './schedulerPolicy.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
// 08:00 in Shanghai (UTC+8, no DST).
const due = new Date('2026-03-10T00:00:00Z');
const at = (lateMs: number) => new Date(due.getTime() + lateMs);
const verdict = (
  triggerKind: Parameters<typeof missedWindowVerdict>[0]['triggerKind'],
  lateMs: number,
  policy?: MissedWindowPolicy,
) =>
  missedWindowVerdict(
    { triggerKind, dueAt: due, now: at(lateMs), timeZone: 'Asia/Shanghai' },
    policy,
  );

describe('missed-window policy', () => {
  it('fires any timer within the 15 min grace, and one found early or on time', () => {
    expect(verdict('schedule', 0).action).toBe('fire');
    expect(verdict('schedule', -5 * MIN)).toEqual({ action: 'fire', lateMs: 0 });
    expect(verdict('schedule', 15 * MIN).action).toBe('fire');
    // Past the grace, a schedule firing still runs inside its 2 h tolerance.
    expect(verdict('schedule', 15 * MIN + 1).action).toBe('fire');
  });

  it('skips a schedule (time-of-day) firing more than 2 h late, on both sides of the boundary', () => {
    expect(verdict('schedule', 2 * HOUR).action).toBe('fire');
    const late = verdict('schedule', 2 * HOUR + 1);
    expect(late.action).toBe('skip');
  });

  it('skips a relative firing ("3 h after the morning dose") more than 2 h late', () => {
    expect(verdict('relative', 2 * HOUR).action).toBe('fire');
    expect(verdict('relative', 2 * HOUR + 1).action).toBe('skip');
  });

  it('keeps a date firing (birthday 09:00) for 12 h, not into the night', () => {
    expect(verdict('date', 12 * HOUR).action).toBe('fire');
    expect(verdict('date', 12 * HOUR + 1).action).toBe('skip');
  });

  it('fires state triggers (absence, threshold, event, location) however late', () => {
    for (const kind of ['absence', 'threshold', 'event', 'location'] as const) {
      expect(verdict(kind, 3 * 24 * HOUR).action).toBe('fire');
    }
  });

  it('always resumes a flow under way (wait step), however late', () => {
    expect(verdict(null, 30 * 24 * HOUR).action).toBe('fire');
  });

  it('says why, with the due and the found time in the member’s zone', () => {
    // Server down overnight: the 08:00 reminder is found at 23:00 local the same day.
    const v = verdict('schedule', 15 * HOUR);
    expect(v).toEqual({
      action: 'skip',
      lateMs: 15 * HOUR,
      reason:
        'missed window: schedule firing due 2026-03-10 08:00 Asia/Shanghai found 15 h late at ' +
        '2026-03-10 23:00 Asia/Shanghai (tolerance 2 h); skipped rather than sent out of its time',
    });
  });

  it('takes a policy of the operator’s own', () => {
    const strict: MissedWindowPolicy = {
      graceMs: MIN,
      toleranceMs: { ...defaultMissedWindowPolicy.toleranceMs, absence: HOUR },
    };
    expect(verdict('absence', HOUR, strict).action).toBe('fire');
    expect(verdict('absence', HOUR + 1, strict).action).toBe('skip');
    expect(verdict('schedule', MIN + 1, strict).action).toBe('fire');
  });

  it('formats durations for operators', () => {
    expect(formatDuration(40 * MIN)).toBe('40 min');
    expect(formatDuration(2 * HOUR)).toBe('2 h');
    expect(formatDuration(15 * HOUR + 5 * MIN)).toBe('15 h 5 min');
  });
});
