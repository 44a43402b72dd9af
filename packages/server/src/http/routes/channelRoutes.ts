import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  inboxStates,
  messageColumns,
  toMessageView,
  type MessageRow,
} from '../../storage/messageView.ts';
import type { FastifyRequest } from 'fastify';
import type { Channel } from '@careloop/core';
import { audit, authorizeMember } from '../../auth/access.ts';
import { hasRole } from '../../auth/actor.ts';
import type { AppDeps } from '../app.ts';
import { ChannelService } from '../../channels/channelService.ts';
import { listDeadLetters, redriveDelivery } from '../../channels/deadLetters.ts';
import { applyReceipt } from '../../channels/deliveryReceipts.ts';
import { deliveryColumns, toDeliveryView, type DeliveryRow } from '../../channels/deliveryView.ts';
import { allChannels } from '../../channels/routeChannels.ts';
import {
  signatureHeader,
  timestampHeader,
  verifyWebhookSignature,
} from '../../channels/webhookSignature.ts';
import { iso } from '../../storage/rows.ts';
import { requireActor, requireRole } from '../guards.ts';
import { HttpProblem, badRequest, forbidden, notFound } from '../problem.ts';

/** AppDeps may carry a ready ChannelService; otherwise one is built from the environment. */
export type ChannelDeps = AppDeps & { channels?: ChannelService };

const MemberId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ChannelName = Type.Union(allChannels.map((c) => Type.Literal(c)));

const DeliveryView = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  messageId: Type.String(),
  channel: Type.String(),
  priority: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  redrives: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  providerId: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  deadAt: Type.Union([Type.String(), Type.Null()]),
});

const SendCountsView = Type.Object({
  sent: Type.Integer(),
  retried: Type.Integer(),
  dead: Type.Integer(),
  fellBack: Type.Integer(),
  rateLimited: Type.Integer(),
});

/** Keeps the first and last characters of an address so a care team can recognise, not read, it. */
function maskAddress(channel: string, address: string): string {
  if (channel === 'email') {
    const [user = '', domain = ''] = address.split('@');
    return `${user.slice(0, 1)}***@${domain}`;
  }
  return `${address.slice(0, 3)}****${address.slice(-2)}`;
}

function decodesTo(s: string, bytes: number): boolean {
  return /^[A-Za-z0-9_-]+={0,2}$/.test(s) && Buffer.from(s, 'base64url').length === bytes;
}

/**
 * Channels over HTTP: the live inbox stream (SSE), the member's channel settings and push
 * subscriptions, delivery history, the dead-letter list with re-drive, the sender tick, and
 * delivery receipts from the SMS/WeChat gateways (decision 0007).
 */
export const channelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps as ChannelDeps;
  const { db, clock } = deps;
  const channels =
    deps.channels ??
    ChannelService.fromEnv(process.env, {
      db,
      clock,
      logError: (err, what) => app.log.error({ err }, `channels: ${what} failed`),
    });
  const streams = new Set<() => void>();
  app.addHook('onReady', async () => channels.start());
  // Open streams would hold the server open: end them before it closes.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  app.addHook('onClose', async () => channels.stop());

  const access = (req: FastifyRequest, memberId: string, action: string) =>
    authorizeMember(db, {
      actor: req.actor,
      memberId,
      action,
      requestId: req.id,
      now: clock.now(),
    });
  /** Consent and devices are the member's own decisions: the member, or an admin on their behalf. */
  const requireSelfOrAdmin = (req: FastifyRequest, memberId: string) => {
    const actor = requireActor(req);
    if (actor.memberId === memberId && hasRole(actor, 'member')) return actor;
    if (hasRole(actor, 'admin')) return actor;
    throw forbidden('only the member (or an admin) changes their channels');
  };

  app.get(
    '/members/:id/inbox/stream',
    {
      schema: {
        tags: ['inbox'],
        summary:
          'Live inbox (Server-Sent Events): a `message` event for each message that enters the inbox; `ready` on connect (refetch /inbox then), comment heartbeats',
        params: MemberId,
      },
    },
    async (req, reply) => {
      await access(req, req.params.id, 'read:inbox');
      const memberId = req.params.id;
      const unread = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages WHERE member_id = $1 AND state IN ('delivered', 'sent')`,
        [memberId],
      );
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(
        `retry: 3000\n\nevent: ready\ndata: ${JSON.stringify({ unread: unread.rows[0]?.n ?? 0 })}\n\n`,
      );
      let closed = false;
      // Events go out in the order they arrived, each after its row has been read.
      let chain = Promise.resolve();
      const push = async (ids: string[]) => {
        if (closed) return;
        const { rows } = await db.query<MessageRow>(
          `SELECT ${messageColumns} FROM messages WHERE member_id = $1 AND id = ANY($2::bigint[]) AND state IN ${inboxStates} ORDER BY id`,
          [memberId, ids],
        );
        for (const r of rows) {
          if (closed) return;
          res.write(`event: message\nid: ${r.id}\ndata: ${JSON.stringify(toMessageView(r))}\n\n`);
        }
      };
      const unsubscribe = channels.notices.onInbox(memberId, (ids) => {
        chain = chain
          .then(() => push(ids))
          .catch((err: unknown) => req.log.error({ err }, 'inbox stream push failed'));
      });
      const heartbeat = setInterval(() => {
        if (!closed) res.write(': heartbeat\n\n');
      }, channels.config.sseHeartbeatMs);
      heartbeat.unref();
      // Ends our side too: a half-closed socket would otherwise hold the server open.
      const end = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
        res.end();
      };
      streams.add(end);
      req.raw.socket.on('close', end);
      res.on('close', end);
      res.on('error', end);
    },
  );

  const ChannelSettings = Type.Object({
    preferences: Type.Array(Type.String()),
    consents: Type.Record(Type.String(), Type.Boolean()),
    contacts: Type.Object({
      email: Type.Union([Type.String(), Type.Null()]),
      sms: Type.Union([Type.String(), Type.Null()]),
      wechat: Type.Union([Type.String(), Type.Null()]),
    }),
    pushSubscriptions: Type.Integer(),
    available: Type.Array(Type.String()),
  });

  const loadSettings = async (memberId: string, reveal: boolean) => {
    const m = await db.query<{
      channel_preferences: string[];
      consents: { channels?: Record<string, boolean> };
    }>(`SELECT channel_preferences, consents FROM members WHERE id = $1`, [memberId]);
    const row = m.rows[0];
    if (!row) throw notFound(`no member '${memberId}'`);
    const c = await db.query<{ channel: 'email' | 'sms' | 'wechat'; address: string }>(
      `SELECT channel, address FROM member_contacts WHERE member_id = $1`,
      [memberId],
    );
    const subs = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM push_subscriptions WHERE member_id = $1`,
      [memberId],
    );
    const contacts: Record<'email' | 'sms' | 'wechat', string | null> = {
      email: null,
      sms: null,
      wechat: null,
    };
    for (const r of c.rows)
      contacts[r.channel] = reveal ? r.address : maskAddress(r.channel, r.address);
    return {
      preferences: row.channel_preferences,
      consents: row.consents.channels ?? { 'in-app': true },
      contacts,
      pushSubscriptions: subs.rows[0]?.n ?? 0,
      available: ['in-app', ...channels.configured],
    };
  };

  app.get(
    '/members/:id/channel-settings',
    {
      schema: {
        tags: ['channels'],
        summary:
          "The member's channel preference order, per-channel consent, contact addresses (masked for the care team) and the channels this server offers",
        params: MemberId,
        response: { 200: ChannelSettings },
      },
    },
    async (req) => {
      await access(req, req.params.id, 'read:channel-settings');
      const actor = requireActor(req);
      return loadSettings(
        req.params.id,
        actor.memberId === req.params.id || hasRole(actor, 'admin'),
      );
    },
  );

  app.put(
    '/members/:id/channel-settings',
    {
      schema: {
        tags: ['channels'],
        summary:
          'Set the preference order, consent per channel and contact addresses (the member, or an admin); null removes an address',
        params: MemberId,
        body: Type.Object(
          {
            preferences: Type.Optional(
              Type.Array(ChannelName, {
                minItems: 1,
                maxItems: allChannels.length,
                uniqueItems: true,
              }),
            ),
            consents: Type.Optional(
              Type.Partial(
                Type.Object(
                  Object.fromEntries(allChannels.map((c) => [c, Type.Boolean()])) as Record<
                    Channel,
                    ReturnType<typeof Type.Boolean>
                  >,
                  { additionalProperties: false },
                ),
                { additionalProperties: false },
              ),
            ),
            contacts: Type.Optional(
              Type.Object(
                {
                  email: Type.Optional(
                    Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
                  ),
                  sms: Type.Optional(
                    Type.Union([
                      Type.String({
                        pattern: '^\\+[1-9][0-9]{6,14}$',
                        description: 'E.164, e.g. +8613800000000',
                      }),
                      Type.Null(),
                    ]),
                  ),
                  wechat: Type.Optional(
                    Type.Union([
                      Type.String({
                        pattern: '^[A-Za-z0-9_-]{16,64}$',
                        description: "the member's openid for the mini program",
                      }),
                      Type.Null(),
                    ]),
                  ),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ChannelSettings },
      },
    },
    async (req) => {
      requireSelfOrAdmin(req, req.params.id);
      await access(req, req.params.id, 'write:channel-settings');
      const now = clock.now().toISOString();
      const { preferences, consents, contacts } = req.body;
      await db.transaction(async (tx) => {
        if (preferences)
          await tx.query(`UPDATE members SET channel_preferences = $2::text[] WHERE id = $1`, [
            req.params.id,
            preferences,
          ]);
        if (consents)
          await tx.query(
            `UPDATE members SET consents = jsonb_set(consents, '{channels}', coalesce(consents->'channels', '{}'::jsonb) || $2::jsonb) WHERE id = $1`,
            [req.params.id, JSON.stringify(consents)],
          );
        for (const [channel, address] of Object.entries(contacts ?? {})) {
          if (address === undefined) continue;
          if (address === null)
            await tx.query(`DELETE FROM member_contacts WHERE member_id = $1 AND channel = $2`, [
              req.params.id,
              channel,
            ]);
          else
            await tx.query(
              `INSERT INTO member_contacts (member_id, channel, address, updated_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (member_id, channel) DO UPDATE SET address = EXCLUDED.address, updated_at = EXCLUDED.updated_at`,
              [req.params.id, channel, address, now],
            );
        }
      });
      return loadSettings(req.params.id, true);
    },
  );

  app.get(
    '/push/vapid-public-key',
    {
      schema: {
        tags: ['channels'],
        summary:
          "The VAPID public key for the browser's pushManager.subscribe (applicationServerKey)",
        security: [],
        response: { 200: Type.Object({ publicKey: Type.String() }) },
      },
    },
    async () => {
      const wp = channels.config.webPush;
      if (!wp) throw notFound('Web Push is not configured on this server');
      return { publicKey: wp.publicKey };
    },
  );

  const PushSubscriptionBody = Type.Object(
    {
      endpoint: Type.String({ minLength: 1, maxLength: 2048 }),
      expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
      keys: Type.Object(
        { p256dh: Type.String({ maxLength: 200 }), auth: Type.String({ maxLength: 100 }) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );

  app.post(
    '/members/:id/push-subscriptions',
    {
      schema: {
        tags: ['channels'],
        summary:
          "Store this browser's Web Push subscription (the JSON of PushSubscription) for the member",
        params: MemberId,
        body: PushSubscriptionBody,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (req, reply) => {
      requireSelfOrAdmin(req, req.params.id);
      await access(req, req.params.id, 'write:push-subscription');
      const wp = channels.config.webPush;
      if (!wp) throw new HttpProblem(409, 'Conflict', 'Web Push is not configured on this server');
      const { endpoint, keys } = req.body;
      const issues: { path: string; message: string }[] = [];
      let url: URL | null = null;
      try {
        url = new URL(endpoint);
      } catch {
        issues.push({ path: 'body.endpoint', message: 'not a URL' });
      }
      if (url && url.protocol !== 'https:' && !(wp.allowHttpEndpoints && url.protocol === 'http:'))
        issues.push({ path: 'body.endpoint', message: 'a push service endpoint must be https://' });
      if (url && (url.username || url.password))
        issues.push({ path: 'body.endpoint', message: 'must not carry credentials' });
      if (!decodesTo(keys.p256dh, 65) || Buffer.from(keys.p256dh, 'base64url')[0] !== 4)
        issues.push({
          path: 'body.keys.p256dh',
          message: 'expected an uncompressed P-256 public key, base64url (65 bytes)',
        });
      if (!decodesTo(keys.auth, 16))
        issues.push({ path: 'body.keys.auth', message: 'expected a 16-byte secret, base64url' });
      if (issues.length > 0) throw badRequest('the push subscription is invalid', issues);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO push_subscriptions (member_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (endpoint) DO UPDATE SET member_id = EXCLUDED.member_id, p256dh = EXCLUDED.p256dh,
           auth = EXCLUDED.auth, created_at = EXCLUDED.created_at
         RETURNING id::text AS id`,
        [req.params.id, endpoint, keys.p256dh, keys.auth, clock.now().toISOString()],
      );
      return reply.status(201).send({ id: rows[0]!.id });
    },
  );

  app.delete(
    '/members/:id/push-subscriptions',
    {
      schema: {
        tags: ['channels'],
        summary:
          "Remove a browser's push subscription (on sign-out or when the member turns push off)",
        params: MemberId,
        body: Type.Object({ endpoint: Type.String({ minLength: 1, maxLength: 2048 }) }),
      },
    },
    async (req, reply) => {
      requireSelfOrAdmin(req, req.params.id);
      await access(req, req.params.id, 'write:push-subscription');
      await db.query(`DELETE FROM push_subscriptions WHERE member_id = $1 AND endpoint = $2`, [
        req.params.id,
        req.body.endpoint,
      ]);
      return reply.status(204).send();
    },
  );

  app.get(
    '/members/:id/messages/:messageId/deliveries',
    {
      schema: {
        tags: ['channels'],
        summary: 'How a message went out: its deliveries per channel and every attempt',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          messageId: Type.String({ pattern: '^[0-9]+$' }),
        }),
        response: {
          200: Type.Object({
            deliveries: Type.Array(
              Type.Intersect([
                DeliveryView,
                Type.Object({
                  attemptLog: Type.Array(
                    Type.Object({
                      attempt: Type.Integer(),
                      outcome: Type.String(),
                      error: Type.Union([Type.String(), Type.Null()]),
                      providerId: Type.Union([Type.String(), Type.Null()]),
                      startedAt: Type.String(),
                      finishedAt: Type.String(),
                    }),
                  ),
                }),
              ]),
            ),
          }),
        },
      },
    },
    async (req) => {
      await access(req, req.params.id, 'read:deliveries');
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${deliveryColumns} FROM message_deliveries d WHERE d.member_id = $1 AND d.message_id = $2 ORDER BY d.id`,
        [req.params.id, req.params.messageId],
      );
      const attempts = await db.query<{
        delivery_id: string;
        attempt: number;
        outcome: string;
        error: string | null;
        provider_id: string | null;
        started_at: Date;
        finished_at: Date;
      }>(
        `SELECT delivery_id::text AS delivery_id, attempt, outcome, error, provider_id, started_at, finished_at
           FROM delivery_attempts WHERE member_id = $1 AND delivery_id = ANY($2::bigint[]) ORDER BY id`,
        [req.params.id, rows.map((r) => r.id)],
      );
      return {
        deliveries: rows.map((r) => ({
          ...toDeliveryView(r),
          attemptLog: attempts.rows
            .filter((a) => a.delivery_id === r.id)
            .map((a) => ({
              attempt: a.attempt,
              outcome: a.outcome,
              error: a.error,
              providerId: a.provider_id,
              startedAt: iso(a.started_at),
              finishedAt: iso(a.finished_at),
            })),
        })),
      };
    },
  );

  app.get(
    '/ops/dead-letters',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Deliveries that ran out of attempts or failed for good, newest first (operators, admins); no message text or addresses',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          channel: Type.Optional(ChannelName),
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            deadLetters: Type.Array(
              Type.Intersect([DeliveryView, Type.Object({ purpose: Type.String() })]),
            ),
          }),
        },
      },
    },
    async (req) => {
      requireRole(req, 'operator', 'admin');
      return listDeadLetters(db, { limit: req.query.limit, channel: req.query.channel });
    },
  );

  app.post(
    '/ops/dead-letters/:deliveryId/redrive',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Queue a dead letter again with a fresh attempt budget, optionally on another channel (operators, admins)',
        params: Type.Object({ deliveryId: Type.String({ pattern: '^[0-9]+$' }) }),
        body: Type.Optional(
          Type.Object({ channel: Type.Optional(ChannelName) }, { additionalProperties: false }),
        ),
        response: { 200: DeliveryView },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'operator', 'admin');
      const now = clock.now();
      const r = await redriveDelivery(db, {
        deliveryId: req.params.deliveryId,
        channel: req.body?.channel,
        by: actor.username,
        now,
      });
      if (!r.ok)
        throw new HttpProblem(r.status, r.status === 404 ? 'Not Found' : 'Conflict', r.detail);
      await audit(
        db,
        {
          actor,
          memberId: r.delivery.memberId,
          action: 'redrive:delivery',
          requestId: req.id,
          now,
        },
        'permitted',
        `delivery ${r.delivery.id} re-driven on ${r.delivery.channel}`,
      );
      return r.delivery; // the commit notification wakes the sender
    },
  );

  app.get(
    '/ops/channels',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Channels this server offers, their rate limits, the outbox by status, open streams',
      },
    },
    async (req) => {
      requireRole(req, 'operator', 'admin');
      const { rows } = await db.query<{ channel: string; status: string; n: number }>(
        `SELECT channel, status, count(*)::int AS n FROM message_deliveries GROUP BY channel, status ORDER BY channel, status`,
      );
      return {
        configured: ['in-app', ...channels.configured],
        rateLimits: channels.config.rateLimits,
        maxAttempts: channels.config.maxAttempts,
        outbox: rows,
        openStreams: channels.notices.inboxSubscribers,
      };
    },
  );

  app.post(
    '/ops/channels/tick',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Send what is due on the outside channels now (admins; the sender also runs on its own)',
        response: { 200: SendCountsView },
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return channels.runOnce(clock.now());
    },
  );

  // Receipts are verified over the raw bytes, so this scope keeps JSON bodies as strings.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/channels/:channel/receipts',
      {
        schema: {
          tags: ['channels'],
          summary:
            'Delivery receipt from the SMS or WeChat gateway, signed like our webhooks with the gateway token: { providerId, status: delivered | failed, error? }',
          security: [],
          params: Type.Object({
            channel: Type.Union([Type.Literal('sms'), Type.Literal('wechat')]),
          }),
          response: { 200: DeliveryView },
        },
      },
      async (req) => {
        const { channel } = req.params as { channel: 'sms' | 'wechat' };
        const gateway = channels.config[channel];
        if (!gateway) throw notFound(`${channel} is not configured on this server`);
        const raw = typeof req.body === 'string' ? req.body : '';
        const header = (name: string) => {
          const v = req.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        const verified = verifyWebhookSignature({
          secret: gateway.token.reveal(),
          timestamp: header(timestampHeader),
          signature: header(signatureHeader),
          body: raw,
          now: clock.now(),
        });
        if (!verified.ok)
          throw new HttpProblem(401, 'Unauthorized', `receipt signature: ${verified.reason}`);
        let parsed: { providerId?: unknown; status?: unknown; error?: unknown };
        try {
          parsed = JSON.parse(raw) as typeof parsed;
        } catch {
          throw badRequest('body is not valid JSON');
        }
        const issues: { path: string; message: string }[] = [];
        if (typeof parsed.providerId !== 'string' || parsed.providerId === '')
          issues.push({ path: 'body.providerId', message: 'expected a non-empty string' });
        if (parsed.status !== 'delivered' && parsed.status !== 'failed')
          issues.push({ path: 'body.status', message: "expected 'delivered' or 'failed'" });
        if (parsed.error !== undefined && typeof parsed.error !== 'string')
          issues.push({ path: 'body.error', message: 'expected a string' });
        if (issues.length > 0) throw badRequest('the receipt is invalid', issues);
        const r = await applyReceipt(db, {
          channel,
          providerId: parsed.providerId as string,
          status: parsed.status as 'delivered' | 'failed',
          error: parsed.error as string | undefined,
          now: clock.now(),
        });
        if (!r.ok)
          throw new HttpProblem(r.status, r.status === 404 ? 'Not Found' : 'Conflict', r.detail);
        return r.delivery;
      },
    );
  });
};
