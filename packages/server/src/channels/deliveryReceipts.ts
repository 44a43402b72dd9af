import type { Channel } from '@careloop/core';
import type { Db, Queryable } from '../db/Db.ts';
import {
  deliveryColumns,
  toDeliveryView,
  type DeliveryRow,
  type DeliveryView,
} from './deliveryView.ts';
import { notifyMessages } from './messageNotices.ts';

export type ReceiptResult =
  { ok: true; delivery: DeliveryView } | { ok: false; status: 404 | 409; detail: string };

/**
 * A gateway's delivery receipt: the handset got it (sent → delivered, and the message with it) or
 * it did not (the delivery fails for good: dead-letter, or a red flag moves to its next channel).
 */
export async function applyReceipt(
  db: Db,
  input: {
    channel: Channel;
    providerId: string;
    status: 'delivered' | 'failed';
    error?: string | undefined;
    now: Date;
  },
): Promise<ReceiptResult> {
  const nowIso = input.now.toISOString();
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<DeliveryRow & { fallback: Channel[] }>(
      `SELECT ${deliveryColumns}, d.fallback FROM message_deliveries d
        WHERE d.channel = $1 AND d.provider_id = $2 ORDER BY d.id DESC LIMIT 1 FOR UPDATE`,
      [input.channel, input.providerId],
    );
    const d = rows[0];
    if (!d)
      return {
        ok: false,
        status: 404,
        detail: `no ${input.channel} delivery with that provider id`,
      };
    if (d.status === 'delivered' && input.status === 'delivered')
      return { ok: true, delivery: toDeliveryView(d) }; // a repeated receipt
    if (d.status !== 'sent')
      return { ok: false, status: 409, detail: `delivery ${d.id} is ${d.status}, not sent` };
    const msg = await tx.query<{ state: string }>(
      `SELECT state FROM messages WHERE member_id = $1 AND id = $2 FOR UPDATE`,
      [d.member_id, d.message_id],
    );
    const state = msg.rows[0]?.state;
    const inbox: [string, string][] = [];
    let queued = 0;
    if (input.status === 'delivered') {
      await tx.query(
        `UPDATE message_deliveries SET status = 'delivered', delivered_at = $3, updated_at = $3 WHERE member_id = $1 AND id = $2`,
        [d.member_id, d.id, nowIso],
      );
      if (state === 'sent') await moveMessage(tx, d, 'sent', 'delivered', null, null, nowIso);
    } else {
      const error = `receipt: ${(input.error ?? 'not delivered').slice(0, 200)}`;
      const next = d.fallback[0];
      await tx.query(
        `UPDATE message_deliveries SET status = $3, last_error = $4, updated_at = $5,
            dead_at = CASE WHEN $3 = 'dead' THEN $5::timestamptz ELSE dead_at END
          WHERE member_id = $1 AND id = $2`,
        [d.member_id, d.id, next ? 'failed' : 'dead', error, nowIso],
      );
      if (next) {
        await tx.query(
          `INSERT INTO message_deliveries (member_id, message_id, channel, priority, status, next_attempt_at, fallback, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'queued', $5, $6, $5, $5) ON CONFLICT (member_id, message_id, channel) DO NOTHING`,
          [d.member_id, d.message_id, next, d.priority, nowIso, d.fallback.slice(1)],
        );
        queued++;
      } else if (state === 'sent') {
        await moveMessage(tx, d, 'sent', 'failed', 'dead-letter', error, nowIso);
      }
    }
    await notifyMessages(tx, { inbox, queued });
    const after = await tx.query<DeliveryRow>(
      `SELECT ${deliveryColumns} FROM message_deliveries d WHERE d.member_id = $1 AND d.id = $2`,
      [d.member_id, d.id],
    );
    return { ok: true, delivery: toDeliveryView(after.rows[0]!) };
  });
}

async function moveMessage(
  tx: Queryable,
  d: DeliveryRow,
  from: string,
  to: string,
  reason: string | null,
  detail: string | null,
  nowIso: string,
): Promise<void> {
  await tx.query(
    `UPDATE messages SET state = $3, reason = coalesce($4, reason), reason_detail = coalesce($5, reason_detail)
      WHERE member_id = $1 AND id = $2`,
    [d.member_id, d.message_id, to, reason, detail],
  );
  await tx.query(
    `INSERT INTO message_events (member_id, message_id, from_state, to_state, reason, detail, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [d.member_id, d.message_id, from, to, reason, detail, nowIso],
  );
}
