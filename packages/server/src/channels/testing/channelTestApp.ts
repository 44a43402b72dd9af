import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '@careloop/core';
import { ManualClock } from '../../clock.ts';
import { CareEngine } from '../../care/careEngine.ts';
import { ProgramRegistry } from '../../care/programRegistry.ts';
import { buildApp } from '../../http/app.ts';
import type { ChannelDeps } from '../../http/routes/channelRoutes.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { openTestDb, type TestDb } from '../../testing/testDb.ts';
import { defaultChannelConfig, type ChannelConfig } from '../channelConfig.ts';
import { ChannelService } from '../channelService.ts';
import type { ChannelAdapter } from '../ChannelAdapter.ts';

export interface ChannelTestApp extends TestDb {
  app: FastifyInstance;
  clock: ManualClock;
  channels: ChannelService;
  user(username: string, roles: Role[], memberId?: string | null): Promise<{ token: string }>;
  member(name: string, opts?: { timeZone?: string; locale?: 'zh-CN' | 'en' }): Promise<string>;
  call(
    token: string | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
}

/**
 * The real app on a fresh database with a ChannelService the test configures (no programs are
 * loaded: the tests write messages themselves). Quiet hours are off for every member it creates,
 * so a send is never deferred by the clock.
 */
export async function openChannelTestApp(
  opts: {
    now?: string;
    config?: Partial<ChannelConfig>;
    adapters?: readonly ChannelAdapter[];
    random?: () => number;
    wakeOnNotify?: boolean;
  } = {},
): Promise<ChannelTestApp> {
  const t = await openTestDb();
  const clock = new ManualClock(opts.now ?? '2026-03-10T02:00:00Z');
  const care = new CareEngine({ registry: new ProgramRegistry() });
  const config: ChannelConfig = { ...defaultChannelConfig(), pollMs: 0, ...opts.config };
  const channels = new ChannelService({
    db: t.db,
    clock,
    config,
    ...(opts.adapters ? { adapters: opts.adapters } : {}),
    random: opts.random ?? (() => 0.5),
    wakeOnNotify: opts.wakeOnNotify ?? false,
  });
  const deps: ChannelDeps = {
    db: t.db,
    clock,
    care,
    sessionTtlHours: 12,
    secureCookies: false,
    logger: false,
    channels,
  };
  const app = await buildApp(deps);
  let n = 0;
  return {
    ...t,
    app,
    clock,
    channels,
    async user(username, roles, memberId = null) {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO users (username, password_hash, display_name, roles, member_id) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`,
        [username, await hashPassword(randomBytes(9).toString('hex')), username, roles, memberId],
      );
      const token = `clt_test_${randomBytes(16).toString('hex')}`;
      await t.db.query(
        `INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, 'test', now())`,
        [createHash('sha256').update(token).digest('hex'), rows[0]!.id],
      );
      return { token };
    },
    async member(name, o = {}) {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO members (external_ref, name, gender, time_zone, locale, quiet_hours)
         VALUES ($1, $2, 'female', $3, $4, '{"start": "00:00", "end": "00:00"}') RETURNING id::text AS id`,
        [
          `ext-${++n}-${randomBytes(3).toString('hex')}`,
          name,
          o.timeZone ?? 'Asia/Shanghai',
          o.locale ?? 'zh-CN',
        ],
      );
      return rows[0]!.id;
    },
    call(token, method, url, body) {
      return app.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body !== undefined ? { payload: body as object } : {}),
      });
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
