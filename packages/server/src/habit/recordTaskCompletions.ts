import { evaluateHealthAction, memberLocalDate, pointsBalance } from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
import {
  appendLedger,
  awardBadges,
  loadHabitState,
  loadLedger,
  recordActiveDay,
} from './habitStore.ts';
import { toAwardView, type AwardView } from './habitViews.ts';

export interface CompletedTask {
  taskId: string;
  points: number;
}

/**
 * The reward half of the habit loop, run inside the transaction that completed the tasks (by hand
 * or by a reading): records today as an active local day, appends an earn entry per task (keyed by
 * task, so a retried completion awards nothing twice), streak-milestone bonuses and due expiries,
 * awards newly reached badges, and returns the award so the caller can show it at once.
 *
 * `withReading`: the same action also recorded a reading of the member's own (self or device), which
 * is a health action even when it completed no task. Returns null when there was no health action.
 */
export async function recordTaskCompletions(
  tx: Queryable,
  memberId: string,
  tasks: readonly CompletedTask[],
  now: Date,
  opts: { withReading?: boolean } = {},
): Promise<AwardView | null> {
  if (tasks.length === 0 && !opts.withReading) return null;
  const state = await loadHabitState(tx, memberId);
  if (!state) return null;
  const { timeZone } = state;
  const activeDates = await recordActiveDay(
    tx,
    memberId,
    memberLocalDate(now, timeZone),
    timeZone,
    now,
  );
  const ledger = await loadLedger(tx, memberId);
  const award = evaluateHealthAction({
    now,
    timeZone,
    ledger,
    completedTasks: tasks,
    activeDates,
    counts: { readings: state.readings, tasksCompleted: state.tasksCompleted },
    heldBadges: state.badges.map((b) => b.id),
  });
  // A concurrent transaction may have written the same key first: report only what this one added.
  const entries = await appendLedger(tx, memberId, award.entries);
  const badgeIds = await awardBadges(
    tx,
    memberId,
    award.newBadges.map((b) => b.id),
    now,
  );
  return toAwardView({
    ...award,
    entries,
    points: entries
      .filter((e) => e.kind === 'earn' || e.kind === 'bonus')
      .reduce((s, e) => s + e.points, 0),
    balance: pointsBalance([...ledger, ...entries], now, timeZone),
    newBadges: award.newBadges.filter((b) => badgeIds.has(b.id)),
  });
}
