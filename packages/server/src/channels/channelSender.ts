import type { Channel, MessagePriority, MessagePurpose } from '@careloop/core';
import type { Db, Queryable } from '../db/Db.ts';
import { iso } from '../storage/rows.ts';
import type {
  Bilingual,
  ChannelAdapter,
  OutboundMessage,
  PushSubscriptionKeys,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
import type { ChannelConfig } from './channelConfig.ts';
import { notifyMessages } from './messageNotices.ts';
import { retryDelayMs } from './retryBackoff.ts';
import { allChannels } from './routeChannels.ts';
import { redactError } from './sendErrors.ts';
import { TokenBucket } from './tokenBucket.ts';

export interface SendCounts {
  /** Accepted by the channel (or, for in-app, in the inbox). */
  sent: number;
  /** Failed this time; another attempt is scheduled with backoff. */
  retried: number;
  /** Out of attempts (or failed for good): on the dead-letter list. */
  dead: number;
  /** Moved on to the next channel (red flags) or to the in-app inbox (channel not configured). */
  fellBack: number;
  /** Due, but held back by the channel's rate limit until tokens refill. */
  rateLimited: number;
}

export interface ChannelSenderOptions {
  db: Db;
  /** One adapter per configured channel; in-app is always there. */
  adapters: ReadonlyMap<Channel, ChannelAdapter>;
  config: Pick<
    ChannelConfig,
    'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'leaseMs' | 'rateLimits'
  >;
  /** Jitter source (injected so tests are reproducible). */
  random?: () => number;
  /** Deliveries claimed per channel per round. */
  batchSize?: number;
  /** Sends in flight at once. */
  concurrency?: number;
}

interface Claimed {
  memberId: string;
  id: string;
  messageId: string;
  channel: Channel;
  priority: MessagePriority;
  attempt: number;
  redrives: number;
  fallback: Channel[];
}

interface Loaded extends Claimed {
  message: OutboundMessage | null;
  member: RecipientMember | null;
  messageState: string | null;
}

/**
 * Works the channel outbox. Each round claims due deliveries per channel in one short transaction
 * (FOR UPDATE SKIP LOCKED, status 'sending' with a lease, attempt counted), sends them with no
 * transaction open, and records each outcome in its own short transaction guarded by the attempt
 * number, so a sender whose lease ran out cannot overwrite the one that reclaimed the row.
 *
 * Outcomes: accepted → sent (message queued → sent); retryable failure → queued again after
 * exponential backoff with jitter; out of attempts or final failure → dead-letter (message → failed);
 * red flags skip retries while another channel is left and fall over to it (they are already in the
 * inbox); a channel this server has not configured hands the message to the in-app inbox.
 */
export class ChannelSender {
  readonly #db: Db;
  readonly #adapters: ReadonlyMap<Channel, ChannelAdapter>;
  readonly #config: ChannelSenderOptions['config'];
  readonly #random: () => number;
  readonly #batch: number;
  readonly #concurrency: number;
  readonly #buckets = new Map<Channel, TokenBucket>();

  constructor(opts: ChannelSenderOptions) {
    this.#db = opts.db;
    this.#adapters = opts.adapters;
    this.#config = opts.config;
    this.#random = opts.random ?? Math.random;
    this.#batch = opts.batchSize ?? 100;
    this.#concurrency = opts.concurrency ?? 16;
    for (const [channel, limit] of Object.entries(opts.config.rateLimits))
      this.#buckets.set(channel as Channel, new TokenBucket(limit));
  }

  /** Sends everything due at `now`, as far as the rate limits allow. */
  async runDue(now: Date): Promise<SendCounts> {
    const counts: SendCounts = { sent: 0, retried: 0, dead: 0, fellBack: 0, rateLimited: 0 };
    const nowMs = now.getTime();
    const limited = new Set<Channel>();
    for (let round = 0; round < 1000; round++) {
      // One cheap look first: an idle outbox costs one query per run, not one per channel.
      const due = await this.#dueByChannel(now);
      if (due.size === 0) break;
      let more = false;
      const fellBackBefore = counts.fellBack;
      for (const channel of allChannels) {
        const n = due.get(channel) ?? 0;
        if (n === 0) continue;
        // Unconfigured channels cost nothing to hand over to the inbox: no rate limit there.
        const bucket = this.#adapters.has(channel) ? this.#buckets.get(channel) : undefined;
        const limit = bucket ? Math.min(this.#batch, bucket.available(nowMs)) : this.#batch;
        if (limit === 0) {
          limited.add(channel);
          continue;
        }
        const claimed = await this.#claim(channel, limit, now);
        if (bucket) bucket.take(claimed.length, nowMs);
        if (claimed.length === limit && n > limit) more = true;
        await this.#sendAll(claimed, now, counts);
      }
      // A fallback queued the next channel just now: a red flag should not wait for the next run.
      if (!more && counts.fellBack === fellBackBefore) break;
    }
    if (limited.size > 0) {
      const left = await this.#dueByChannel(now);
      for (const c of limited) counts.rateLimited += left.get(c) ?? 0;
    }
    return counts;
  }

  /** How many deliveries are due per channel (queued and due, or claimed with a lapsed lease). */
  async #dueByChannel(now: Date): Promise<Map<Channel, number>> {
    const { rows } = await this.#db.query<{ channel: Channel; n: number }>(
      `SELECT channel, count(*)::int AS n FROM message_deliveries
        WHERE status IN ('queued', 'sending')
          AND ((status = 'queued' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1))
        GROUP BY channel`,
      [now.toISOString()],
    );
    return new Map(rows.map((r) => [r.channel, r.n]));
  }

  async #claim(channel: Channel, limit: number, now: Date): Promise<Loaded[]> {
    const nowIso = now.toISOString();
    const leaseUntil = new Date(now.getTime() + this.#config.leaseMs).toISOString();
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        member_id: string;
        id: string;
        message_id: string;
        channel: Channel;
        priority: MessagePriority;
        attempts: number;
        redrives: number;
        fallback: Channel[];
      }>(
        `WITH due AS (
           SELECT member_id, id FROM message_deliveries
            WHERE channel = $1 AND ((status = 'queued' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until <= $2))
            ORDER BY CASE priority WHEN 'red-flag' THEN 0 WHEN 'clinical' THEN 1 ELSE 2 END, next_attempt_at
            LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE message_deliveries d SET status = 'sending', attempts = d.attempts + 1, lease_until = $4, updated_at = $2
           FROM due WHERE d.member_id = due.member_id AND d.id = due.id
         RETURNING d.member_id::text AS member_id, d.id::text AS id, d.message_id::text AS message_id, d.channel,
                   d.priority, d.attempts, d.redrives, d.fallback`,
        [channel, nowIso, limit, leaseUntil],
      );
      if (rows.length === 0) return [];
      const memberIds = rows.map((r) => r.member_id);
      const messageIds = rows.map((r) => r.message_id);
      await tx.query(
        `UPDATE messages m SET attempts = m.attempts + 1
           FROM unnest($1::uuid[], $2::bigint[]) AS k(member_id, id)
          WHERE m.member_id = k.member_id AND m.id = k.id`,
        [memberIds, messageIds],
      );
      const msgs = await tx.query<{
        member_id: string;
        id: string;
        purpose: MessagePurpose;
        body: Bilingual;
        state: string;
        created_at: Date | string;
        external_ref: string;
        locale: RecipientMember['locale'];
        time_zone: string;
        address: string | null;
      }>(
        `SELECT m.member_id::text AS member_id, m.id::text AS id, m.purpose, m.body, m.state, m.created_at,
                mb.external_ref, mb.locale, mb.time_zone,
                (SELECT address FROM member_contacts c WHERE c.member_id = m.member_id AND c.channel = $3) AS address
           FROM unnest($1::uuid[], $2::bigint[]) AS k(member_id, id)
           JOIN messages m ON m.member_id = k.member_id AND m.id = k.id
           JOIN members mb ON mb.id = m.member_id`,
        [memberIds, messageIds, channel],
      );
      const subs = new Map<string, PushSubscriptionKeys[]>();
      if (channel === 'web-push') {
        const s = await tx.query<{
          member_id: string;
          endpoint: string;
          p256dh: string;
          auth: string;
        }>(
          `SELECT member_id::text AS member_id, endpoint, p256dh, auth FROM push_subscriptions
            WHERE member_id = ANY($1::uuid[]) ORDER BY id`,
          [memberIds],
        );
        for (const r of s.rows) {
          const list = subs.get(r.member_id) ?? [];
          list.push({ endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } });
          subs.set(r.member_id, list);
        }
      }
      const byKey = new Map(msgs.rows.map((r) => [`${r.member_id}/${r.id}`, r]));
      return rows.map((r): Loaded => {
        const claimed: Claimed = {
          memberId: r.member_id,
          id: r.id,
          messageId: r.message_id,
          channel: r.channel,
          priority: r.priority,
          attempt: r.attempts,
          redrives: r.redrives,
          fallback: r.fallback ?? [],
        };
        const m = byKey.get(`${r.member_id}/${r.message_id}`);
        if (!m) return { ...claimed, message: null, member: null, messageState: null };
        return {
          ...claimed,
          messageState: m.state,
          message: {
            memberId: r.member_id,
            messageId: r.message_id,
            deliveryId: r.id,
            channel: r.channel,
            priority: r.priority,
            purpose: m.purpose,
            body: m.body,
            createdAt: iso(m.created_at),
            idempotencyKey: deliveryKey(r.id, r.redrives),
            attempt: r.attempts,
          },
          member: {
            id: r.member_id,
            externalRef: m.external_ref,
            locale: m.locale,
            timeZone: m.time_zone,
            address: m.address,
            pushSubscriptions: subs.get(r.member_id) ?? [],
          },
        };
      });
    });
  }

  async #sendAll(claimed: readonly Loaded[], now: Date, counts: SendCounts): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const c = claimed[next++]!;
        const started = new Date();
        let result: SendResult | 'not-configured';
        const adapter = this.#adapters.get(c.channel);
        if (!c.message || !c.member)
          result = { ok: false, retryable: false, error: 'the message no longer exists' };
        else if (!adapter) result = 'not-configured';
        else {
          try {
            result = await adapter.send(c.message, c.member);
          } catch (err) {
            // An adapter bug is not the member's fault: retry, and keep the text for operators.
            result = {
              ok: false,
              retryable: true,
              error: redactError(`${c.channel}: ${(err as Error).message ?? String(err)}`),
            };
          }
        }
        const outcome = await this.#record(c, result, started, now);
        if (outcome) counts[outcome]++;
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.#concurrency, claimed.length) }, () => worker()),
    );
  }

  /** Records one attempt's outcome in its own short transaction. */
  async #record(
    c: Loaded,
    result: SendResult | 'not-configured',
    started: Date,
    now: Date,
  ): Promise<keyof Omit<SendCounts, 'rateLimited'> | null> {
    const nowIso = now.toISOString();
    return this.#db.transaction(async (tx) => {
      const inbox: [string, string][] = [];
      let queued = 0;
      const error =
        result === 'not-configured'
          ? `${c.channel}: not configured on this server`
          : result.ok
            ? null
            : result.error;
      const providerId =
        result !== 'not-configured' && result.ok ? (result.providerId ?? null) : null;
      let attemptOutcome: 'sent' | 'retry' | 'dead' | 'fallback' | 'failed';
      let counted: keyof Omit<SendCounts, 'rateLimited'> | null;

      const cur = await tx.query<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM message_deliveries WHERE member_id = $1 AND id = $2 FOR UPDATE`,
        [c.memberId, c.id],
      );
      const row = cur.rows[0];
      const stale = !row || row.status !== 'sending' || row.attempts !== c.attempt;

      if (stale) {
        // Our lease ran out and another sender owns the row now; only the attempt is logged.
        attemptOutcome = result !== 'not-configured' && result.ok ? 'sent' : 'failed';
        counted = null;
      } else if (result !== 'not-configured' && result.ok) {
        attemptOutcome = 'sent';
        counted = 'sent';
        const inApp = c.channel === 'in-app';
        await tx.query(
          `UPDATE message_deliveries SET status = $3, provider_id = $4, sent_at = $5, delivered_at = $6,
              lease_until = NULL, last_error = NULL, updated_at = $5
            WHERE member_id = $1 AND id = $2`,
          [
            c.memberId,
            c.id,
            inApp ? 'delivered' : 'sent',
            providerId,
            nowIso,
            inApp ? nowIso : null,
          ],
        );
        // A red flag is in the inbox already; a queued (or re-driven) message enters it now.
        if (c.messageState === 'queued' || c.messageState === 'failed') {
          const to = inApp ? 'delivered' : 'sent';
          await this.#moveMessage(tx, c, to, c.channel, null, null, nowIso);
          inbox.push([c.memberId, c.messageId]);
        }
      } else if (c.fallback.length > 0) {
        // Red flag: no retries on this channel while another one may reach the member sooner.
        attemptOutcome = 'fallback';
        counted = 'fellBack';
        await this.#closeDelivery(tx, c, 'failed', error, nowIso);
        await tx.query(
          `INSERT INTO message_deliveries (member_id, message_id, channel, priority, status, next_attempt_at, fallback, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'queued', $5, $6, $5, $5) ON CONFLICT (member_id, message_id, channel) DO NOTHING`,
          [c.memberId, c.messageId, c.fallback[0], c.priority, nowIso, c.fallback.slice(1)],
        );
        queued++;
      } else if (result === 'not-configured') {
        await this.#closeDelivery(tx, c, 'failed', error, nowIso);
        if (c.messageState === 'queued' || c.messageState === 'failed') {
          attemptOutcome = 'fallback';
          counted = 'fellBack';
          await this.#moveMessage(tx, c, 'delivered', 'in-app', 'channel-fallback', error, nowIso);
          inbox.push([c.memberId, c.messageId]);
        } else {
          // A red flag's last outside channel: it is in the inbox, nothing more to try.
          attemptOutcome = 'failed';
          counted = null;
        }
      } else if (result.retryable && c.attempt < this.#config.maxAttempts && c.message) {
        attemptOutcome = 'retry';
        counted = 'retried';
        const delay = retryDelayMs(
          c.attempt,
          { baseMs: this.#config.retryBaseMs, maxMs: this.#config.retryMaxMs },
          this.#random,
        );
        await tx.query(
          `UPDATE message_deliveries SET status = 'queued', next_attempt_at = $3, lease_until = NULL,
              last_error = $4, updated_at = $5
            WHERE member_id = $1 AND id = $2`,
          [c.memberId, c.id, new Date(now.getTime() + delay).toISOString(), error, nowIso],
        );
      } else {
        attemptOutcome = 'dead';
        counted = 'dead';
        await this.#closeDelivery(tx, c, 'dead', error, nowIso);
        if (c.messageState === 'queued')
          await this.#moveMessage(tx, c, 'failed', c.channel, 'dead-letter', error, nowIso);
      }

      const stale_ = result !== 'not-configured' ? (result.staleAddresses ?? []) : [];
      if (stale_.length > 0)
        await tx.query(
          `DELETE FROM push_subscriptions WHERE member_id = $1 AND endpoint = ANY($2::text[])`,
          [c.memberId, stale_],
        );
      await tx.query(
        `INSERT INTO delivery_attempts (member_id, delivery_id, attempt, idempotency_key, channel, outcome, provider_id, error, started_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
        [
          c.memberId,
          c.id,
          c.attempt,
          `${deliveryKey(c.id, c.redrives)}#${c.attempt}`,
          c.channel,
          attemptOutcome,
          providerId,
          error,
          started.toISOString(),
          nowIso,
        ],
      );
      await notifyMessages(tx, { inbox, queued });
      return counted;
    });
  }

  async #closeDelivery(
    tx: Queryable,
    c: Claimed,
    status: 'failed' | 'dead',
    error: string | null,
    nowIso: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE message_deliveries SET status = $3, last_error = $4, lease_until = NULL, updated_at = $5,
          dead_at = CASE WHEN $3 = 'dead' THEN $5::timestamptz ELSE dead_at END
        WHERE member_id = $1 AND id = $2`,
      [c.memberId, c.id, status, error, nowIso],
    );
  }

  async #moveMessage(
    tx: Queryable,
    c: Loaded,
    to: 'sent' | 'delivered' | 'failed',
    channel: Channel,
    reason: string | null,
    detail: string | null,
    nowIso: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE messages SET state = $3, channel = $4, reason = coalesce($5, reason), reason_detail = coalesce($6, reason_detail)
        WHERE member_id = $1 AND id = $2`,
      [c.memberId, c.messageId, to, channel, reason, detail],
    );
    await tx.query(
      `INSERT INTO message_events (member_id, message_id, from_state, to_state, reason, detail, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.memberId, c.messageId, c.messageState, to, reason, detail, nowIso],
    );
  }
}

/**
 * The provider idempotency key of a delivery: the same for every attempt (a provider that saw the
 * first attempt answers the retry without sending twice), new for each operator re-drive.
 */
export function deliveryKey(deliveryId: string, redrives: number): string {
  return `careloop-d${deliveryId}-r${redrives}`;
}
