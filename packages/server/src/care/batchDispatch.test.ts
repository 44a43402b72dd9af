import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/Db.ts';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { dispatchDueBatch, dispatchMembersBatch } from './batchDispatch.ts';
import { dispatchMembers } from './dispatcher.ts';

// 10:00 in Shanghai, 03:00 in Berlin (quiet hours), 21:00 the day before in New York.
const now = new Date('2026-03-10T02:00:00Z');

/**
 * Members covering every branch of the contact policy and the channel routing: the daily cap with a
 * ledger already at two, quiet hours in another zone, an in-app opt-out, marketing with and without
 * consent, a promotion inside a care message, a silent member, dedupe, an SMS member with an address
 * and a red flag with a fallback chain.
 */
async function seed(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO members (external_ref, name, gender, time_zone, consents, channel_preferences, last_interaction_at)
     SELECT 'm' || g, 'Member ' || g, 'unknown',
            CASE WHEN g % 5 = 1 THEN 'Europe/Berlin' WHEN g % 5 = 2 THEN 'America/New_York' ELSE 'Asia/Shanghai' END,
            CASE WHEN g % 7 = 3 THEN '{"channels": {"in-app": false}, "marketing": false}'::jsonb
                 WHEN g % 6 = 0 THEN '{"channels": {"in-app": true, "sms": true, "email": true}, "marketing": true}'::jsonb
                 ELSE '{"channels": {"in-app": true}, "marketing": false}'::jsonb END,
            CASE WHEN g % 6 = 0 THEN ARRAY['sms', 'in-app'] ELSE ARRAY['in-app'] END,
            $1::timestamptz - CASE WHEN g % 4 = 0 THEN interval '5 days' ELSE interval '20 hours' END
       FROM generate_series(1, 24) g`,
    [now.toISOString()],
  );
  await db.query(
    `INSERT INTO member_contacts (member_id, channel, address, updated_at)
     SELECT id, 'sms', '+8613800000000', $1 FROM members WHERE channel_preferences = ARRAY['sms', 'in-app']`,
    [now.toISOString()],
  );
  // Two messages already sent this morning to every third member.
  await db.query(
    `INSERT INTO messages (member_id, program_id, step_id, priority, purpose, channel, body, dedupe_key,
        idempotency_key, state, not_before, created_at, sent_at)
     SELECT m.id, 'p', 'earlier', 'care', 'reminder', 'in-app', '{"en": "x"}',
            CASE WHEN k = 1 THEN 'p:same' ELSE 'p:earlier:' || k END, 'earlier-' || k,
            'delivered', $1::timestamptz - interval '3 hours', $1::timestamptz - interval '3 hours',
            $1::timestamptz - (k || ' hours')::interval
       FROM members m CROSS JOIN generate_series(1, 2) k WHERE substr(m.external_ref, 2)::int % 3 = 0`,
    [now.toISOString()],
  );
  await db.query(
    `INSERT INTO messages (member_id, program_id, step_id, priority, purpose, channel, body, dedupe_key,
        idempotency_key, state, not_before, created_at)
     SELECT m.id, 'p', 's' || k,
            (ARRAY['red-flag', 'clinical', 'care', 'engagement', 'marketing', 'care', 'care'])[1 + k],
            CASE WHEN k = 5 THEN 'promotion' WHEN k = 2 THEN 'reinforcement' ELSE 'reminder' END,
            CASE WHEN k = 3 THEN 'sms' ELSE 'in-app' END, '{"en": "x"}',
            CASE WHEN k IN (3, 4) THEN 'p:same' ELSE 'p:s' || k END, 'due-' || k,
            CASE WHEN k = 4 THEN 'deferred' ELSE 'pending' END,
            $1::timestamptz - (k || ' minutes')::interval, $1::timestamptz - (10 - k || ' minutes')::interval
       FROM members m CROSS JOIN generate_series(0, 6) k`,
    [now.toISOString()],
  );
}

/** Everything the dispatcher writes, keyed by member and message key, for comparison. */
async function snapshot(db: Db) {
  const messages = await db.query(
    `SELECT mb.external_ref, m.idempotency_key, m.state, m.channel, m.reason, m.reason_detail,
            m.not_before, m.sent_at
       FROM messages m JOIN members mb ON mb.id = m.member_id ORDER BY 1, 2`,
  );
  const events = await db.query(
    `SELECT mb.external_ref, m.idempotency_key, e.from_state, e.to_state, e.reason, e.detail, e.at
       FROM message_events e JOIN messages m ON m.member_id = e.member_id AND m.id = e.message_id
       JOIN members mb ON mb.id = e.member_id ORDER BY 1, 2, e.id`,
  );
  const deliveries = await db.query(
    `SELECT mb.external_ref, m.idempotency_key, d.channel, d.priority, d.status, d.fallback, d.next_attempt_at
       FROM message_deliveries d JOIN messages m ON m.member_id = d.member_id AND m.id = d.message_id
       JOIN members mb ON mb.id = d.member_id ORDER BY 1, 2, d.channel`,
  );
  return { messages: messages.rows, events: events.rows, deliveries: deliveries.rows };
}

describe('batched dispatch', () => {
  let perMember: TestDb;
  let batched: TestDb;

  beforeAll(async () => {
    [perMember, batched] = await Promise.all([openTestDb(), openTestDb()]);
    await Promise.all([seed(perMember.db), seed(batched.db)]);
  });
  afterAll(async () => {
    await perMember?.close();
    await batched?.close();
  });

  it('decides exactly as the per-member dispatcher: same states, reasons, events and deliveries', async () => {
    const ids = async (db: Db) =>
      (
        await db.query<{ id: string }>(`SELECT id::text AS id FROM members ORDER BY external_ref`)
      ).rows.map((r) => r.id);
    const [idsA, idsB] = [await ids(perMember.db), await ids(batched.db)];
    const a = await perMember.db.transaction((tx) => dispatchMembers(tx, idsA, now));
    const b = await batched.db.transaction((tx) => dispatchMembersBatch(tx, idsB, now));
    expect(b).toEqual(a);
    // Every branch was exercised, so the comparison means something.
    expect(a.delivered).toBeGreaterThan(0);
    expect(a.queued).toBeGreaterThan(0);
    expect(a.deferred).toBeGreaterThan(0);
    expect(a.suppressed).toBeGreaterThan(0);
    const [sa, sb] = [await snapshot(perMember.db), await snapshot(batched.db)];
    expect(sb.messages).toEqual(sa.messages);
    expect(sb.events).toEqual(sa.events);
    expect(sb.deliveries).toEqual(sa.deliveries);
    const reasons = new Set(sb.messages.map((m) => m.reason));
    for (const r of [
      'daily-cap',
      'quiet-hours',
      'no-channel-consent',
      'promotion-in-care',
      'duplicate',
    ])
      expect(reasons).toContain(r);
  });

  it('keeps the daily cap of 3 per local day across one batch (one red flag each, counted)', async () => {
    const perDay = await batched.db.query<{ external_ref: string; n: number }>(
      `SELECT mb.external_ref, count(*)::int AS n FROM messages m JOIN members mb ON mb.id = m.member_id
        WHERE m.state IN ('delivered', 'queued') GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    expect(perDay.rows[0]?.n).toBe(3);
  });

  it('dispatchDueBatch claims members in batches until nothing is due', async () => {
    const db = batched.db;
    // A day later the deferred messages are due again; the cap has reset.
    const later = new Date(now.getTime() + 24 * 3_600_000);
    const due = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE state IN ('pending', 'deferred') AND not_before <= $1`,
      [later.toISOString()],
    );
    expect(due.rows[0]?.n).toBeGreaterThan(0);
    let batches = 0;
    for (;;) {
      const r = await db.transaction((tx) => dispatchDueBatch(tx, later, { maxMembers: 5 }));
      if (r.members === 0) {
        expect(r.heldElsewhere).toBe(false);
        break;
      }
      expect(r.members).toBeLessThanOrEqual(5);
      batches++;
    }
    // One decision (and one event) per due message.
    const decided = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM message_events WHERE at = $1`,
      [later.toISOString()],
    );
    expect(decided.rows[0]?.n).toBe(due.rows[0]?.n);
    expect(batches).toBeGreaterThan(1);
    const left = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE state IN ('pending', 'deferred') AND not_before <= $1`,
      [later.toISOString()],
    );
    expect(left.rows[0]?.n).toBe(0);
  });
});
