import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './testing/testApp.ts';
import { bundle, patient } from './testing/fixtures.ts';

/** The contact policy moves deferred care messages to the hour this member usually opens them. */
describe('best send hour learned from opens', () => {
  let t: TestApp;
  let manager: string;
  let member: string;
  let memberId: string;
  beforeAll(async () => {
    t = await openTestApp({ now: '2026-04-01T12:00:00Z' });
    const admin = (await t.user('admin', ['admin'])).token;
    await t.call(admin, 'POST', '/fhir', bundle('transaction', [patient('p-h', '孙丽', 'female')]));
    memberId = (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM members`)).rows[0]!.id;
    const m = await t.user('sun', ['manager']);
    manager = m.token;
    await t.db.query(
      `INSERT INTO care_assignments (member_id, user_id, role) VALUES ($1, $2, 'manager')`,
      [memberId, m.id],
    );
    member = (await t.user('sunli', ['member'], memberId)).token;
  });
  afterAll(async () => t?.close());

  it('learns 20:00 from five evening opens and defers an over-cap message to it', async () => {
    for (let d = 1; d <= 5; d++) {
      t.clock.set(`2026-04-0${d}T12:00:00Z`); // 20:00 in Shanghai
      const sent = await t.call(manager, 'POST', `/members/${memberId}/messages`, {
        text: { 'zh-CN': `晚间 ${d}`, en: `Evening ${d}` },
        clientId: `e${d}`,
      });
      expect((sent.json() as { state: string }).state).toBe('delivered');
      t.clock.set(`2026-04-0${d}T12:15:00Z`);
      const id = (sent.json() as { id: string }).id;
      expect(
        (await t.call(member, 'POST', `/members/${memberId}/inbox/${id}/opened`)).statusCode,
      ).toBe(200);
    }
    const row = await t.db.query<{ best_send_hour: number }>(
      `SELECT best_send_hour FROM members WHERE id = $1`,
      [memberId],
    );
    expect(row.rows[0]!.best_send_hour).toBe(20);

    t.clock.set('2026-04-06T02:00:00Z'); // 10:00 local
    const states: { state: string; notBefore: string; reason: string | null }[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.call(manager, 'POST', `/members/${memberId}/messages`, {
        text: { 'zh-CN': `消息 ${i}`, en: `Message ${i}` },
        clientId: `m${i}`,
      });
      states.push(r.json() as { state: string; notBefore: string; reason: string | null });
    }
    expect(states.map((s) => s.state)).toEqual(['delivered', 'delivered', 'delivered', 'deferred']);
    expect(states[3]!.reason).toBe('daily-cap');
    // Next local day at the learned hour: 2026-04-07 20:00 Asia/Shanghai.
    expect(states[3]!.notBefore).toBe('2026-04-07T12:00:00.000Z');
  });
});
