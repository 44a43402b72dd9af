import type { TriggerKind } from '@careloop/core';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What to do with a timer found late (the server or every worker was down, a backlog drained
 * slowly). Time-of-day triggers lose their meaning: "take your 08:00 tablets" at 23:00 invites a
 * double dose, "check your BP 3 h after the morning dose" in the evening measures something else.
 * Such firings are skipped, with the reason recorded on the timer. Triggers about a state that is
 * still true (an absence, a threshold) fire late, and the contact policy's quiet hours hold any
 * message they produce until morning.
 */
export interface MissedWindowPolicy {
  /** Lateness every timer may have (worker lag, a short restart): still on time. */
  graceMs: number;
  /** How late a firing of each trigger kind may still run; null = any lateness. */
  toleranceMs: Readonly<Record<TriggerKind, number | null>>;
}

export const defaultMissedWindowPolicy: MissedWindowPolicy = {
  graceMs: 15 * MINUTE,
  toleranceMs: {
    // Medication times and daily checks: 2 h covers a late morning, not the evening.
    schedule: 2 * HOUR,
    // "3 h after the morning dose": much later measures a different part of the day.
    relative: 2 * HOUR,
    // A birthday greeting or a package-expiry notice still fits the same half day.
    date: 12 * HOUR,
    // Still silent, still over the threshold: the reason to act has not gone away.
    absence: null,
    threshold: null,
    event: null,
    location: null,
  },
};

export type MissedWindowVerdict =
  { action: 'fire'; lateMs: number } | { action: 'skip'; lateMs: number; reason: string };

/**
 * The policy for one timer. `triggerKind` is null for a resumed wait step: a flow already under way
 * always continues (its messages still pass the contact policy), or the enrollment would hang.
 */
export function missedWindowVerdict(
  input: { triggerKind: TriggerKind | null; dueAt: Date; now: Date; timeZone: string },
  policy: MissedWindowPolicy = defaultMissedWindowPolicy,
): MissedWindowVerdict {
  const lateMs = Math.max(0, input.now.getTime() - input.dueAt.getTime());
  if (lateMs <= policy.graceMs || input.triggerKind === null) return { action: 'fire', lateMs };
  const tolerance = policy.toleranceMs[input.triggerKind];
  if (tolerance === null || lateMs <= tolerance) return { action: 'fire', lateMs };
  return {
    action: 'skip',
    lateMs,
    reason:
      `missed window: ${input.triggerKind} firing due ${localTime(input.dueAt, input.timeZone)} ` +
      `found ${formatDuration(lateMs)} late at ${localTime(input.now, input.timeZone)} ` +
      `(tolerance ${formatDuration(tolerance)}); skipped rather than sent out of its time`,
  };
}

function localTime(t: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(t);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${timeZone}`;
}

/** "15 h 5 min", "2 h", "40 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
