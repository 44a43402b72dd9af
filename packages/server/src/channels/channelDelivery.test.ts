import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { dispatchMembers } from '../care/dispatcher.ts';
import { Secret, defaultChannelConfig } from './channelConfig.ts';
import { signWebhook, verifyWebhookSignature } from './webhookSignature.ts';
import { openChannelTestApp, type ChannelTestApp } from './testing/channelTestApp.ts';
import {
  startRecordingServer,
  startSmtpServer,
  type LocalSmtpServer,
  type RecordingServer,
} from './testing/localPeers.ts';
import { browserSubscriptionKeys } from './testing/pushServiceCrypto.ts';

/**
 * The outbox end to end through the HTTP API: the contact policy releases a message, the dispatcher
 * queues it in the caller's transaction, the sender sends it to a real local peer outside any
 * transaction and records the outcome. The clock is injected; jitter is fixed at 0.5.
 */
describe('channel delivery, end to end', () => {
  let t: ChannelTestApp;
  let sms: RecordingServer;
  let webhook: RecordingServer;
  let pushService: RecordingServer;
  let smtp: LocalSmtpServer;
  let admin: string;
  let operator: string;
  const smsToken = 'sms-gateway-token-0123456789';
  const webhookSecret = 'whsec-0123456789abcdef0123456789abcdef';
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    sms = await startRecordingServer();
    webhook = await startRecordingServer();
    pushService = await startRecordingServer();
    smtp = await startSmtpServer();
    const defaults = defaultChannelConfig();
    t = await openChannelTestApp({
      config: {
        maxAttempts: 3,
        retryBaseMs: 1000,
        retryMaxMs: 60_000,
        sendTimeoutMs: 3000,
        rateLimits: { ...defaults.rateLimits, webhook: { perSecond: 1, burst: 2 } },
        sms: { url: `${sms.url}/sms`, token: new Secret(smsToken) },
        webhook: { url: `${webhook.url}/hook`, secret: new Secret(webhookSecret) },
        email: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          user: null,
          password: null,
          from: 'CareLoop <care@careloop.test>',
        },
        webPush: {
          publicKey: vapid.publicKey,
          privateKey: new Secret(vapid.privateKey),
          subject: 'mailto:ops@careloop.test',
          allowHttpEndpoints: true,
        },
      },
    });
    admin = (await t.user('admin', ['admin'])).token;
    operator = (await t.user('operator', ['operator'])).token;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([sms?.close(), webhook?.close(), pushService?.close(), smtp?.close()]);
  });

  const json = <T>(r: { json(): unknown }) => r.json() as T;

  async function memberReachableBy(
    channel: 'sms' | 'email' | 'webhook' | 'wechat' | 'web-push',
    address?: string,
    extra: { consents?: Record<string, boolean>; contacts?: Record<string, string> } = {},
  ): Promise<string> {
    const id = await t.member(`member-${channel}`);
    const r = await t.call(admin, 'PUT', `/members/${id}/channel-settings`, {
      preferences: [channel, 'in-app'],
      consents: { [channel]: true, ...extra.consents },
      ...(address || extra.contacts
        ? { contacts: { ...(address ? { [channel]: address } : {}), ...extra.contacts } }
        : {}),
    });
    expect(r.statusCode).toBe(200);
    return id;
  }

  async function careMessage(memberId: string, clientId: string) {
    const r = await t.call(admin, 'POST', `/members/${memberId}/messages`, {
      text: { 'zh-CN': `测量血压提醒 ${clientId}`, en: `Time to measure your BP ${clientId}` },
      clientId,
    });
    expect(r.statusCode).toBe(201);
    return json<{ id: string; state: string; channel: string; reason: string | null }>(r);
  }

  async function messageRow(memberId: string, id: string) {
    const { rows } = await t.db.query<{
      state: string;
      channel: string;
      attempts: number;
      reason: string | null;
    }>(`SELECT state, channel, attempts, reason FROM messages WHERE member_id = $1 AND id = $2`, [
      memberId,
      id,
    ]);
    return rows[0]!;
  }

  async function deliveries(memberId: string, messageId: string) {
    const r = await t.call(admin, 'GET', `/members/${memberId}/messages/${messageId}/deliveries`);
    expect(r.statusCode).toBe(200);
    return json<{
      deliveries: {
        id: string;
        channel: string;
        status: string;
        attempts: number;
        redrives: number;
        nextAttemptAt: string | null;
        providerId: string | null;
        lastError: string | null;
        attemptLog: { attempt: number; outcome: string }[];
      }[];
    }>(r).deliveries;
  }

  const tick = async () => {
    const r = await t.call(admin, 'POST', '/ops/channels/tick');
    expect(r.statusCode).toBe(200);
    return json<{
      sent: number;
      retried: number;
      dead: number;
      fellBack: number;
      rateLimited: number;
    }>(r);
  };

  it('queues in the transaction, sends after it: queued → sent → delivered by receipt', async () => {
    sms.respond(() => ({ status: 202, body: { id: 'sms-1' } }));
    const m = await memberReachableBy('sms', '+8613800000001');
    const msg = await careMessage(m, 'a1');
    expect(msg).toMatchObject({ state: 'queued', channel: 'sms' });
    expect(sms.calls).toHaveLength(0); // nothing left the building inside the request's transaction

    expect(await tick()).toMatchObject({ sent: 1, retried: 0, dead: 0 });
    expect(sms.calls).toHaveLength(1);
    expect(sms.calls[0]!.json()).toMatchObject({ to: '+8613800000001', priority: 'care' });
    expect(await messageRow(m, msg.id)).toMatchObject({
      state: 'sent',
      channel: 'sms',
      attempts: 1,
    });
    const [d] = await deliveries(m, msg.id);
    expect(d).toMatchObject({ channel: 'sms', status: 'sent', providerId: 'sms-1', attempts: 1 });
    expect(d!.attemptLog).toMatchObject([{ attempt: 1, outcome: 'sent' }]);

    // The gateway's receipt, signed with its token like our webhooks.
    const body = JSON.stringify({ providerId: 'sms-1', status: 'delivered' });
    const ts = Math.floor(t.clock.now().getTime() / 1000);
    const receipt = (signature: string) =>
      t.app.inject({
        method: 'POST',
        url: '/channels/sms/receipts',
        headers: {
          'content-type': 'application/json',
          'x-careloop-timestamp': String(ts),
          'x-careloop-signature': signature,
        },
        payload: body,
      });
    expect((await receipt(signWebhook('not-the-token-000000', ts, body))).statusCode).toBe(401);
    const ok = await receipt(signWebhook(smsToken, ts, body));
    expect(ok.statusCode).toBe(200);
    expect(json<{ status: string }>(ok).status).toBe('delivered');
    expect((await messageRow(m, msg.id)).state).toBe('delivered');
    const events = await t.db.query<{ from_state: string; to_state: string }>(
      `SELECT from_state, to_state FROM message_events WHERE member_id = $1 AND message_id = $2 ORDER BY id`,
      [m, msg.id],
    );
    expect(events.rows.map((e) => `${e.from_state}→${e.to_state}`)).toEqual([
      'pending→queued',
      'queued→sent',
      'sent→delivered',
    ]);
  });

  it('retries with exponential backoff and jitter, one provider idempotency key for all attempts', async () => {
    const before = sms.calls.length;
    sms.respond((_req, i) =>
      i - before < 2 ? { status: 503 } : { status: 200, body: { id: 'sms-2' } },
    );
    const m = await memberReachableBy('sms', '+8613800000002');
    const msg = await careMessage(m, 'b1');
    const t0 = t.clock.now().getTime();

    expect(await tick()).toMatchObject({ sent: 0, retried: 1 });
    let [d] = await deliveries(m, msg.id);
    // Attempt 1 failed: wait half to all of 1 s; jitter 0.5 → 750 ms.
    expect(d).toMatchObject({ status: 'queued', attempts: 1, lastError: 'sms: HTTP 503' });
    expect(Date.parse(d!.nextAttemptAt!) - t0).toBe(750);

    expect(await tick()).toMatchObject({ sent: 0, retried: 0 }); // not due yet
    t.clock.advance(749);
    expect((await tick()).retried).toBe(0);
    t.clock.advance(1);
    expect(await tick()).toMatchObject({ retried: 1 });
    [d] = await deliveries(m, msg.id);
    // Attempt 2: 2 s step → 1.5 s with jitter 0.5.
    expect(Date.parse(d!.nextAttemptAt!) - t.clock.now().getTime()).toBe(1500);

    t.clock.advance(1500);
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(await messageRow(m, msg.id)).toMatchObject({ state: 'sent', attempts: 3 });
    [d] = await deliveries(m, msg.id);
    expect(d!.attemptLog.map((a) => a.outcome)).toEqual(['retry', 'retry', 'sent']);
    const calls = sms.calls.slice(before);
    expect(calls.map((c) => c.headers['x-careloop-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(calls.map((c) => c.headers['idempotency-key']))).toEqual(
      new Set([`careloop-d${d!.id}-r0`]),
    );
  });

  it('dead-letters after the last attempt; operators see it and re-drive it', async () => {
    sms.respond(() => ({ status: 500, body: { error: 'gateway down' } }));
    const m = await memberReachableBy('sms', '+8613800000003');
    const msg = await careMessage(m, 'c1');
    expect((await tick()).retried).toBe(1);
    t.clock.advance(750);
    expect((await tick()).retried).toBe(1);
    t.clock.advance(1500);
    expect(await tick()).toMatchObject({ dead: 1, retried: 0 });
    expect(await messageRow(m, msg.id)).toMatchObject({
      state: 'failed',
      reason: 'dead-letter',
      attempts: 3,
    });

    const member = await t.user('member-c', ['member'], m);
    expect((await t.call(member.token, 'GET', '/ops/dead-letters')).statusCode).toBe(403);
    const ops = json<{
      configured: string[];
      outbox: { channel: string; status: string; n: number }[];
    }>(await t.call(operator, 'GET', '/ops/channels'));
    expect(ops.configured.sort()).toEqual(['email', 'in-app', 'sms', 'web-push', 'webhook']);
    expect(
      ops.outbox.find((o) => o.channel === 'sms' && o.status === 'dead')?.n,
    ).toBeGreaterThanOrEqual(1);
    const list = await t.call(operator, 'GET', '/ops/dead-letters?channel=sms');
    expect(list.statusCode).toBe(200);
    const dead = json<{
      total: number;
      deadLetters: { id: string; messageId: string; lastError: string; attempts: number }[];
    }>(list);
    const entry = dead.deadLetters.find((x) => x.messageId === msg.id)!;
    expect(entry).toMatchObject({ attempts: 3, lastError: 'sms: HTTP 500 (gateway down)' });
    // Operators see delivery facts, never the text or the address.
    expect(list.body).not.toContain('测量血压');
    expect(list.body).not.toContain('13800000003');

    sms.respond(() => ({ status: 200, body: { id: 'sms-3' } }));
    const redrive = await t.call(operator, 'POST', `/ops/dead-letters/${entry.id}/redrive`, {});
    expect(redrive.statusCode).toBe(200);
    expect(json(redrive)).toMatchObject({ status: 'queued', attempts: 0, redrives: 1 });
    expect((await messageRow(m, msg.id)).state).toBe('queued');
    expect(
      (await t.call(operator, 'POST', `/ops/dead-letters/${entry.id}/redrive`, {})).statusCode,
    ).toBe(409);
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(await messageRow(m, msg.id)).toMatchObject({ state: 'sent', attempts: 4 });
    // A re-drive gets a fresh idempotency key: the provider may remember the old one as failed.
    expect(sms.calls.at(-1)!.headers['idempotency-key']).toBe(`careloop-d${entry.id}-r1`);
  });

  it('lets another sender reclaim a send whose lease ran out, and ignores the late first answer', async () => {
    const first = sms.calls.length;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    sms.respond(async (_req, i) => {
      if (i === first) {
        await gate;
        return { status: 200, body: { id: 'late' } };
      }
      return { status: 200, body: { id: 'reclaimed' } };
    });
    const m = await memberReachableBy('sms', '+8613800000008');
    const msg = await careMessage(m, 'l1');
    // Sender A claims the delivery and hangs on the gateway.
    const a = t.channels.sender.runDue(t.clock.now());
    await sms.waitForCalls(first + 1);
    // Not yet: the lease (60 s) still protects A's claim.
    expect((await t.channels.sender.runDue(t.clock.now())).sent).toBe(0);
    t.clock.advance(60_000);
    const b = await t.channels.sender.runDue(t.clock.now());
    expect(b.sent).toBe(1);
    release();
    expect((await a).sent).toBe(0); // A's answer came after it lost the row: logged, not applied
    const [d] = await deliveries(m, msg.id);
    expect(d).toMatchObject({ status: 'sent', providerId: 'reclaimed', attempts: 2 });
    expect(d!.attemptLog.map((x) => `${x.attempt}:${x.outcome}`).sort()).toEqual([
      '1:sent',
      '2:sent',
    ]);
    // Both attempts carried one idempotency key: a provider that honours it sends the SMS once.
    const keys = sms.calls.slice(first).map((c) => c.headers['idempotency-key']);
    expect(keys).toEqual([`careloop-d${d!.id}-r0`, `careloop-d${d!.id}-r0`]);
    expect((await messageRow(m, msg.id)).state).toBe('sent');
  });

  it('re-drives a dead letter into the in-app inbox when the operator chooses so', async () => {
    sms.respond(() => ({ status: 400, body: { error: 'number blocked' } }));
    const m = await memberReachableBy('sms', '+8613800000004');
    const msg = await careMessage(m, 'd1');
    expect(await tick()).toMatchObject({ dead: 1 }); // a final answer is not retried
    const [d] = await deliveries(m, msg.id);
    const r = await t.call(operator, 'POST', `/ops/dead-letters/${d!.id}/redrive`, {
      channel: 'in-app',
    });
    expect(r.statusCode).toBe(200);
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(await messageRow(m, msg.id)).toMatchObject({ state: 'delivered', channel: 'in-app' });
    const member = await t.user('member-d', ['member'], m);
    const inbox = json<{ messages: { id: string }[] }>(
      await t.call(member.token, 'GET', `/members/${m}/inbox`),
    );
    expect(inbox.messages.map((x) => x.id)).toContain(msg.id);
  });

  it('holds a channel to its rate limit (token bucket: burst 2, then 1 per second)', async () => {
    webhook.respond((req) => {
      const v = verifyWebhookSignature({
        secret: webhookSecret,
        timestamp: req.headers['x-careloop-timestamp'] as string,
        signature: req.headers['x-careloop-signature'] as string,
        body: req.body,
        now: t.clock.now(),
      });
      return v.ok ? { status: 200 } : { status: 401 };
    });
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await memberReachableBy('webhook'));
    for (const [i, m] of members.entries()) await careMessage(m, `e${i}`);
    expect(await tick()).toMatchObject({ sent: 2, rateLimited: 2 });
    expect(await tick()).toMatchObject({ sent: 0, rateLimited: 2 });
    t.clock.advance(1000);
    expect(await tick()).toMatchObject({ sent: 1, rateLimited: 1 });
    t.clock.advance(1000);
    expect(await tick()).toMatchObject({ sent: 1, rateLimited: 0 });
    expect(webhook.calls).toHaveLength(4);
    expect(
      new Set(webhook.calls.map((c) => (c.json() as { member: { id: string } }).member.id)),
    ).toEqual(new Set(members));
  });

  it('lands a red flag in the inbox at once and falls over to the next channel when one fails', async () => {
    sms.respond((req) =>
      (req.json() as { to: string }).to === '+8613800000005'
        ? { status: 400, body: { error: 'unreachable' } }
        : { status: 200 },
    );
    const m = await memberReachableBy('sms', '+8613800000005', {
      consents: { email: true },
      contacts: { email: 'wang.fang@example.org' },
    });
    const guidance = {
      'zh-CN': '血压很高：请立即就医或拨打 120。',
      en: 'Your BP is very high: seek care now or call 120.',
    };
    const counts = await t.db.transaction(async (tx) => {
      const now = t.clock.now().toISOString();
      await tx.query(
        `INSERT INTO messages (member_id, step_id, priority, purpose, channel, body, idempotency_key, state, not_before, created_at)
         VALUES ($1, 'red-flag:bp-crisis', 'red-flag', 'alert', 'in-app', $2, 'rf-1', 'pending', $3, $3)`,
        [m, JSON.stringify(guidance), now],
      );
      return dispatchMembers(tx, [m], t.clock.now());
    });
    expect(counts).toMatchObject({ delivered: 1, queued: 1 });
    const { rows } = await t.db.query<{ id: string; state: string }>(
      `SELECT id::text AS id, state FROM messages WHERE member_id = $1 AND idempotency_key = 'rf-1'`,
      [m],
    );
    const id = rows[0]!.id;
    expect(rows[0]!.state).toBe('delivered'); // in the inbox before any outside send

    const before = smtp.received.length;
    expect(await tick()).toMatchObject({ fellBack: 1, sent: 1 });
    const ds = await deliveries(m, id);
    expect(ds.map((d) => [d.channel, d.status])).toEqual([
      ['sms', 'failed'],
      ['email', 'sent'],
    ]);
    const [mail] = (await smtp.waitForMail(before + 1)).slice(before);
    expect(mail!.to).toEqual(['wang.fang@example.org']);
    expect(mail!.parsed.subject).toBe('重要健康提示');
    expect(mail!.parsed.text).toContain(guidance['zh-CN']);
    expect((await messageRow(m, id)).state).toBe('delivered');
  });

  it('keeps a red flag in the inbox when every outside channel fails, and dead-letters the last', async () => {
    sms.respond(() => ({ status: 400 }));
    const m = await memberReachableBy('sms', '+8613800000006');
    await t.db.transaction(async (tx) => {
      const now = t.clock.now().toISOString();
      await tx.query(
        `INSERT INTO messages (member_id, step_id, priority, purpose, channel, body, idempotency_key, state, not_before, created_at)
         VALUES ($1, 'red-flag:chest-pain', 'red-flag', 'alert', 'sms', '{"zh-CN": "请立即拨打 120", "en": "Call 120 now"}', 'rf-2', 'pending', $2, $2)`,
        [m, now],
      );
      await dispatchMembers(tx, [m], t.clock.now());
    });
    expect(await tick()).toMatchObject({ dead: 1 });
    const { rows } = await t.db.query<{ id: string; state: string }>(
      `SELECT id::text AS id, state FROM messages WHERE member_id = $1 AND idempotency_key = 'rf-2'`,
      [m],
    );
    expect(rows[0]!.state).toBe('delivered');
    const dead = json<{ deadLetters: { messageId: string; priority: string }[] }>(
      await t.call(operator, 'GET', '/ops/dead-letters'),
    );
    expect(dead.deadLetters.find((x) => x.messageId === rows[0]!.id)?.priority).toBe('red-flag');
  });

  it('hands a message to the in-app inbox when this server does not offer the chosen channel', async () => {
    const m = await memberReachableBy('wechat', 'oAbCdEfGhIjKlMnOpQrStUv');
    const msg = await careMessage(m, 'f1');
    expect(msg).toMatchObject({ state: 'queued', channel: 'wechat' });
    expect(await tick()).toMatchObject({ fellBack: 1 });
    expect(await messageRow(m, msg.id)).toMatchObject({
      state: 'delivered',
      channel: 'in-app',
      reason: 'channel-fallback',
    });
  });

  it('needs consent and an address: a bare preference stays in the inbox, delivered at once', async () => {
    const m = await t.member('no-consent');
    await t.call(admin, 'PUT', `/members/${m}/channel-settings`, {
      preferences: ['sms', 'email'],
      consents: { email: true },
      contacts: { sms: '+8613800000007' },
    });
    const msg = await careMessage(m, 'g1');
    expect(msg).toMatchObject({ state: 'delivered', channel: 'in-app' });
  });

  it('sends email to a member who chose it', async () => {
    const m = await memberReachableBy('email', 'zhao.lei@example.org');
    const msg = await careMessage(m, 'h1');
    const before = smtp.received.length;
    expect(await tick()).toMatchObject({ sent: 1 });
    const got = (await smtp.waitForMail(before + 1))[before]!;
    expect(got.to).toEqual(['zhao.lei@example.org']);
    expect(got.parsed.text).toContain('测量血压提醒 h1');
    expect((await messageRow(m, msg.id)).state).toBe('sent');
  });

  it('stores a Web Push subscription, pushes to it, and forgets it when the service says gone', async () => {
    const m = await t.member('push-member');
    const member = await t.user('push-member', ['member'], m);
    const browser = browserSubscriptionKeys();
    const endpoint = `${pushService.url}/push/device-9`;
    const bad = await t.call(member.token, 'POST', `/members/${m}/push-subscriptions`, {
      endpoint,
      keys: { p256dh: 'AAAA', auth: browser.auth },
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(bad).errors.map((e) => e.path)).toEqual([
      'body.keys.p256dh',
    ]);
    const other = await t.member('someone-else');
    expect(
      (
        await t.call(member.token, 'POST', `/members/${other}/push-subscriptions`, {
          endpoint,
          keys: browser,
        })
      ).statusCode,
    ).toBe(403);
    const ok = await t.call(member.token, 'POST', `/members/${m}/push-subscriptions`, {
      endpoint,
      expirationTime: null,
      keys: { p256dh: browser.p256dh, auth: browser.auth },
    });
    expect(ok.statusCode).toBe(201);
    expect(
      json<{ publicKey: string }>(await t.call(null, 'GET', '/push/vapid-public-key')).publicKey,
    ).toBe(vapid.publicKey);
    await t.call(member.token, 'PUT', `/members/${m}/channel-settings`, {
      preferences: ['web-push', 'in-app'],
      consents: { 'web-push': true },
    });

    pushService.respond(() => ({ status: 201 }));
    const msg = await careMessage(m, 'i1');
    expect(msg.channel).toBe('web-push');
    expect(await tick()).toMatchObject({ sent: 1 });
    const push = pushService.calls.at(-1)!;
    expect(push.url).toBe('/push/device-9');
    expect(push.headers.authorization).toMatch(/^vapid t=.+, k=/);
    expect(JSON.parse(browser.decrypt(push.body).toString())).toMatchObject({
      body: '测量血压提醒 i1',
      messageId: msg.id,
    });

    pushService.respond(() => ({ status: 410 }));
    await careMessage(m, 'i2');
    expect(await tick()).toMatchObject({ dead: 1 });
    const settings = json<{ pushSubscriptions: number }>(
      await t.call(member.token, 'GET', `/members/${m}/channel-settings`),
    );
    expect(settings.pushSubscriptions).toBe(0);
  });

  it('shows the care team masked addresses, and only the member or an admin changes them', async () => {
    const m = await memberReachableBy('email', 'liu.yang@example.org', {
      contacts: { sms: '+8613912345678' },
    });
    const manager = await t.user('manager-x', ['manager']);
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id::text AS id FROM users WHERE username = 'manager-x'`,
    );
    await t.db.query(
      `INSERT INTO care_assignments (member_id, user_id, role) VALUES ($1, $2, 'manager')`,
      [m, rows[0]!.id],
    );
    const seen = json<{ contacts: { email: string; sms: string } }>(
      await t.call(manager.token, 'GET', `/members/${m}/channel-settings`),
    );
    expect(seen.contacts).toEqual({ email: 'l***@example.org', sms: '+86****78', wechat: null });
    expect(
      (
        await t.call(manager.token, 'PUT', `/members/${m}/channel-settings`, {
          consents: { sms: true },
        })
      ).statusCode,
    ).toBe(403);
    const invalid = await t.call(admin, 'PUT', `/members/${m}/channel-settings`, {
      preferences: ['carrier-pigeon'],
      contacts: { sms: '13800000000' },
    });
    expect(invalid.statusCode).toBe(400);
    const paths = json<{ errors: { path: string }[] }>(invalid).errors.map((e) => e.path);
    expect(paths).toContain('body.contacts.sms');
    expect(paths.some((p) => p.startsWith('body.preferences'))).toBe(true);
  });
});
