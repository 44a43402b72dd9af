import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../testing/testApp.ts';

/**
 * The habit loop over HTTP: a completed task (by hand or by a reading) earns points that are
 * visible at once, streaks count local days in the member's zone, and redemptions are refused with
 * a reason. The clock is injected: 2026-03-10 10:00 in Shanghai (UTC+8, no DST).
 */
describe('the habit loop over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let taskSeq = 0;

  beforeAll(async () => {
    t = await openTestApp({ now: '2026-03-10T02:00:00Z' });
    admin = (await t.user('admin', ['admin'])).token;
  });
  afterAll(async () => t?.close());

  const json = <T>(r: { json(): unknown }) => r.json() as T;

  async function newMember(name: string, timeZone = 'Asia/Shanghai') {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO members (external_ref, name, gender, time_zone) VALUES ($1, $2, 'female', $3) RETURNING id::text AS id`,
      [`ext-${name}`, name, timeZone],
    );
    const id = rows[0]!.id;
    const { token } = await t.user(name, ['member'], id);
    return { id, token };
  }

  async function newTask(memberId: string, points: number, indicator?: string): Promise<string> {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO tasks (member_id, kind, title, points, completed_by, idempotency_key, created_at)
       VALUES ($1, 'member', $2, $3, $4, $5, $6) RETURNING id::text AS id`,
      [
        memberId,
        JSON.stringify({
          'zh-CN': '测量并记录一次血压',
          en: 'Measure and record your blood pressure',
        }),
        points,
        indicator ? JSON.stringify({ indicator }) : null,
        `test:${taskSeq++}`,
        t.clock.now().toISOString(),
      ],
    );
    return rows[0]!.id;
  }

  type Award = {
    points: number;
    balance: number;
    entries: { kind: string; key: string; points: number }[];
    newBadges: { id: string; title: { 'zh-CN': string; en: string } }[];
    streak: { current: number; state: string };
    tier: {
      id: string;
      changed: boolean;
      previous: { id: string };
      next: { pointsNeeded: number } | null;
    };
  };
  type Summary = {
    balance: number;
    tier: { id: string; growthPoints: number; benefits: { id: string }[] };
    streak: {
      current: number;
      longest: number;
      state: string;
      startedOn: string | null;
      graceDays: string[];
    };
    badges: { id: string; awardedAt: string }[];
    recent: { kind: string; key: string; points: number }[];
  };

  const complete = (token: string, memberId: string, taskId: string) =>
    t.call(token, 'POST', `/members/${memberId}/tasks/${taskId}/complete`);
  const summary = async (token: string, memberId: string) => {
    const r = await t.call(token, 'GET', `/members/${memberId}/rewards/summary`);
    expect(r.statusCode).toBe(200);
    return json<Summary>(r);
  };

  it('shows the points in the completion response and in the summary at once', async () => {
    const m = await newMember('zhang');
    const taskId = await newTask(m.id, 10);
    const before = await summary(m.token, m.id);
    expect(before.balance).toBe(0);
    expect(before.streak.state).toBe('none');

    const r = await complete(m.token, m.id, taskId);
    expect(r.statusCode).toBe(200);
    const body = json<{ status: string; points: number; award: Award }>(r);
    expect(body.status).toBe('done');
    expect(body.award.points).toBe(10);
    expect(body.award.balance).toBe(10);
    expect(body.award.entries).toEqual([
      expect.objectContaining({ kind: 'earn', key: `task:${taskId}`, points: 10 }),
    ]);
    expect(body.award.newBadges.map((b) => b.id)).toEqual(['first-task']);
    expect(body.award.newBadges[0]!.title['zh-CN']).toBeTruthy();
    expect(body.award.streak).toMatchObject({ current: 1, state: 'active-today' });
    expect(body.award.tier).toMatchObject({ id: 'silver', changed: false });

    const after = await summary(m.token, m.id);
    expect(after.balance).toBe(10);
    expect(after.recent[0]).toMatchObject({ kind: 'earn', key: `task:${taskId}`, points: 10 });
    expect(after.badges.map((b) => b.id)).toEqual(['first-task']);
    expect(after.tier.id).toBe('silver');
  });

  it('awards a task once however often its completion is sent', async () => {
    const m = await newMember('li');
    const taskId = await newTask(m.id, 10);
    const first = json<{ award: Award }>(await complete(m.token, m.id, taskId));
    expect(first.award.points).toBe(10);
    const again = await complete(m.token, m.id, taskId);
    expect(again.statusCode).toBe(200);
    expect(json<{ status: string; award: unknown }>(again)).toMatchObject({
      status: 'done',
      award: null,
    });
    expect((await summary(m.token, m.id)).balance).toBe(10);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM points_ledger WHERE member_id = $1`,
      [m.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('awards the points when a BP reading completes "measure your BP"', async () => {
    const m = await newMember('wang');
    const taskId = await newTask(m.id, 10, 'sbp');
    const r = await t.call(m.token, 'POST', `/members/${m.id}/observations`, {
      readings: [
        {
          indicator: 'sbp',
          value: 128,
          unit: 'mmHg',
          effectiveAt: '2026-03-10T01:50:00Z',
          clientId: 'bp1-s',
          panel: 'bp1',
        },
        {
          indicator: 'dbp',
          value: 82,
          unit: 'mmHg',
          effectiveAt: '2026-03-10T01:50:00Z',
          clientId: 'bp1-d',
          panel: 'bp1',
        },
      ],
    });
    expect(r.statusCode).toBe(200);
    const tasks = json<{ tasks: { id: string; status: string }[] }>(
      await t.call(m.token, 'GET', `/members/${m.id}/tasks`),
    ).tasks;
    expect(tasks.find((x) => x.id === taskId)?.status).toBe('done');
    const s = await summary(m.token, m.id);
    expect(s.balance).toBe(10);
    expect(s.recent.find((e) => e.key === `task:${taskId}`)?.points).toBe(10);
    expect(s.badges.map((b) => b.id).sort()).toEqual(['first-reading', 'first-task']);
    expect(s.streak).toMatchObject({ current: 1, state: 'active-today' });
    // The same readings sent again are duplicates: nothing is awarded twice.
    await t.call(m.token, 'POST', `/members/${m.id}/observations`, {
      readings: [
        {
          indicator: 'sbp',
          value: 128,
          unit: 'mmHg',
          effectiveAt: '2026-03-10T01:50:00Z',
          clientId: 'bp1-s',
          panel: 'bp1',
        },
      ],
    });
    expect((await summary(m.token, m.id)).balance).toBe(10);
  });

  it('counts a streak over 3 local days, two of them 1 hour apart across local midnight', async () => {
    const m = await newMember('zhao');
    const at = async (iso: string, points = 5) => {
      t.clock.set(iso);
      const id = await newTask(m.id, points);
      return json<{ award: Award }>(await complete(m.token, m.id, id)).award;
    };
    try {
      await at('2026-03-10T15:30:00Z'); // 23:30 on 03-10 in Shanghai
      const second = await at('2026-03-10T16:30:00Z'); // 00:30 on 03-11, still 03-10 in UTC
      expect(second.streak.current).toBe(2);
      const third = await at('2026-03-12T01:00:00Z'); // 09:00 on 03-12
      expect(third.streak).toMatchObject({ current: 3, state: 'active-today' });
      const s = await summary(m.token, m.id);
      expect(s.streak).toMatchObject({
        current: 3,
        startedOn: '2026-03-10',
        state: 'active-today',
      });

      // The next day it is pending (act today to extend); a day later at risk (a grace day).
      t.clock.set('2026-03-13T01:00:00Z');
      expect((await summary(m.token, m.id)).streak).toMatchObject({ current: 3, state: 'pending' });
      t.clock.set('2026-03-14T01:00:00Z');
      expect((await summary(m.token, m.id)).streak).toMatchObject({ current: 3, state: 'at-risk' });
      const graced = await at('2026-03-14T02:00:00Z');
      expect(graced.streak.current).toBe(4);
      expect((await summary(m.token, m.id)).streak.graceDays).toEqual(['2026-03-13']);
    } finally {
      t.clock.set('2026-03-10T02:00:00Z');
    }
  });

  it('pays the 7-day streak bonus and badge on the 7th local day', async () => {
    const m = await newMember('sun');
    let last: Award | null = null;
    try {
      for (let d = 0; d < 7; d++) {
        t.clock.set(new Date(Date.parse('2026-04-01T01:00:00Z') + d * 86_400_000).toISOString());
        const id = await newTask(m.id, 5);
        last = json<{ award: Award }>(await complete(m.token, m.id, id)).award;
        if (d < 6) expect(last.entries.some((e) => e.kind === 'bonus')).toBe(false);
      }
    } finally {
      t.clock.set('2026-03-10T02:00:00Z');
    }
    expect(last!.streak.current).toBe(7);
    expect(last!.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'bonus', key: 'streak:2026-04-01:7', points: 30 }),
      ]),
    );
    expect(last!.points).toBe(35);
    expect(last!.balance).toBe(7 * 5 + 30);
    expect(last!.newBadges.map((b) => b.id)).toContain('streak-7');
  });

  it('refuses a redemption the balance does not cover, as problem+json with the reason', async () => {
    const m = await newMember('zhou');
    await complete(m.token, m.id, await newTask(m.id, 10));
    const r = await t.call(m.token, 'POST', `/members/${m.id}/redemptions`, {
      rewardId: 'bp-self-management-course',
      clientId: 'course-1',
    });
    expect(r.statusCode).toBe(409);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const p = json<{
      reason: string;
      refusals: { reason: string; message: { 'zh-CN': string } }[];
    }>(r);
    expect(p.reason).toBe('insufficient-balance');
    expect(p.refusals[0]!.message['zh-CN']).toMatch(/积分不足/);
    expect((await summary(m.token, m.id)).balance).toBe(10);
    const { rows } = await t.db.query(`SELECT 1 FROM redemptions WHERE member_id = $1`, [m.id]);
    expect(rows).toHaveLength(0);
  });

  it('upgrades the tier when the points cross the threshold, and spending keeps it', async () => {
    const m = await newMember('wu');
    const first = json<{ award: Award }>(
      await complete(m.token, m.id, await newTask(m.id, 795)),
    ).award;
    expect(first.tier).toMatchObject({ id: 'silver', changed: false, next: { pointsNeeded: 5 } });
    const up = json<{ award: Award }>(await complete(m.token, m.id, await newTask(m.id, 5))).award;
    expect(up.tier).toMatchObject({ id: 'gold', changed: true, previous: { id: 'silver' } });
    const s = await summary(m.token, m.id);
    expect(s.tier.id).toBe('gold');
    expect(s.tier.benefits.map((b) => b.id)).toContain('priority-consultation');

    // The gold-only dietitian consultation costs 800: redeemed once, idempotent by clientId.
    const redeem = (clientId: string) =>
      t.call(m.token, 'POST', `/members/${m.id}/redemptions`, {
        rewardId: 'dietitian-consultation',
        clientId,
      });
    const ok = await redeem('consult-1');
    expect(ok.statusCode).toBe(201);
    expect(json<{ balance: number; redemption: { periodKey: string } }>(ok)).toMatchObject({
      balance: 0,
      redemption: { periodKey: '2026-Q1' },
    });
    const retry = await redeem('consult-1');
    expect(retry.statusCode).toBe(200);
    expect(json<{ duplicate: boolean; balance: number }>(retry)).toMatchObject({
      duplicate: true,
      balance: 0,
    });
    const after = await summary(m.token, m.id);
    expect(after.balance).toBe(0);
    expect(after.tier.id).toBe('gold');
    const again = await redeem('consult-2');
    expect(again.statusCode).toBe(409);
    expect(json<{ refusals: { reason: string }[] }>(again).refusals.map((x) => x.reason)).toEqual([
      'period-limit',
      'insufficient-balance',
    ]);
  });

  it('guards the rewards routes: member-only redemption, validated input, assigned care team only', async () => {
    const m = await newMember('qian');
    const other = await newMember('feng');
    const stranger = (await t.user('stranger', ['manager'])).token;
    expect((await t.call(null, 'GET', `/members/${m.id}/rewards/summary`)).statusCode).toBe(401);
    expect((await t.call(stranger, 'GET', `/members/${m.id}/rewards/summary`)).statusCode).toBe(
      403,
    );
    expect((await t.call(other.token, 'GET', `/members/${m.id}/rewards/summary`)).statusCode).toBe(
      403,
    );
    expect((await t.call(admin, 'GET', `/members/${m.id}/rewards/summary`)).statusCode).toBe(200);
    const byAdmin = await t.call(admin, 'POST', `/members/${m.id}/redemptions`, {
      rewardId: 'bp-self-management-course',
      clientId: 'x',
    });
    expect(byAdmin.statusCode).toBe(403);
    const unknown = await t.call(m.token, 'POST', `/members/${m.id}/redemptions`, {
      rewardId: 'gold-watch',
      clientId: 'x',
    });
    expect(unknown.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(unknown).errors[0]!.path).toBe('body.rewardId');
    const missing = await t.call(m.token, 'POST', `/members/${m.id}/redemptions`, {
      rewardId: 'x',
    });
    expect(missing.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(missing).errors[0]!.path).toBe('body.clientId');
  });

  it('lists the catalogue with stock left', async () => {
    const r = await t.call(admin, 'GET', '/rewards');
    expect(r.statusCode).toBe(200);
    const rewards = json<{
      rewards: { id: string; cost: number; stockRemaining: number | null }[];
    }>(r).rewards;
    expect(rewards.find((x) => x.id === 'bp-self-management-course')).toMatchObject({
      cost: 100,
      stockRemaining: null,
    });
    // One dietitian consultation was redeemed above (stock 50).
    expect(rewards.find((x) => x.id === 'dietitian-consultation')?.stockRemaining).toBe(49);
  });

  it('keeps the ledger append-only in the database', async () => {
    const { rows } = await t.db.query<{ member_id: string; points: number }>(
      `SELECT member_id::text AS member_id, points FROM points_ledger ORDER BY id LIMIT 1`,
    );
    const row = rows[0]!;
    await expect(
      t.db.query(`UPDATE points_ledger SET points = 9999 WHERE member_id = $1`, [row.member_id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.query(`DELETE FROM points_ledger WHERE member_id = $1`, [row.member_id]),
    ).rejects.toThrow(/append-only/);
    const after = await t.db.query<{ points: number }>(
      `SELECT points FROM points_ledger WHERE member_id = $1 ORDER BY id LIMIT 1`,
      [row.member_id],
    );
    expect(after.rows[0]?.points).toBe(row.points);
  });
});
