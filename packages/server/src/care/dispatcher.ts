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
import { notifyMessages } from '../channels/messageNotices.ts';
import { isChannel, redFlagChannelOrder, routeMessage } from '../channels/routeChannels.ts';

export interface DispatchCounts {
  /** Released by the policy into the in-app inbox (red flags included: they always land there). */
  delivered: number;
  /** Released by the policy to an outside channel: the sender takes them from here. */
  queued: number;
  deferred: number;
  suppressed: number;
}

interface DueMessage {
  id: string;
  priority: MessagePriority;
  purpose: MessagePurpose;
  channel: Channel;
  dedupe_key: string | null;
  state: string;
}

interface DispatchMember {
  time_zone: string;
  channel_preferences: string[] | null;
  consents: { channels?: Record<string, boolean>; marketing?: boolean };
  quiet_hours: { start: string; end: string } | null;
  last_interaction_at: Date | string | null;
  last_key: Date | string | null;
}

/**
 * The per-member reference implementation: production paths use dispatchMembersBatch
 * (batchDispatch.ts), which batchDispatch.test.ts checks row by row against this one.
 *
 * Runs the contact policy over each member's due messages (pending, or deferred until now) and
 * moves them along the state machine: delivered (in-app), queued (an outside channel, sent later
 * by the channel sender outside this transaction), deferred (with the instant and reason) or
 * suppressed (with the reason). Every transition is written to message_events.
 *
 * The channel is the member's: their preference order, where they consented and can be reached,
 * with the in-app inbox as the fallback. A red flag lands in the inbox at once and is also queued
 * to the most immediate outside channel, with the others as its fallback chain (decision 0007).
 * Changes are announced with pg_notify, which PostgreSQL delivers only when the caller commits.
 */
export async function dispatchMembers(
  tx: Queryable,
  memberIds: readonly string[],
  now: Date,
): Promise<DispatchCounts> {
  const counts: DispatchCounts = { delivered: 0, queued: 0, deferred: 0, suppressed: 0 };
  const inbox: [string, string][] = [];
  const nowIso = now.toISOString();
  for (const memberId of memberIds) {
    const due = await tx.query<DueMessage>(
      `SELECT id::text AS id, priority, purpose, channel, dedupe_key, state FROM messages
        WHERE member_id = $1 AND state IN ('pending', 'deferred') AND not_before <= $2
        ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
      [memberId, nowIso],
    );
    if (due.rows.length === 0) continue;
    const m = await tx.query<DispatchMember>(
      `SELECT time_zone, channel_preferences, consents, quiet_hours, last_interaction_at,
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
    const preferences = member.channel_preferences ?? ['in-app'];
    let reachable: ReadonlySet<Channel> | null = null;
    for (const msg of orderByPriority(due.rows)) {
      const requested: Channel = isChannel(msg.channel) ? msg.channel : 'in-app';
      // Addresses are looked up only when an outside channel could be chosen at all.
      if (reachable === null && mayUseOutsideChannel(msg, requested, preferences, channelConsent))
        reachable = await loadReachable(tx, memberId);
      const route = routeMessage({
        requested,
        priority: msg.priority,
        preferences,
        consent: channelConsent,
        reachable: reachable ?? new Set(),
      });
      const request: DeliveryRequest = {
        priority: msg.priority,
        channel: route.primary,
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
      let sentVia: Channel = requested;
      if (decision.action === 'send') {
        if (msg.priority === 'red-flag' || route.primary === 'in-app') {
          to = 'delivered';
          sentVia = 'in-app';
          counts.delivered++;
          inbox.push([memberId, msg.id]);
          const chain = route.redFlagChain;
          if (chain.length > 0) {
            await queueDelivery(tx, memberId, msg, chain[0]!, chain.slice(1), nowIso);
            counts.queued++;
          }
        } else {
          to = 'queued';
          sentVia = route.primary;
          counts.queued++;
          await queueDelivery(tx, memberId, msg, route.primary, [], nowIso);
        }
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
      // sent_at is when the policy released the message: the ledger counts it from then on.
      await tx.query(
        `UPDATE messages SET state = $3, channel = $4, reason = $5, reason_detail = $6,
            not_before = coalesce($7::timestamptz, not_before),
            sent_at = CASE WHEN $3 IN ('delivered', 'queued') THEN $8::timestamptz ELSE sent_at END
          WHERE member_id = $1 AND id = $2`,
        [memberId, msg.id, to, sentVia, reason, detail, notBefore, nowIso],
      );
      await tx.query(
        `INSERT INTO message_events (member_id, message_id, from_state, to_state, reason, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [memberId, msg.id, msg.state, to, reason, detail, nowIso],
      );
    }
  }
  await notifyMessages(tx, { inbox, queued: counts.queued });
  return counts;
}

function mayUseOutsideChannel(
  msg: DueMessage,
  requested: Channel,
  preferences: readonly string[],
  consent: Partial<Record<Channel, boolean>>,
): boolean {
  const candidates = new Set<string>([...preferences, requested]);
  if (msg.priority === 'red-flag') for (const c of redFlagChannelOrder) candidates.add(c);
  for (const c of candidates) if (c !== 'in-app' && consent[c as Channel] === true) return true;
  return false;
}

/** The outside channels the member has an address (or a push subscription) for. */
async function loadReachable(tx: Queryable, memberId: string): Promise<Set<Channel>> {
  const { rows } = await tx.query<{ channel: Channel }>(
    `SELECT channel FROM member_contacts WHERE member_id = $1
     UNION SELECT 'web-push' FROM push_subscriptions WHERE member_id = $1`,
    [memberId],
  );
  return new Set(rows.map((r) => r.channel));
}

async function queueDelivery(
  tx: Queryable,
  memberId: string,
  msg: DueMessage,
  channel: Channel,
  fallback: readonly Channel[],
  nowIso: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO message_deliveries (member_id, message_id, channel, priority, status, next_attempt_at, fallback, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'queued', $5, $6, $5, $5) ON CONFLICT (member_id, message_id, channel) DO NOTHING`,
    [memberId, msg.id, channel, msg.priority, nowIso, fallback],
  );
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
