import { DateTime } from 'luxon';
import type { ValidationIssue } from '../model/types.ts';
import { isValidTimeZone, startOfLocalYear } from './localDays.ts';

/**
 * The points ledger is append-only: every change is an entry (earn for a task, bonus for a streak
 * milestone, redeem for a reward, expire for old points) and the balance is always DERIVED by
 * summing the entries, never stored as the truth. Each entry carries an idempotency key, so a
 * retried completion or redemption finds its entry already there and awards nothing twice.
 */

export type PointsEntryKind = 'earn' | 'bonus' | 'redeem' | 'expire';

export const pointsEntryKinds: readonly PointsEntryKind[] = ['earn', 'bonus', 'redeem', 'expire'];

/** Why an entry exists: the task, the streak milestone, the reward or the expired lot. */
export type PointsReason =
  | { kind: 'task'; taskId: string }
  | { kind: 'streak'; milestoneDays: number; streakStartedOn: string }
  | { kind: 'reward'; rewardId: string; clientId: string }
  | { kind: 'expiry'; lotKey: string };

export interface PointsEntry {
  /** Idempotency key, unique per member: `task:<id>`, `streak:<start>:<days>`, `redeem:<clientId>`, `expire:<lotKey>`. */
  key: string;
  kind: PointsEntryKind;
  /** Signed: earn and bonus are positive, redeem and expire negative. Whole points. */
  points: number;
  /** ISO instant the entry takes effect (an expiry: the instant its lot expired). */
  at: string;
  reason: PointsReason;
}

const reasonFor: Record<PointsEntryKind, PointsReason['kind']> = {
  earn: 'task',
  bonus: 'streak',
  redeem: 'reward',
  expire: 'expiry',
};

/** Checks one entry; every issue names the field path (`entries[3].points`) and why. */
export function validatePointsEntry(entry: PointsEntry, path = 'entry'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof entry.key !== 'string' || entry.key.length === 0 || entry.key.length > 200)
    issues.push({ path: `${path}.key`, message: 'expected a key of 1–200 characters' });
  if (!pointsEntryKinds.includes(entry.kind)) {
    issues.push({
      path: `${path}.kind`,
      message: `expected one of ${pointsEntryKinds.join(', ')}, got '${String(entry.kind)}'`,
    });
    return issues;
  }
  if (!Number.isInteger(entry.points) || entry.points === 0)
    issues.push({ path: `${path}.points`, message: 'expected a whole number of points, not 0' });
  else if ((entry.kind === 'earn' || entry.kind === 'bonus') !== entry.points > 0)
    issues.push({
      path: `${path}.points`,
      message: `${entry.kind} entries are ${entry.kind === 'earn' || entry.kind === 'bonus' ? 'positive' : 'negative'}, got ${entry.points}`,
    });
  if (typeof entry.at !== 'string' || !DateTime.fromISO(entry.at).isValid)
    issues.push({ path: `${path}.at`, message: 'expected an ISO 8601 instant' });
  if (entry.reason?.kind !== reasonFor[entry.kind])
    issues.push({
      path: `${path}.reason.kind`,
      message: `a ${entry.kind} entry needs a '${reasonFor[entry.kind]}' reason`,
    });
  return issues;
}

/**
 * Points earned in local calendar year Y are kept through the end of year Y + keepFullYears and
 * expire at the member's local midnight that starts the following year ("积分有效期至次年年底").
 */
export interface PointsExpiryRule {
  keepFullYears: number;
}

export const defaultPointsExpiry: PointsExpiryRule = { keepFullYears: 1 };

/** When a lot (an earn or bonus entry) expires. */
export function lotExpiresAt(lot: PointsEntry, timeZone: string, rule: PointsExpiryRule): Date {
  const earnedYear = DateTime.fromISO(lot.at, { zone: timeZone }).year;
  return startOfLocalYear(earnedYear + 1 + rule.keepFullYears, timeZone);
}

interface Lot {
  entry: PointsEntry;
  earnedAt: number;
  expiresAt: number;
  remaining: number;
}

type LedgerEvent =
  | { at: number; order: 0; kind: 'expire-recorded'; entry: PointsEntry }
  | { at: number; order: 0; kind: 'expire-due'; lot: Lot }
  | { at: number; order: 1; kind: 'redeem'; entry: PointsEntry };

/**
 * Replays the ledger up to `now`: redemptions spend the oldest unexpired points first (FIFO), and
 * every lot whose expiry has passed loses what is left of it. Returns the expire entries that are
 * due but not yet recorded, and what remains of each lot.
 */
function settleLots(
  ledger: readonly PointsEntry[],
  now: Date,
  timeZone: string,
  rule: PointsExpiryRule,
): { due: PointsEntry[]; lots: Lot[] } {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
  const lots: Lot[] = ledger
    .filter((e) => e.kind === 'earn' || e.kind === 'bonus')
    .map((entry) => ({
      entry,
      earnedAt: Date.parse(entry.at),
      expiresAt: lotExpiresAt(entry, timeZone, rule).getTime(),
      remaining: entry.points,
    }))
    .sort((a, b) => a.earnedAt - b.earnedAt || a.entry.key.localeCompare(b.entry.key));
  const byKey = new Map(lots.map((l) => [l.entry.key, l]));
  const recorded = new Set<string>();
  const events: LedgerEvent[] = [];
  for (const entry of ledger) {
    if (entry.kind === 'redeem')
      events.push({ at: Date.parse(entry.at), order: 1, kind: 'redeem', entry });
    else if (entry.kind === 'expire' && entry.reason.kind === 'expiry') {
      recorded.add(entry.reason.lotKey);
      events.push({ at: Date.parse(entry.at), order: 0, kind: 'expire-recorded', entry });
    }
  }
  for (const lot of lots)
    if (lot.expiresAt <= now.getTime() && !recorded.has(lot.entry.key))
      events.push({ at: lot.expiresAt, order: 0, kind: 'expire-due', lot });
  // An expiry and a redemption at the same instant: the lot has expired, it cannot be spent.
  events.sort((a, b) => a.at - b.at || a.order - b.order);

  const due: PointsEntry[] = [];
  for (const ev of events) {
    if (ev.kind === 'redeem') {
      let owed = -ev.entry.points;
      for (const lot of lots) {
        if (owed <= 0) break;
        if (lot.remaining <= 0 || lot.earnedAt > ev.at || lot.expiresAt <= ev.at) continue;
        const take = Math.min(owed, lot.remaining);
        lot.remaining -= take;
        owed -= take;
      }
    } else if (ev.kind === 'expire-recorded') {
      const lot = ev.entry.reason.kind === 'expiry' ? byKey.get(ev.entry.reason.lotKey) : undefined;
      if (lot) lot.remaining = Math.max(0, lot.remaining + ev.entry.points);
    } else if (ev.lot.remaining > 0) {
      due.push({
        key: `expire:${ev.lot.entry.key}`,
        kind: 'expire',
        points: -ev.lot.remaining,
        at: new Date(ev.lot.expiresAt).toISOString(),
        reason: { kind: 'expiry', lotKey: ev.lot.entry.key },
      });
      ev.lot.remaining = 0;
    }
  }
  return { due, lots };
}

/** Expire entries that are due at `now` but not yet in the ledger (append them; keys make it safe). */
export function dueExpiries(
  ledger: readonly PointsEntry[],
  now: Date,
  timeZone: string,
  rule: PointsExpiryRule = defaultPointsExpiry,
): PointsEntry[] {
  return settleLots(ledger, now, timeZone, rule).due;
}

/**
 * The spendable balance at `now`: the sum of every entry plus the expiries that are due but not
 * yet recorded, so the answer does not depend on when the expiry entries were written.
 */
export function pointsBalance(
  ledger: readonly PointsEntry[],
  now: Date,
  timeZone: string,
  rule: PointsExpiryRule = defaultPointsExpiry,
): number {
  const recorded = ledger.reduce((sum, e) => sum + e.points, 0);
  return recorded + dueExpiries(ledger, now, timeZone, rule).reduce((s, e) => s + e.points, 0);
}

/** The next points to expire after `now` (the member is told ahead), or null. */
export function nextExpiry(
  ledger: readonly PointsEntry[],
  now: Date,
  timeZone: string,
  rule: PointsExpiryRule = defaultPointsExpiry,
): { at: string; points: number } | null {
  const { lots } = settleLots(ledger, now, timeZone, rule);
  let at: number | null = null;
  let points = 0;
  for (const lot of lots) {
    if (lot.remaining <= 0 || lot.expiresAt <= now.getTime()) continue;
    if (at === null || lot.expiresAt < at) {
      at = lot.expiresAt;
      points = lot.remaining;
    } else if (lot.expiresAt === at) points += lot.remaining;
  }
  return at === null ? null : { at: new Date(at).toISOString(), points };
}

/**
 * Points earned (earn + bonus) in the 12 local calendar months up to `now`: what the membership
 * tier is measured on. Spending points never lowers a tier; only time does.
 */
export function growthPoints(ledger: readonly PointsEntry[], now: Date, timeZone: string): number {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
  const from = DateTime.fromJSDate(now, { zone: timeZone }).minus({ months: 12 }).toMillis();
  const to = now.getTime();
  let sum = 0;
  for (const e of ledger) {
    if (e.kind !== 'earn' && e.kind !== 'bonus') continue;
    const t = Date.parse(e.at);
    if (t > from && t <= to) sum += e.points;
  }
  return sum;
}

/** The earn entry for a completed member task (one per task, whatever the retries). */
export function taskEarnEntry(taskId: string, points: number, now: Date): PointsEntry {
  return {
    key: `task:${taskId}`,
    kind: 'earn',
    points,
    at: now.toISOString(),
    reason: { kind: 'task', taskId },
  };
}
