import {
  decideDelivery,
  defaultDeliveryPolicy,
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
import { isChannel, routeMessage } from '../channels/routeChannels.ts';
import { withIndexJoins } from '../workers/indexJoins.ts';
import { installZoneOffsetCache } from '../workers/zoneOffsetCache.ts';
import type { DispatchCounts } from './dispatcher.ts';

export interface DispatchBatchResult extends DispatchCounts {
  /** Members whose due messages this batch decided (locked for the transaction). */
  members: number;
  /** Nothing was claimed although messages are due: other dispatchers hold those members. */
  heldElsewhere: boolean;
}

/** What the contact policy made of one message: the row update and its message_events entry. */
interface MessageOutcome {
  memberId: string;
  messageId: string;
  fromState: string;
  toState: 'delivered' | 'queued' | 'deferred' | 'suppressed';
  channel: Channel;
  reason: string | null;
  detail: string | null;
  notBefore: string | null;
}

/** A message released to an outside channel: a row for the channel sender. */
interface QueuedDelivery {
  memberId: string;
  messageId: string;
  channel: Channel;
  priority: MessagePriority;
  /** Red flags only: the channels to try next when this one fails. */
  fallback: readonly Channel[];
}

interface MemberPolicyRow {
  member_id: string;
  time_zone: string;
  channel_preferences: string[] | null;
  consents: { channels?: Record<string, boolean>; marketing?: boolean } | null;
  quiet_hours: { start: string; end: string } | null;
  last_interaction_at: Date | string | null;
  last_key: Date | string | null;
  best_send_hour: number | null;
}

interface MessageRow {
  member_id: string;
  id: string;
  priority: MessagePriority;
  purpose: MessagePurpose;
  channel: string;
  dedupe_key: string | null;
  state: string;
  reason: string | null;
  /** Epoch ms of sent_at, else created_at: cheaper to read than two timestamps per row. */
  at_ms: number;
  due: boolean;
}

const memberPolicyColumns = `m.id::text AS member_id, m.time_zone, m.channel_preferences, m.consents,
  m.quiet_hours, m.last_interaction_at, m.best_send_hour,
  (SELECT max(e.at) FROM engagement_events e
    WHERE e.member_id = m.id AND e.kind IN ('reading', 'task-completed')) AS last_key`;

/**
 * One dispatcher decides a member's messages at a time: the member row is locked FOR NO KEY UPDATE
 * (which, unlike FOR UPDATE, does not block inserts that reference the member), SKIP LOCKED so a
 * busy member is left for the next tick instead of making this worker wait. Without it two workers
 * could each see two messages sent today and both send a third and a fourth.
 */
const lockMembers = 'FOR NO KEY UPDATE OF m SKIP LOCKED';

/**
 * Runs the contact policy over up to `maxMembers` members with due messages (pending, or deferred
 * until now) in a few set-based statements: claim the members, read their due messages and ledgers
 * at once, decide in JS, write every outcome with its event in one statement and the outside-channel
 * deliveries in another. Call it in a transaction; N workers may run it at once on one database.
 */
export async function dispatchDueBatch(
  tx: Queryable,
  now: Date,
  opts: { maxMembers?: number } = {},
): Promise<DispatchBatchResult> {
  const maxMembers = opts.maxMembers ?? 500;
  const nowIso = now.toISOString();
  // Candidates come from more due messages than we take members, so concurrent workers that skip
  // each other's locked members still find work in the same slice of the due index.
  const claimed = await tx.query<MemberPolicyRow>(
    `WITH due AS (
       SELECT DISTINCT member_id FROM (
         SELECT member_id FROM messages
          WHERE state IN ('pending', 'deferred') AND not_before <= $1
          ORDER BY not_before LIMIT $2) d)
     SELECT ${memberPolicyColumns}
       FROM members m WHERE m.id IN (SELECT member_id FROM due)
      LIMIT $3 ${lockMembers}`,
    [nowIso, maxMembers * 4, maxMembers],
  );
  let heldElsewhere = false;
  if (claimed.rows.length === 0) {
    const due = await tx.query(
      `SELECT 1 FROM messages WHERE state IN ('pending', 'deferred') AND not_before <= $1 LIMIT 1`,
      [nowIso],
    );
    heldElsewhere = due.rows.length > 0;
  }
  const counts = await dispatchLockedMembers(tx, claimed.rows, now);
  return { ...counts, members: claimed.rows.length, heldElsewhere };
}

/**
 * The contact policy over the given members' due messages (after an ingest, an event or a timer
 * batch). Members another dispatcher holds are skipped: their messages stay due for the next tick.
 */
export async function dispatchMembersBatch(
  tx: Queryable,
  memberIds: readonly string[],
  now: Date,
): Promise<DispatchCounts> {
  if (memberIds.length === 0) return { delivered: 0, queued: 0, deferred: 0, suppressed: 0 };
  const { rows } = await tx.query<MemberPolicyRow>(
    `SELECT ${memberPolicyColumns} FROM members m WHERE m.id = ANY($1::uuid[]) ${lockMembers}`,
    [[...new Set(memberIds)]],
  );
  return dispatchLockedMembers(tx, rows, now);
}

async function dispatchLockedMembers(
  tx: Queryable,
  members: readonly MemberPolicyRow[],
  now: Date,
): Promise<DispatchCounts> {
  const counts: DispatchCounts = { delivered: 0, queued: 0, deferred: 0, suppressed: 0 };
  if (members.length === 0) return counts;
  installZoneOffsetCache();
  const nowIso = now.toISOString();
  const ids = members.map((m) => m.member_id);
  // Due messages and the recent ledger of every member in one read.
  const { rows } = await tx.query<MessageRow>(
    `SELECT member_id::text AS member_id, id::text AS id, priority, purpose, channel, dedupe_key, state,
            reason, (extract(epoch FROM coalesce(sent_at, created_at)) * 1000)::float8 AS at_ms,
            (state IN ('pending', 'deferred')) AS due
       FROM messages
      WHERE member_id = ANY($1::uuid[])
        AND ((state IN ('pending', 'deferred') AND not_before <= $2)
          OR (state NOT IN ('pending', 'deferred') AND coalesce(sent_at, created_at) >= $3))
      ORDER BY member_id, created_at, id`,
    [ids, nowIso, ledgerSince(now)],
  );
  const byMember = new Map<string, { due: MessageRow[]; ledger: LedgerEntry[] }>();
  for (const r of rows) {
    let slot = byMember.get(r.member_id);
    if (!slot) byMember.set(r.member_id, (slot = { due: [], ledger: [] }));
    if (r.due) slot.due.push(r);
    else slot.ledger.push(ledgerEntryOf(r));
  }
  const reachable = await loadReachable(
    tx,
    members.filter((m) => byMember.get(m.member_id)?.due.length && mayUseOutsideChannel(m)),
  );
  const outcomes: MessageOutcome[] = [];
  const deliveries: QueuedDelivery[] = [];
  for (const member of members) {
    const slot = byMember.get(member.member_id);
    if (!slot || slot.due.length === 0) continue;
    decideMember(member, slot.due, slot.ledger, reachable, now, outcomes, deliveries, counts);
  }
  await writeOutcomes(tx, outcomes, now);
  await queueDeliveries(tx, deliveries, now);
  await notifyMessages(tx, {
    inbox: outcomes
      .filter((o) => o.toState === 'delivered')
      .map((o): [string, string] => [o.memberId, o.messageId]),
    queued: deliveries.length,
  });
  return counts;
}

/**
 * The oldest ledger row the policy can need: the dedupe window, or two full local days before today
 * for the cap and the two-day backoff (72 h covers them in every zone; mirrors core's
 * historyNeededSince, which the core barrel does not export).
 */
function ledgerSince(now: Date): string {
  const hours = Math.max(defaultDeliveryPolicy.dedupeWindowHours, 72);
  return new Date(now.getTime() - hours * 3_600_000).toISOString();
}

function ledgerEntryOf(r: MessageRow): LedgerEntry {
  return {
    at: new Date(r.at_ms).toISOString(),
    priority: r.priority,
    channel: isChannel(r.channel) ? r.channel : 'in-app',
    outcome: r.state === 'suppressed' ? 'suppressed' : 'sent',
    dedupeKey: r.dedupe_key,
    reason: r.reason,
    purpose: r.purpose,
  };
}

const channelConsentOf = (m: MemberPolicyRow): Partial<Record<Channel, boolean>> =>
  (m.consents?.channels ?? { 'in-app': true }) as Partial<Record<Channel, boolean>>;

/** Addresses are worth reading only for members who consented to some outside channel. */
function mayUseOutsideChannel(m: MemberPolicyRow): boolean {
  return Object.entries(channelConsentOf(m)).some(([c, yes]) => c !== 'in-app' && yes === true);
}

/** The outside channels each member has an address (or a push subscription) for. */
async function loadReachable(
  tx: Queryable,
  members: readonly MemberPolicyRow[],
): Promise<Map<string, Set<Channel>>> {
  const out = new Map<string, Set<Channel>>();
  if (members.length === 0) return out;
  const { rows } = await tx.query<{ member_id: string; channel: Channel }>(
    `SELECT member_id::text AS member_id, channel FROM member_contacts WHERE member_id = ANY($1::uuid[])
     UNION SELECT member_id::text, 'web-push' FROM push_subscriptions WHERE member_id = ANY($1::uuid[])`,
    [members.map((m) => m.member_id)],
  );
  for (const r of rows) {
    const set = out.get(r.member_id);
    if (set) set.add(r.channel);
    else out.set(r.member_id, new Set([r.channel]));
  }
  return out;
}

const nowhere: ReadonlySet<Channel> = new Set();

/**
 * One member's due messages, highest class first, each routed to the member's channel and decided
 * against the ledger so far. A red flag lands in the inbox and is also queued to the most immediate
 * outside channel, the others as its fallback chain; other messages go to their routed channel.
 */
function decideMember(
  member: MemberPolicyRow,
  due: MessageRow[],
  history: LedgerEntry[],
  reachableByMember: ReadonlyMap<string, ReadonlySet<Channel>>,
  now: Date,
  outcomes: MessageOutcome[],
  deliveries: QueuedDelivery[],
  counts: DispatchCounts,
): void {
  const memberId = member.member_id;
  const channelConsent = channelConsentOf(member);
  const deliveryMember = {
    timeZone: member.time_zone,
    channelConsent,
    marketingConsent: member.consents?.marketing ?? false,
    quietHours: member.quiet_hours,
    bestSendHour: member.best_send_hour ?? null,
  };
  const preferences = member.channel_preferences ?? ['in-app'];
  const reachable = reachableByMember.get(memberId) ?? nowhere;
  const lastInteractionAt = member.last_interaction_at ? iso(member.last_interaction_at) : null;
  const lastKeyBehaviourAt = member.last_key ? iso(member.last_key) : null;
  for (const msg of orderByPriority(due)) {
    const requested: Channel = isChannel(msg.channel) ? msg.channel : 'in-app';
    const route = routeMessage({
      requested,
      priority: msg.priority,
      preferences,
      consent: channelConsent,
      reachable,
    });
    const request: DeliveryRequest = {
      priority: msg.priority,
      channel: route.primary,
      dedupeKey: msg.dedupe_key,
      purpose: msg.purpose,
      promotional: msg.purpose === 'promotion',
    };
    const decision = decideDelivery(request, {
      member: deliveryMember,
      history,
      lastInteractionAt,
      lastKeyBehaviourAt,
      now,
    });
    history.push(ledgerEntryFor(request, decision, now));
    const base = { memberId, messageId: msg.id, fromState: msg.state };
    if (decision.action === 'send') {
      if (msg.priority === 'red-flag' || route.primary === 'in-app') {
        outcomes.push({
          ...base,
          toState: 'delivered',
          channel: 'in-app',
          reason: null,
          detail: null,
          notBefore: null,
        });
        counts.delivered++;
        const [first, ...rest] = route.redFlagChain;
        if (first) {
          deliveries.push({
            memberId,
            messageId: msg.id,
            channel: first,
            priority: msg.priority,
            fallback: rest,
          });
          counts.queued++;
        }
      } else {
        outcomes.push({
          ...base,
          toState: 'queued',
          channel: route.primary,
          reason: null,
          detail: null,
          notBefore: null,
        });
        deliveries.push({
          memberId,
          messageId: msg.id,
          channel: route.primary,
          priority: msg.priority,
          fallback: [],
        });
        counts.queued++;
      }
    } else {
      outcomes.push({
        ...base,
        toState: decision.action === 'defer' ? 'deferred' : 'suppressed',
        channel: requested,
        reason: decision.reason,
        detail: decision.detail,
        notBefore: decision.action === 'defer' ? decision.until : null,
      });
      counts[decision.action === 'defer' ? 'deferred' : 'suppressed']++;
    }
  }
}

/**
 * Every outcome and its message_events row in one statement (UPDATE … FROM unnest, then INSERT).
 * sent_at is when the policy released the message: the ledger counts it from then on.
 */
async function writeOutcomes(
  tx: Queryable,
  outcomes: readonly MessageOutcome[],
  now: Date,
): Promise<void> {
  if (outcomes.length === 0) return;
  await withIndexJoins(tx, () =>
    tx.query(
      `WITH u AS (
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::timestamptz[])
         AS u(member_id, id, from_state, to_state, channel, reason, detail, not_before)),
     changed AS (
       UPDATE messages m SET state = u.to_state, channel = u.channel, reason = u.reason,
              reason_detail = u.detail, not_before = coalesce(u.not_before, m.not_before),
              sent_at = CASE WHEN u.to_state IN ('delivered', 'queued') THEN $9::timestamptz ELSE m.sent_at END
         FROM u WHERE m.member_id = u.member_id AND m.id = u.id
       RETURNING m.member_id, m.id, u.from_state, u.to_state, u.reason, u.detail)
     INSERT INTO message_events (member_id, message_id, from_state, to_state, reason, detail, at)
     SELECT member_id, id, from_state, to_state, reason, detail, $9::timestamptz FROM changed`,
      [
        outcomes.map((o) => o.memberId),
        outcomes.map((o) => o.messageId),
        outcomes.map((o) => o.fromState),
        outcomes.map((o) => o.toState),
        outcomes.map((o) => o.channel),
        outcomes.map((o) => o.reason),
        outcomes.map((o) => o.detail),
        outcomes.map((o) => o.notBefore),
        now.toISOString(),
      ],
    ),
  );
}

/** Rows for the channel sender, one statement; a fallback chain travels as a comma list. */
async function queueDeliveries(
  tx: Queryable,
  deliveries: readonly QueuedDelivery[],
  now: Date,
): Promise<void> {
  if (deliveries.length === 0) return;
  await tx.query(
    `INSERT INTO message_deliveries (member_id, message_id, channel, priority, status, next_attempt_at,
        fallback, created_at, updated_at)
     SELECT u.member_id, u.message_id, u.channel, u.priority, 'queued', $6::timestamptz,
            CASE WHEN u.fallback = '' THEN '{}'::text[] ELSE string_to_array(u.fallback, ',') END,
            $6::timestamptz, $6::timestamptz
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[])
         AS u(member_id, message_id, channel, priority, fallback)
     ON CONFLICT (member_id, message_id, channel) DO NOTHING`,
    [
      deliveries.map((d) => d.memberId),
      deliveries.map((d) => d.messageId),
      deliveries.map((d) => d.channel),
      deliveries.map((d) => d.priority),
      deliveries.map((d) => d.fallback.join(',')),
      now.toISOString(),
    ],
  );
}
