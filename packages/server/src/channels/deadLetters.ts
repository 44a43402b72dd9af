import type { Channel } from '@careloop/core';
import type { Db, Queryable } from '../db/Db.ts';
import {
  deliveryColumns,
  toDeliveryView,
  type DeliveryRow,
  type DeliveryView,
} from './deliveryView.ts';
import { notifyMessages } from './messageNotices.ts';

/** The dead-letter list, newest first: deliveries out of attempts or failed for good. */
export async function listDeadLetters(
  db: Queryable,
  opts: { limit: number; channel?: Channel | undefined },
): Promise<{ total: number; deadLetters: (DeliveryView & { purpose: string })[] }> {
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM message_deliveries d WHERE d.status = 'dead' AND ($1::text IS NULL OR d.channel = $1)`,
    [opts.channel ?? null],
  );
  const { rows } = await db.query<DeliveryRow & { purpose: string }>(
    `SELECT ${deliveryColumns}, m.purpose FROM message_deliveries d
       JOIN messages m ON m.member_id = d.member_id AND m.id = d.message_id
      WHERE d.status = 'dead' AND ($1::text IS NULL OR d.channel = $1)
      ORDER BY d.dead_at DESC, d.id DESC LIMIT $2`,
    [opts.channel ?? null, opts.limit],
  );
  return {
    total: total.rows[0]?.n ?? 0,
    deadLetters: rows.map((r) => ({ ...toDeliveryView(r), purpose: r.purpose })),
  };
}

export type RedriveResult =
  { ok: true; delivery: DeliveryView } | { ok: false; status: 404 | 409; detail: string };

/**
 * Puts a dead delivery back in the queue, optionally on another channel, with a fresh attempt
 * budget and a fresh provider idempotency key (the old one may be remembered as failed). The
 * message leaves 'failed' for 'queued'; every step is recorded in message_events.
 */
export async function redriveDelivery(
  db: Db,
  input: { deliveryId: string; channel?: Channel | undefined; by: string; now: Date },
): Promise<RedriveResult> {
  const nowIso = input.now.toISOString();
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<DeliveryRow>(
      `SELECT ${deliveryColumns} FROM message_deliveries d WHERE d.id = $1 FOR UPDATE`,
      [input.deliveryId],
    );
    const d = rows[0];
    if (!d) return { ok: false, status: 404, detail: `no delivery ${input.deliveryId}` };
    if (d.status !== 'dead')
      return {
        ok: false,
        status: 409,
        detail: `delivery ${d.id} is ${d.status}; only dead letters are re-driven`,
      };
    const channel = input.channel ?? (d.channel as Channel);
    if (channel !== d.channel) {
      const clash = await tx.query(
        `SELECT 1 FROM message_deliveries WHERE member_id = $1 AND message_id = $2 AND channel = $3`,
        [d.member_id, d.message_id, channel],
      );
      if (clash.rows.length > 0)
        return {
          ok: false,
          status: 409,
          detail: `message ${d.message_id} already has a delivery on ${channel}`,
        };
    }
    await tx.query(
      `UPDATE message_deliveries SET status = 'queued', channel = $3, attempts = 0, redrives = redrives + 1,
          next_attempt_at = $4, lease_until = NULL, dead_at = NULL, updated_at = $4
        WHERE member_id = $1 AND id = $2`,
      [d.member_id, d.id, channel, nowIso],
    );
    const msg = await tx.query<{ state: string }>(
      `SELECT state FROM messages WHERE member_id = $1 AND id = $2 FOR UPDATE`,
      [d.member_id, d.message_id],
    );
    if (msg.rows[0]?.state === 'failed') {
      await tx.query(`UPDATE messages SET state = 'queued' WHERE member_id = $1 AND id = $2`, [
        d.member_id,
        d.message_id,
      ]);
      await tx.query(
        `INSERT INTO message_events (member_id, message_id, from_state, to_state, reason, detail, at)
         VALUES ($1, $2, 'failed', 'queued', 'redrive', $3, $4)`,
        [d.member_id, d.message_id, `re-driven on ${channel} by ${input.by}`, nowIso],
      );
    }
    await notifyMessages(tx, { inbox: [], queued: 1 });
    const after = await tx.query<DeliveryRow>(
      `SELECT ${deliveryColumns} FROM message_deliveries d WHERE d.member_id = $1 AND d.id = $2`,
      [d.member_id, d.id],
    );
    return { ok: true, delivery: toDeliveryView(after.rows[0]!) };
  });
}
