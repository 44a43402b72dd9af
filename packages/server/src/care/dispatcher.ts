import {
  decideDelivery,
  ledgerEntryFor,
  orderByPriority,
  type Channel,
  type DeliveryRequest,
  type LedgerEntry,
  type MessagePriority,
  type MessagePurpose,
} from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
import { iso } from '../storage/rows.ts';

export interface DispatchCounts {
  delivered: number;
  deferred: number;
  suppressed: number;
}

/** Channels with an adapter in this build; others fall back to the in-app inbox. */
const availableChannels = new Set<Channel>(['in-app']);

interface DueMessage {
  id: string;
  priority: MessagePriority;
  purpose: MessagePurpose;
  channel: Channel;
  dedupe_key: string | null;
  state: string;
}

/**
 * Runs the contact policy over each member's due messages (pending, or deferred until now) and
 * moves them along the state machine: delivered, deferred (with the instant and reason) or
 * suppressed (with the reason). Every transition is written to message_events.
 */
export async function dispatchMembers(
  tx: Queryable,
  memberIds: readonly string[],
  now: Date,
): Promise<DispatchCounts> {
  const counts: DispatchCounts = { delivered: 0, deferred: 0, suppressed: 0 };
  for (const memberId of memberIds) {
    const due = await tx.query<DueMessage>(
      `SELECT id::text AS id, priority, purpose, channel, dedupe_key, state FROM messages
        WHERE member_id = $1 AND state IN ('pending', 'deferred') AND not_before <= $2
        ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
      [memberId, now.toISOString()],
    );
    if (due.rows.length === 0) continue;
    const m = await tx.query<{
      time_zone: string;
      consents: { channels?: Record<string, boolean>; marketing?: boolean };
      quiet_hours: { start: string; end: string } | null;
      last_interaction_at: Date | string | null;
      last_key: Date | string | null;
    }>(
      `SELECT time_zone, consents, quiet_hours, last_interaction_at,
              (SELECT max(at) FROM engagement_events e WHERE e.member_id = members.id AND e.kind IN ('reading', 'task-completed')) AS last_key
         FROM members WHERE id = $1`,
      [memberId],
    );
    const member = m.rows[0];
    if (!member) continue;
    const history = await loadLedger(tx, memberId, now);
    const channelConsent = (member.consents.channels ?? { 'in-app': true }) as Partial<
      Record<Channel, boolean>
    >;
    for (const msg of orderByPriority(due.rows)) {
      const channel = availableChannels.has(msg.channel) ? msg.channel : 'in-app';
      const request: DeliveryRequest = {
        priority: msg.priority,
        channel,
        dedupeKey: msg.dedupe_key,
        purpose: msg.purpose,
        promotional: msg.purpose === 'promotion',
      };
      const decision = decideDelivery(request, {
        member: {
          timeZone: member.time_zone,
          channelConsent,
          marketingConsent: member.consents.marketing ?? false,
          quietHours: member.quiet_hours,
        },
        history,
        lastInteractionAt: member.last_interaction_at ? iso(member.last_interaction_at) : null,
        lastKeyBehaviourAt: member.last_key ? iso(member.last_key) : null,
        now,
      });
      history.push(ledgerEntryFor(request, decision, now));
      let to: string;
      let reason: string | null = null;
      let detail: string | null = null;
      let notBefore: string | null = null;
      let sentVia: Channel = channel;
      if (decision.action === 'send') {
        to = 'delivered';
        sentVia = availableChannels.has(decision.channel) ? decision.channel : 'in-app';
        counts.delivered++;
      } else if (decision.action === 'defer') {
        to = 'deferred';
        reason = decision.reason;
        detail = decision.detail;
        notBefore = decision.until;
        counts.deferred++;
      } else {
        to = 'suppressed';
        reason = decision.reason;
        detail = decision.detail;
        counts.suppressed++;
      }
      await tx.query(
        `UPDATE messages SET state = $3, channel = $4, reason = $5, reason_detail = $6,
            not_before = coalesce($7::timestamptz, not_before),
            sent_at = CASE WHEN $3 = 'delivered' THEN $8::timestamptz ELSE sent_at END
          WHERE member_id = $1 AND id = $2`,
        [memberId, msg.id, to, sentVia, reason, detail, notBefore, now.toISOString()],
      );
      await tx.query(
        `INSERT INTO message_events (member_id, message_id, from_state, to_state, reason, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [memberId, msg.id, msg.state, to, reason, detail, now.toISOString()],
      );
    }
  }
  return counts;
}

/** The member's recent contact ledger: what was sent (or suppressed) in the last few local days. */
async function loadLedger(tx: Queryable, memberId: string, now: Date): Promise<LedgerEntry[]> {
  const { rows } = await tx.query<{
    priority: MessagePriority;
    channel: Channel;
    state: string;
    sent_at: Date | string | null;
    created_at: Date | string;
    dedupe_key: string | null;
    reason: string | null;
    purpose: MessagePurpose;
  }>(
    `SELECT priority, channel, state, sent_at, created_at, dedupe_key, reason, purpose FROM messages
      WHERE member_id = $1 AND coalesce(sent_at, created_at) >= $2::timestamptz - interval '8 days'
        AND state NOT IN ('pending', 'deferred')`,
    [memberId, now.toISOString()],
  );
  return rows.map((r) => ({
    at: iso(r.sent_at ?? r.created_at),
    priority: r.priority,
    channel: r.channel,
    outcome: r.state === 'suppressed' ? 'suppressed' : 'sent',
    dedupeKey: r.dedupe_key,
    reason: r.reason,
    purpose: r.purpose,
  }));
}
