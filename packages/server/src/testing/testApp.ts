import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '@careloop/core';
import { ManualClock } from '../clock.ts';
import { CareEngine } from '../care/careEngine.ts';
import { ProgramRegistry } from '../care/programRegistry.ts';
import { buildApp } from '../http/app.ts';
import { hashPassword } from '../auth/passwords.ts';
import { openTestDb, type TestDb } from './testDb.ts';

export const programsDir = resolve(fileURLToPath(import.meta.url), '../../../../../programs');

export interface TestApp extends TestDb {
  app: FastifyInstance;
  clock: ManualClock;
  care: CareEngine;
  /** Creates a user directly (test set-up) and returns a bearer token for it. */
  user(
    username: string,
    roles: Role[],
    memberId?: string | null,
  ): Promise<{ id: string; token: string; password: string }>;
  /** An HTTP call through the real router, with a bearer token. */
  call(
    token: string | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function openTestApp(
  opts: { now?: string; programsDir?: string } = {},
): Promise<TestApp> {
  const t = await openTestDb();
  const clock = new ManualClock(opts.now ?? '2026-03-10T02:00:00Z');
  const registry = new ProgramRegistry();
  const loaded = registry.loadDirectory(opts.programsDir ?? programsDir);
  if (loaded.issues.length > 0)
    throw new Error(`programs failed to load: ${JSON.stringify(loaded.issues)}`);
  // Seeded randomness for experiment splits: reproducible tests.
  let s = 42;
  const care = new CareEngine({
    registry,
    random: () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646,
  });
  const app = await buildApp({
    db: t.db,
    clock,
    care,
    sessionTtlHours: 12,
    secureCookies: false,
    logger: process.env.CARELOOP_TEST_LOG ? { level: 'error' } : false,
  });
  const { createHash } = await import('node:crypto');
  return {
    ...t,
    app,
    clock,
    care,
    async user(username, roles, memberId = null) {
      const password = randomBytes(9).toString('base64url');
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO users (username, password_hash, display_name, roles, member_id) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`,
        [username, await hashPassword(password), username, roles, memberId],
      );
      const id = rows[0]!.id;
      const token = `clt_test_${randomBytes(16).toString('hex')}`;
      await t.db.query(
        `INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, 'test', now())`,
        [createHash('sha256').update(token).digest('hex'), id],
      );
      return { id, token, password };
    },
    call(token, method, url, body, headers = {}) {
      return app.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body !== undefined
          ? typeof body === 'string'
            ? { payload: body }
            : { payload: body as object }
          : {}),
      });
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
