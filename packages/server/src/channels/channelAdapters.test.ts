import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import type { OutboundMessage, RecipientMember } from './ChannelAdapter.ts';
import { Secret } from './channelConfig.ts';
import { EmailAdapter } from './emailAdapter.ts';
import { SmsAdapter } from './smsAdapter.ts';
import { WebhookAdapter } from './webhookAdapter.ts';
import { WebPushAdapter } from './webPushAdapter.ts';
import { WeChatAdapter } from './wechatAdapter.ts';
import {
  closedPort,
  startRecordingServer,
  startSmtpServer,
  type LocalSmtpServer,
  type RecordingServer,
} from './testing/localPeers.ts';
import { browserSubscriptionKeys, verifyVapid } from './testing/pushServiceCrypto.ts';

/** Every adapter against a real local peer: HTTP servers and an SMTP server on 127.0.0.1. */

const message: OutboundMessage = {
  memberId: '7b0c2a5e-1d1f-4c44-9a51-0b5c8f3c2d11',
  messageId: '42',
  deliveryId: '7',
  channel: 'sms',
  priority: 'care',
  purpose: 'reminder',
  body: {
    'zh-CN': '请在早上服药后 3 小时测量血压，并记录在应用中。',
    en: 'Please measure your blood pressure 3 h after your morning dose and log it in the app.',
  },
  createdAt: '2026-03-10T02:00:00.000Z',
  idempotencyKey: 'careloop-d7-r0',
  attempt: 1,
};

const member: RecipientMember = {
  id: message.memberId,
  externalRef: 'hosp-001',
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  address: '+8613800000000',
  pushSubscriptions: [],
};

const token = new Secret('gateway-token-0123456789abcdef');

describe('SMS gateway adapter', () => {
  let peer: RecordingServer;
  beforeAll(async () => (peer = await startRecordingServer()));
  afterAll(async () => peer.close());

  it('POSTs the documented JSON with the bearer token and the idempotency key', async () => {
    peer.respond(() => ({ status: 202, body: { id: 'sms-123' } }));
    const sms = new SmsAdapter({ url: `${peer.url}/send`, token }, 2000);
    const r = await sms.send(message, member);
    expect(r).toEqual({ ok: true, providerId: 'sms-123' });
    const call = peer.calls.at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/send');
    expect(call.headers.authorization).toBe(`Bearer ${token.reveal()}`);
    expect(call.headers['idempotency-key']).toBe('careloop-d7-r0');
    expect(call.json()).toEqual({
      to: '+8613800000000',
      text: message.body['zh-CN'],
      locale: 'zh-CN',
      priority: 'care',
      reference: 'careloop-d7-r0',
    });
  });

  it('retries throttling and server errors, not bad requests', async () => {
    const sms = new SmsAdapter({ url: peer.url, token }, 2000);
    for (const [status, retryable] of [
      [429, true],
      [500, true],
      [503, true],
      [408, true],
      [400, false],
      [401, false],
      [422, false],
    ] as const) {
      peer.respond(() => ({ status, body: { error: 'nope' } }));
      const r = await sms.send(message, member);
      expect(r, `HTTP ${status}`).toMatchObject({ ok: false, retryable });
    }
  });

  it('keeps the phone number out of stored errors', async () => {
    peer.respond(() => ({ status: 400, body: { error: 'invalid number +8613800000000' } }));
    const r = await new SmsAdapter({ url: peer.url, token }, 2000).send(message, member);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('HTTP 400');
      expect(r.error).not.toContain('13800000000');
    }
  });

  it('counts a refused connection and a timeout as retryable', async () => {
    const refused = await new SmsAdapter(
      { url: `http://127.0.0.1:${await closedPort()}/`, token },
      2000,
    ).send(message, member);
    expect(refused).toMatchObject({
      ok: false,
      retryable: true,
      error: 'sms: network error ECONNREFUSED',
    });
    peer.respond(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 800)));
    const slow = await new SmsAdapter({ url: peer.url, token }, 200).send(message, member);
    expect(slow).toMatchObject({ ok: false, retryable: true, error: 'sms: timed out' });
  });

  it('fails for good without a phone number', async () => {
    const r = await new SmsAdapter({ url: peer.url, token }, 2000).send(message, {
      ...member,
      address: null,
    });
    expect(r).toEqual({ ok: false, retryable: false, error: 'sms: no phone number on file' });
  });
});

describe('WeChat subscription-message adapter', () => {
  let peer: RecordingServer;
  beforeAll(async () => (peer = await startRecordingServer()));
  afterAll(async () => peer.close());
  const config = { url: '', token, templateId: 'TPL-bp-1', page: 'pages/inbox/index' };
  const openid = 'oAbCdEfGhIjKlMnOpQrStUv';

  it('sends a subscribeMessage body: 20-character thing, local time, page with the message id', async () => {
    peer.respond(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok', msgid: 9876 } }));
    const wx = new WeChatAdapter({ ...config, url: peer.url }, 2000);
    const r = await wx.send({ ...message, channel: 'wechat' }, { ...member, address: openid });
    expect(r).toEqual({ ok: true, providerId: '9876' });
    const body = peer.calls.at(-1)!.json() as {
      touser: string;
      template_id: string;
      page: string;
      lang: string;
      data: { thing1: { value: string }; time2: { value: string } };
    };
    expect(body.touser).toBe(openid);
    expect(body.template_id).toBe('TPL-bp-1');
    expect(body.page).toBe('pages/inbox/index?messageId=42');
    expect(body.lang).toBe('zh_CN');
    expect([...body.data.thing1.value]).toHaveLength(20);
    expect(body.data.thing1.value).toBe('请在早上服药后 3 小时测量血压，并记…');
    // 02:00 UTC is 10:00 in Shanghai.
    expect(body.data.time2.value).toBe('2026-03-10 10:00');
  });

  it('reads WeChat errcodes: 43101 (not subscribed) is final, -1 (busy) is retried', async () => {
    const wx = new WeChatAdapter({ ...config, url: peer.url }, 2000);
    peer.respond(() => ({
      status: 200,
      body: { errcode: 43101, errmsg: 'user refuse to accept the msg' },
    }));
    expect(await wx.send(message, { ...member, address: openid })).toMatchObject({
      ok: false,
      retryable: false,
      error: 'wechat: errcode 43101 (user refuse to accept the msg)',
    });
    peer.respond(() => ({ status: 200, body: { errcode: -1, errmsg: 'system error' } }));
    expect(await wx.send(message, { ...member, address: openid })).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});

describe('signed webhook adapter', () => {
  let peer: RecordingServer;
  beforeAll(async () => (peer = await startRecordingServer()));
  afterAll(async () => peer.close());
  const secret = 'whsec-0123456789abcdef0123456789abcdef';
  const now = new Date('2026-03-10T02:00:00Z');

  // The receiver as an integrator would write it from our documentation, with node:crypto only.
  const receiverVerifies = (
    headers: Record<string, string | string[] | undefined>,
    raw: Buffer,
  ) => {
    const ts = String(headers['x-careloop-timestamp']);
    const sig = String(headers['x-careloop-signature']);
    const expected = `v1=${createHmac('sha256', secret).update(`${ts}.`).update(raw).digest('hex')}`;
    const fresh = Math.abs(now.getTime() / 1000 - Number(ts)) <= 300;
    return (
      fresh &&
      sig.length === expected.length &&
      timingSafeEqual(Buffer.from(sig), Buffer.from(expected))
    );
  };

  it('signs timestamp + body so the receiver can verify it', async () => {
    peer.respond((req) =>
      receiverVerifies(req.headers, req.body)
        ? { status: 200, body: { id: 'partner-1' } }
        : { status: 401, body: { error: 'bad signature' } },
    );
    const hook = new WebhookAdapter({ url: peer.url, secret: new Secret(secret) }, 2000, () => now);
    const r = await hook.send({ ...message, channel: 'webhook' }, member);
    expect(r).toEqual({ ok: true, providerId: 'partner-1' });
    const call = peer.calls.at(-1)!;
    expect(call.headers['x-careloop-timestamp']).toBe(String(now.getTime() / 1000));
    expect(call.json()).toMatchObject({
      type: 'message',
      id: 'careloop-d7-r0',
      member: { id: member.id, externalRef: 'hosp-001' },
      message: { id: '42', priority: 'care', locale: 'zh-CN', text: message.body },
    });
    expect(JSON.stringify(call.json())).not.toContain('+8613800000000');
  });

  it('is refused by the receiver when signed with another secret', async () => {
    const hook = new WebhookAdapter(
      { url: peer.url, secret: new Secret(`${secret}-other`) },
      2000,
      () => now,
    );
    expect(await hook.send(message, member)).toMatchObject({
      ok: false,
      retryable: false,
      error: 'webhook: HTTP 401 (bad signature)',
    });
  });
});

describe('email adapter over a real SMTP server', () => {
  let smtp: LocalSmtpServer;
  let mail: EmailAdapter;
  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: 'careloop', pass: 'smtp-secret' } });
    mail = new EmailAdapter(
      {
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none',
        user: 'careloop',
        password: new Secret('smtp-secret'),
        from: 'CareLoop <care@careloop.test>',
      },
      5000,
    );
  });
  afterAll(async () => {
    await mail.close();
    await smtp.close();
  });
  const to = { ...member, address: 'li.jianguo@example.org' };

  it('delivers a message in the member’s language, authenticated, with a stable Message-ID', async () => {
    const r = await mail.send({ ...message, channel: 'email' }, to);
    expect(r).toEqual({ ok: true, providerId: '<careloop-d7-r0@careloop.test>' });
    const [got] = await smtp.waitForMail(1);
    expect(got!.user).toBe('careloop');
    expect(got!.from).toBe('care@careloop.test');
    expect(got!.to).toEqual(['li.jianguo@example.org']);
    expect(got!.parsed.subject).toBe('CareLoop 健康提醒');
    expect(got!.parsed.messageId).toBe('<careloop-d7-r0@careloop.test>');
    expect(got!.parsed.text).toContain(message.body['zh-CN']);
    expect(got!.parsed.headers.get('x-careloop-message')).toBe('42');
  });

  it('marks a red flag important, in English for an English-speaking member', async () => {
    await mail.send(
      { ...message, channel: 'email', priority: 'red-flag', idempotencyKey: 'careloop-d8-r0' },
      { ...to, locale: 'en' },
    );
    const got = (await smtp.waitForMail(2))[1]!;
    expect(got.parsed.subject).toBe('Important health notice');
    expect(got.parsed.text).toContain(message.body.en);
    expect(got.parsed.headers.get('priority')).toBe('high'); // Importance / X-Priority
    expect((await smtp.waitForMail(1))[0]!.parsed.headers.get('priority')).not.toBe('high');
  });

  it('retries 4xx replies and gives up on 5xx, without the address in the error', async () => {
    smtp.reject(() => ({ code: 451, message: 'Try again later' }));
    expect(await mail.send(message, to)).toMatchObject({ ok: false, retryable: true });
    smtp.reject(() => ({ code: 550, message: 'Mailbox li.jianguo@example.org unavailable' }));
    const r = await mail.send(message, to);
    expect(r).toMatchObject({ ok: false, retryable: false });
    if (!r.ok) {
      expect(r.error).toMatch(/^email: SMTP 550/);
      expect(r.error).not.toContain('li.jianguo@example.org');
    }
    smtp.reject(null);
  });

  it('retries when the server cannot be reached', async () => {
    const down = new EmailAdapter(
      {
        host: '127.0.0.1',
        port: await closedPort(),
        tls: 'none',
        user: null,
        password: null,
        from: 'care@careloop.test',
      },
      2000,
    );
    expect(await down.send(message, to)).toMatchObject({ ok: false, retryable: true });
    await down.close();
  });
});

describe('Web Push adapter against a local push service', () => {
  let push: RecordingServer;
  const vapid = webpush.generateVAPIDKeys();
  const browser = browserSubscriptionKeys();
  const adapter = () =>
    new WebPushAdapter(
      {
        publicKey: vapid.publicKey,
        privateKey: new Secret(vapid.privateKey),
        subject: 'mailto:ops@careloop.test',
        allowHttpEndpoints: true,
      },
      2000,
    );
  beforeAll(async () => (push = await startRecordingServer()));
  afterAll(async () => push.close());

  it('POSTs an aes128gcm body with a VAPID JWT the push service can verify and the browser decrypt', async () => {
    push.respond(() => ({ status: 201, headers: { location: `${push.url}/m/abc` } }));
    const sub = {
      endpoint: `${push.url}/push/device-1`,
      keys: { p256dh: browser.p256dh, auth: browser.auth },
    };
    const r = await adapter().send(
      { ...message, channel: 'web-push', priority: 'red-flag' },
      { ...member, pushSubscriptions: [sub] },
    );
    expect(r).toEqual({ ok: true, providerId: `${push.url}/m/abc` });
    const call = push.calls.at(-1)!;
    expect(call.url).toBe('/push/device-1');
    expect(call.headers['content-encoding']).toBe('aes128gcm');
    expect(call.headers.ttl).toBe('86400');
    expect(call.headers.urgency).toBe('high');
    const v = verifyVapid(call.headers.authorization, {
      publicKey: vapid.publicKey,
      audience: new URL(push.url).origin,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    expect(v).toMatchObject({ ok: true, claims: { sub: 'mailto:ops@careloop.test' } });
    // RFC 8188 header: record size 4096, key id = the 65-byte ephemeral public key.
    expect(call.body.readUInt32BE(16)).toBe(4096);
    expect(call.body.readUInt8(20)).toBe(65);
    const payload = JSON.parse(browser.decrypt(call.body).toString('utf8')) as Record<
      string,
      string
    >;
    expect(payload).toEqual({
      title: '重要健康提示',
      body: message.body['zh-CN'],
      messageId: '42',
      priority: 'red-flag',
      url: '/inbox?messageId=42',
    });
  });

  it('reports a 410 subscription as stale, and succeeds while another device still works', async () => {
    push.respond((req) => (req.url.includes('gone') ? { status: 410 } : { status: 201 }));
    const keys = { p256dh: browser.p256dh, auth: browser.auth };
    const live = { endpoint: `${push.url}/push/live`, keys };
    const gone = { endpoint: `${push.url}/push/gone`, keys };
    const both = await adapter().send(message, { ...member, pushSubscriptions: [gone, live] });
    expect(both).toEqual({ ok: true, staleAddresses: [gone.endpoint] });
    const onlyGone = await adapter().send(message, { ...member, pushSubscriptions: [gone] });
    expect(onlyGone).toMatchObject({
      ok: false,
      retryable: false,
      staleAddresses: [gone.endpoint],
    });
  });

  it('retries a push service that is overloaded', async () => {
    push.respond(() => ({ status: 503 }));
    const sub = {
      endpoint: `${push.url}/push/x`,
      keys: { p256dh: browser.p256dh, auth: browser.auth },
    };
    expect(await adapter().send(message, { ...member, pushSubscriptions: [sub] })).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});
