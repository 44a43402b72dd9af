import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './testing/testApp.ts';
import { bpPanel, bundle, patient } from './testing/fixtures.ts';

/**
 * The whole loop through the HTTP API only: data in → profile → care program → capped message →
 * member acts → metric. The clock is injected: 2026-03-10 10:00 in Shanghai (UTC+8, no DST).
 */
describe('the care loop, end to end over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let operator: string;
  let manager: string;
  let memberCookie: string;
  let memberId: string;

  beforeAll(async () => {
    t = await openTestApp({ now: '2026-03-10T02:00:00Z' });
    admin = (await t.user('admin', ['admin'])).token;
    operator = (await t.user('operator', ['operator'])).token;
    manager = (await t.user('wang', ['manager'])).token;
  });
  afterAll(async () => t?.close());

  const body = <T = Record<string, unknown>>(r: { json(): unknown }) => r.json() as T;

  it('ingests a FHIR transaction: BP panels become systolic and diastolic readings in mmHg', async () => {
    const r = await t.call(
      admin,
      'POST',
      '/fhir',
      bundle('transaction', [
        patient('p-loop', '李建国'),
        // Office readings in the grade-1 range on three separate local days, the last 4 days ago.
        bpPanel('bp-1', 'p-loop', '2026-03-04T08:30:00+08:00', 150, 95),
        bpPanel('bp-2', 'p-loop', '2026-03-05T08:30:00+08:00', 152, 96),
        bpPanel('bp-3', 'p-loop', '2026-03-06T08:30:00+08:00', 148, 94),
      ]),
      { 'content-type': 'application/fhir+json' },
    );
    expect(r.statusCode).toBe(200);
    const b = body<{ type: string; entry: { response: { status: string } }[] }>(r);
    expect(b.type).toBe('transaction-response');
    expect(b.entry.map((e) => e.response.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
    ]);

    const p = await t.call(admin, 'GET', '/fhir/Patient/p-loop');
    expect(p.statusCode).toBe(200);
    memberId = body<{ id: string }>(p).id;

    const obs = await t.call(admin, 'GET', `/members/${memberId}/observations?indicator=sbp`);
    const sbp = body<{ observations: { value: number; unit: string; panelKey: string }[] }>(
      obs,
    ).observations;
    expect(sbp.map((o) => o.value).sort()).toEqual([148, 150, 152]);
    expect(sbp.every((o) => o.unit === 'mm[Hg]' && o.panelKey)).toBe(true);
  });

  it('sets up the member account and the health manager over the admin API', async () => {
    const wang = await t.db.query<{ id: string }>(
      `SELECT id::text AS id FROM users WHERE username = 'wang'`,
    );
    const assign = await t.call(admin, 'POST', `/members/${memberId}/care-team`, {
      userId: wang.rows[0]!.id,
      role: 'manager',
    });
    expect(assign.statusCode).toBe(204);
    const created = await t.call(admin, 'POST', '/users', {
      username: 'lijianguo',
      password: 'a-long-member-password',
      displayName: '李建国',
      roles: ['member'],
      memberId,
    });
    expect(created.statusCode).toBe(201);
    const login = await t.call(null, 'POST', '/auth/login', {
      username: 'lijianguo',
      password: 'a-long-member-password',
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'careloop_session');
    expect(cookie?.httpOnly).toBe(true);
    memberCookie = `careloop_session=${cookie!.value}`;
  });

  it('derives the hypertension tag with its rule and evidence', async () => {
    const r = await t.call(manager, 'GET', `/members/${memberId}/profile`);
    expect(r.statusCode).toBe(200);
    const facts = body<{
      facts: { key: string; value: unknown; ruleId: string | null; evidence: unknown[] }[];
    }>(r).facts;
    const tag = facts.find((f) => f.key === 'tag.hypertension');
    expect(tag?.value).toBe(true);
    expect(tag?.ruleId).toMatch(/htn/);
    expect(tag?.evidence.length).toBeGreaterThanOrEqual(2);
    expect(facts.find((f) => f.key === 'bp.class')?.value).toBe('grade-1');
    // Segments are queryable as aggregates, without exposing any one member to operators.
    const seg = (await t.call(operator, 'GET', '/metrics/segments?prefix=tag.')).json() as {
      facts: { key: string; value: unknown; members: number }[];
    };
    expect(seg.facts).toContainEqual({ key: 'tag.hypertension', value: true, members: 1 });
    expect(seg.facts.every((f) => f.key.startsWith('tag.'))).toBe(true);
  });

  const member = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: memberCookie },
      ...(payload ? { payload: payload as object } : {}),
    });

  it('reminds the member after 3 days without a BP reading (absence trigger, durable timer)', async () => {
    const before = body<{ messages: unknown[] }>(
      await member('GET', `/members/${memberId}/inbox`),
    ).messages;
    expect(before).toHaveLength(0);
    const tick = await t.call(admin, 'POST', '/ops/tick');
    expect(tick.statusCode).toBe(200);
    expect(body<{ timersFired: number }>(tick).timersFired).toBeGreaterThanOrEqual(1);
    const inbox = body<{
      messages: { programId: string; body: { en: string }; priority: string }[];
    }>(await member('GET', `/members/${memberId}/inbox`));
    const reminder = inbox.messages.find((m) => m.programId === 'hypertension-self-monitoring');
    expect(reminder?.body.en).toMatch(/3 days/);
    const tasks = body<{ tasks: { kind: string; status: string }[] }>(
      await member('GET', `/members/${memberId}/tasks`),
    ).tasks;
    expect(tasks.some((x) => x.kind === 'member' && x.status === 'open')).toBe(true);
    // A second tick does not fire the same timer again.
    const again = body<{ timersFired: number }>(await t.call(admin, 'POST', '/ops/tick'));
    const inbox2 = body<{ messages: unknown[] }>(await member('GET', `/members/${memberId}/inbox`));
    expect(again.timersFired).toBe(0);
    expect(inbox2.messages).toHaveLength(inbox.messages.length);
  });

  let deferredId: string;
  it('defers (never drops) a 4th care message on the same local day, with the reason recorded', async () => {
    const deliveredToday = async () =>
      body<{ messages: { state: string; priority: string; sentAt: string | null }[] }>(
        await t.call(manager, 'GET', `/members/${memberId}/deliveries`),
      ).messages.filter((m) => m.state === 'delivered' && m.priority !== 'red-flag').length;
    let last: { state: string; reason: string | null; notBefore: string; id: string } | null = null;
    let n = 0;
    while ((await deliveredToday()) < 3 && n < 5) {
      const r = await t.call(manager, 'POST', `/members/${memberId}/messages`, {
        text: { 'zh-CN': `消息 ${n}`, en: `Message ${n}` },
        clientId: `m${n}`,
      });
      expect(r.statusCode).toBe(201);
      expect(body<{ state: string }>(r).state).toBe('delivered');
      n++;
    }
    expect(await deliveredToday()).toBe(3);
    const r = await t.call(manager, 'POST', `/members/${memberId}/messages`, {
      text: { 'zh-CN': '第四条', en: 'Fourth' },
      clientId: 'fourth',
    });
    last = body(r);
    expect(last!.state).toBe('deferred');
    expect(last!.reason).toBe('daily-cap');
    // Deferred to the next local morning (Shanghai), not lost.
    expect(Date.parse(last!.notBefore)).toBeGreaterThanOrEqual(Date.parse('2026-03-11T00:00:00Z'));
    deferredId = last!.id;
    // Operators see every deferral with its reason, in aggregate.
    const ledger = (await t.call(operator, 'GET', '/metrics/deliveries')).json() as {
      rows: { state: string; reason: string | null; messages: number }[];
    };
    expect(ledger.rows).toContainEqual(
      expect.objectContaining({ state: 'deferred', reason: 'daily-cap', messages: 1 }),
    );
    // Re-sending the same request is idempotent.
    const again = await t.call(manager, 'POST', `/members/${memberId}/messages`, {
      text: { 'zh-CN': '第四条', en: 'Fourth' },
      clientId: 'fourth',
    });
    expect(body<{ id: string }>(again).id).toBe(deferredId);
  });

  it('raises a red-flag task and alert for 185/112 even after the cap', async () => {
    const r = await member('POST', `/members/${memberId}/observations`, {
      readings: [
        {
          indicator: 'sbp',
          value: 185,
          unit: 'mmHg',
          effectiveAt: '2026-03-10T02:00:00Z',
          clientId: 'r1-s',
          panel: 'r1',
        },
        {
          indicator: 'dbp',
          value: 112,
          unit: 'mmHg',
          effectiveAt: '2026-03-10T02:00:00Z',
          clientId: 'r1-d',
          panel: 'r1',
        },
      ],
    });
    expect(r.statusCode).toBe(200);
    expect(body<{ accepted: { observations: number } }>(r).accepted.observations).toBe(2);
    const queue = body<{ tasks: { memberId: string; priority: string; slaDueAt: string }[] }>(
      await t.call(manager, 'GET', '/tasks'),
    ).tasks;
    const urgent = queue.find((x) => x.memberId === memberId && x.priority === 'urgent');
    expect(urgent).toBeDefined();
    expect(Date.parse(urgent!.slaDueAt) - Date.parse('2026-03-10T02:00:00Z')).toBe(30 * 60_000);
    const inbox = body<{
      messages: { priority: string; state: string; body: { 'zh-CN': string } }[];
    }>(await member('GET', `/members/${memberId}/inbox`));
    const alert = inbox.messages.find((m) => m.priority === 'red-flag');
    expect(alert?.state).toBe('delivered');
    expect(alert?.body['zh-CN']).toMatch(/120/);
  });

  it('counts the member opening and acting on a message in the engagement metric', async () => {
    const metric = async () =>
      body<{ messages: { sent: number; opened: number; acted: number } }>(
        await t.call(
          operator,
          'GET',
          '/metrics/engagement?from=2026-03-01T00:00:00Z&to=2026-03-12T00:00:00Z',
        ),
      ).messages;
    const before = await metric();
    expect(before.sent).toBeGreaterThanOrEqual(4);
    const inbox = body<{ messages: { id: string; programId: string | null }[] }>(
      await member('GET', `/members/${memberId}/inbox`),
    );
    const reminder = inbox.messages.find((m) => m.programId === 'hypertension-self-monitoring')!;
    expect(
      (await member('POST', `/members/${memberId}/inbox/${reminder.id}/opened`)).statusCode,
    ).toBe(200);
    const acted = await member('POST', `/members/${memberId}/inbox/${reminder.id}/acted`);
    expect(body<{ state: string }>(acted).state).toBe('acted');
    // Opening again after acting neither moves the state back nor counts twice.
    expect(
      body<{ state: string }>(
        await member('POST', `/members/${memberId}/inbox/${reminder.id}/opened`),
      ).state,
    ).toBe('acted');
    const after = await metric();
    expect(after.opened).toBe(before.opened + 1);
    expect(after.acted).toBe(before.acted + 1);
  });

  it('delivers the deferred message the next morning', async () => {
    t.clock.set('2026-03-11T01:00:00Z'); // 09:00 in Shanghai
    await t.call(admin, 'POST', '/ops/tick');
    const ledger = body<{ messages: { id: string; state: string }[] }>(
      await t.call(manager, 'GET', `/members/${memberId}/deliveries`),
    ).messages;
    expect(ledger.find((m) => m.id === deferredId)?.state).toBe('delivered');
  });
});
