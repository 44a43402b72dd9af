import type { TriggerFiring } from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
import { iso } from '../storage/rows.ts';
import { withIndexJoins } from '../workers/indexJoins.ts';

/** A claimed timer: locked by this transaction until it commits (fired) or rolls back (re-due). */
export interface DueTimer {
  member_id: string;
  id: string;
  kind: string;
  program_id: string | null;
  trigger_id: string | null;
  /** ISO instant. */
  due_at: string;
  payload: { firing?: TriggerFiring; flowId?: string; version?: string } & Record<string, unknown>;
  idempotency_key: string;
}

/** What became of a timer: stored on it (`status`, `outcome`) for operators. */
export interface TimerOutcome {
  status: 'fired' | 'skipped';
  /** Why it was skipped, or why firing had no effect (a guard was false…); null = it ran. */
  outcome: string | null;
}

/**
 * Fires timers of a kind other than the program runner's own ('firing', 'resume'), in the claiming
 * transaction. Its effects must be keyed by the timer (e.g. its idempotency key) like all others.
 */
export type TimerHandler = (tx: Queryable, timer: DueTimer, now: Date) => Promise<TimerOutcome>;

/**
 * Claims up to `limit` due timers with FOR UPDATE SKIP LOCKED: concurrent workers take disjoint
 * sets and never wait for each other. A row another worker fired after our snapshot is re-checked
 * by PostgreSQL against `status = 'pending'` when locked, so it is not claimed twice. The batch comes
 * back ordered by member, then due time: every worker then locks members' enrollments in the same
 * order, so two batches sharing members wait for each other instead of deadlocking.
 */
export async function claimDueTimers(tx: Queryable, now: Date, limit: number): Promise<DueTimer[]> {
  const { rows } = await tx.query<Omit<DueTimer, 'due_at'> & { due_at: Date | string }>(
    `SELECT member_id::text AS member_id, id::text AS id, kind, program_id, trigger_id, due_at, payload,
            idempotency_key
       FROM timers WHERE status = 'pending' AND due_at <= $1
      ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now.toISOString(), limit],
  );
  return rows
    .map((r) => ({ ...r, due_at: iso(r.due_at) }))
    .sort(
      (a, b) =>
        compare(a.member_id, b.member_id) ||
        compare(a.due_at, b.due_at) ||
        Number(BigInt(a.id) - BigInt(b.id)),
    );
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Marks a batch fired or skipped in one statement, in the transaction that ran their effects. */
export async function recordTimerOutcomes(
  tx: Queryable,
  outcomes: readonly (TimerOutcome & { memberId: string; id: string })[],
  now: Date,
): Promise<void> {
  if (outcomes.length === 0) return;
  await withIndexJoins(tx, () =>
    tx.query(
      `UPDATE timers t SET status = u.status, outcome = u.outcome, fired_at = $5::timestamptz
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[]) AS u(member_id, id, status, outcome)
      WHERE t.member_id = u.member_id AND t.id = u.id`,
      [
        outcomes.map((o) => o.memberId),
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.outcome),
        now.toISOString(),
      ],
    ),
  );
}
