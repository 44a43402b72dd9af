import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchMembers } from '../care/dispatcher.ts';
import { Secret } from './channelConfig.ts';
import { openChannelTestApp, type ChannelTestApp } from './testing/channelTestApp.ts';
import { startRecordingServer, type RecordingServer } from './testing/localPeers.ts';

interface SseEvent {
  event: string;
  id?: string;
  data?: string;
  comment?: string;
}

/**
 * A real HTTP client reading text/event-stream as a browser's EventSource would (its own socket,
 * no keep-alive pool, so closing it really hangs up).
 */
async function openStream(url: string, token: string | null) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  const { req, res } = await new Promise<{ req: ClientRequest; res: IncomingMessage }>(
    (resolve, reject) => {
      const req = httpGet(
        url,
        { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} },
        (res) => resolve({ req, res }),
      );
      req.on('error', reject);
    },
  );
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const e: SseEvent = { event: 'message' };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) e.comment = line.slice(1).trim();
        else if (line.startsWith('event: ')) e.event = line.slice(7);
        else if (line.startsWith('id: ')) e.id = line.slice(4);
        else if (line.startsWith('data: ')) e.data = line.slice(6);
        else if (line.startsWith('retry: ')) e.event = 'retry';
      }
      events.push(e);
      for (const w of waiters.splice(0)) w();
    }
  });
  res.on('error', () => undefined);
  let read = 0;
  return {
    status: res.statusCode ?? 0,
    contentType: res.headers['content-type'] ?? null,
    /** The next event that matches, waiting up to `ms`. */
    async next(match: (e: SseEvent) => boolean, ms = 5000): Promise<SseEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        while (read < events.length) {
          const e = events[read++]!;
          if (match(e)) return e;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no matching event arrived');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      req.destroy();
    },
  };
}

const isMessage = (e: SseEvent) => e.event === 'message' && e.data !== undefined;

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the live inbox stream (Server-Sent Events over LISTEN/NOTIFY)', () => {
  let t: ChannelTestApp;
  let hook: RecordingServer;
  let base: string;
  let admin: string;
  let memberId: string;
  let memberToken: string;

  beforeAll(async () => {
    hook = await startRecordingServer();
    t = await openChannelTestApp({
      config: {
        sseHeartbeatMs: 200,
        webhook: { url: hook.url, secret: new Secret('whsec-0123456789abcdef0123456789abcdef') },
      },
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    admin = (await t.user('admin', ['admin'])).token;
    memberId = await t.member('陈静');
    memberToken = (await t.user('chenjing', ['member'], memberId)).token;
  });
  afterAll(async () => {
    await t?.close();
    await hook?.close();
  });

  const post = (text: string, clientId: string, id = memberId) =>
    t.call(admin, 'POST', `/members/${id}/messages`, {
      text: { 'zh-CN': text, en: text },
      clientId,
    });

  it('refuses strangers: 401 without a token, 403 for another member', async () => {
    const other = await t.member('someone else');
    const anon = await openStream(`${base}/members/${memberId}/inbox/stream`, null);
    expect(anon.status).toBe(401);
    await anon.close();
    const s = await openStream(`${base}/members/${other}/inbox/stream`, memberToken);
    expect(s.status).toBe(403);
    await s.close();
  });

  it('pushes each message as it enters the inbox, after the commit', async () => {
    const s = await openStream(`${base}/members/${memberId}/inbox/stream`, memberToken);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/event-stream/);
    expect(JSON.parse((await s.next((e) => e.event === 'ready')).data!)).toEqual({ unread: 0 });

    const r = await post('今天记得测血压', 's1');
    const sent = r.json() as { id: string };
    const e = await s.next(isMessage);
    expect(e.id).toBe(sent.id);
    expect(JSON.parse(e.data!)).toMatchObject({
      id: sent.id,
      state: 'delivered',
      channel: 'in-app',
      body: { 'zh-CN': '今天记得测血压' },
    });
    await s.close();
  });

  it('says nothing about a transaction that rolled back', async () => {
    const s = await openStream(`${base}/members/${memberId}/inbox/stream`, memberToken);
    await s.next((e) => e.event === 'ready');
    await t.db
      .transaction(async (tx) => {
        const now = t.clock.now().toISOString();
        await tx.query(
          `INSERT INTO messages (member_id, priority, purpose, channel, body, idempotency_key, state, not_before, created_at)
           VALUES ($1, 'care', 'education', 'in-app', '{"zh-CN": "回滚", "en": "rolled back"}', 'rb-1', 'pending', $2, $2)`,
          [memberId, now],
        );
        const c = await dispatchMembers(tx, [memberId], t.clock.now());
        expect(c.delivered).toBe(1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const committed = (await post('提交的消息', 's2')).json() as { id: string };
    // The first message event after the rollback is the committed one.
    expect((await s.next(isMessage)).id).toBe(committed.id);
    await s.close();
  });

  it('pushes a message the sender got out on an outside channel (sent)', async () => {
    const m = await t.member('webhook member');
    const token = (await t.user('wh-member', ['member'], m)).token;
    await t.call(admin, 'PUT', `/members/${m}/channel-settings`, {
      preferences: ['webhook'],
      consents: { webhook: true },
    });
    const s = await openStream(`${base}/members/${m}/inbox/stream`, token);
    await s.next((e) => e.event === 'ready');
    const msg = (await post('经网关发送', 'w1', m)).json() as { id: string; state: string };
    expect(msg.state).toBe('queued');
    await t.channels.runOnce();
    const e = await s.next(isMessage);
    expect(JSON.parse(e.data!)).toMatchObject({ id: msg.id, state: 'sent', channel: 'webhook' });
    await s.close();
  });

  it('sends heartbeats and forgets the subscriber when the client goes away', async () => {
    const s = await openStream(`${base}/members/${memberId}/inbox/stream`, memberToken);
    await s.next((e) => e.event === 'ready');
    expect((await s.next((e) => e.comment === 'heartbeat', 2000)).comment).toBe('heartbeat');
    expect(t.channels.notices.inboxSubscribers).toBeGreaterThanOrEqual(1);
    await s.close();
    await until(() => t.channels.notices.inboxSubscribers === 0);
  });
});

describe('the sender, woken by the commit notification', () => {
  it('sends a queued message without being asked, and the server closes with a stream open', async () => {
    const hook = await startRecordingServer();
    const t = await openChannelTestApp({
      wakeOnNotify: true,
      config: {
        webhook: { url: hook.url, secret: new Secret('whsec-0123456789abcdef0123456789abcdef') },
      },
    });
    let closed = false;
    try {
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const admin = (await t.user('admin', ['admin'])).token;
      const m = await t.member('wake');
      await t.call(admin, 'PUT', `/members/${m}/channel-settings`, {
        preferences: ['webhook'],
        consents: { webhook: true },
      });
      const s = await openStream(`${base}/members/${m}/inbox/stream`, admin);
      await s.next((e) => e.event === 'ready');
      const r = await t.call(admin, 'POST', `/members/${m}/messages`, {
        text: { 'zh-CN': '自动发送', en: 'sent on its own' },
        clientId: 'wake-1',
      });
      expect((r.json() as { state: string }).state).toBe('queued');
      const [call] = await hook.waitForCalls(1);
      expect((call!.json() as { message: { text: { en: string } } }).message.text.en).toBe(
        'sent on its own',
      );
      expect(JSON.parse((await s.next(isMessage)).data!)).toMatchObject({ state: 'sent' });
      // Closing the app ends open streams instead of waiting for the clients.
      closed = true;
      await t.close();
      await s.close();
    } finally {
      if (!closed) await t.close();
      await hook.close();
    }
  });
});
