import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { verifyPassword } from '../../auth/passwords.ts';
import { newToken, tokenHash } from '../../auth/tokens.ts';
import { SESSION_COOKIE } from '../app.ts';
import { requireActor, requireRole } from '../guards.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { badRequest } from '../problem.ts';
import { HttpProblem } from '../problem.ts';

const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  memberId: Type.Union([Type.String(), Type.Null()]),
});

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a password; sets the session cookie',
        security: [],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: User }) },
      },
    },
    async (req, reply) => {
      const { rows } = await db.query<{
        id: string;
        username: string;
        display_name: string;
        roles: string[];
        member_id: string | null;
        password_hash: string;
      }>(
        `SELECT id::text AS id, username, display_name, roles, member_id::text AS member_id, password_hash FROM users WHERE username = $1`,
        [req.body.username],
      );
      const u = rows[0];
      // Same answer for an unknown user and a wrong password: no account enumeration.
      if (!u || !(await verifyPassword(u.password_hash, req.body.password))) {
        throw new HttpProblem(401, 'Unauthorized', 'username or password is wrong');
      }
      const token = newToken('cls');
      const now = clock.now();
      const expires = new Date(now.getTime() + app.deps.sessionTtlHours * 3_600_000);
      await db.query(
        `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
        [tokenHash(token), u.id, now.toISOString(), expires.toISOString()],
      );
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.deps.secureCookies,
        path: '/',
        expires,
      });
      return {
        user: {
          id: u.id,
          username: u.username,
          displayName: u.display_name,
          roles: u.roles,
          memberId: u.member_id,
        },
      };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the session' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who am I',
        response: { 200: Type.Object({ user: User }) },
      },
    },
    async (req) => {
      const a = requireActor(req);
      return {
        user: {
          id: a.userId,
          username: a.username,
          displayName: a.displayName,
          roles: a.roles,
          memberId: a.memberId,
        },
      };
    },
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a bearer API token for the signed-in user (shown once)',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String(), name: Type.String() }) },
      },
    },
    async (req, reply) => {
      const a = requireActor(req);
      const token = newToken('clt');
      await db.query(
        `INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)`,
        [tokenHash(token), a.userId, req.body.name, clock.now().toISOString()],
      );
      return reply.status(201).send({ token, name: req.body.name });
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Create a user (admins): a care-team member, an operator, or a member account linked to a member record',
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
            password: Type.String({ minLength: 12, maxLength: 1000 }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            roles: Type.Array(
              Type.Union([
                Type.Literal('member'),
                Type.Literal('manager'),
                Type.Literal('doctor'),
                Type.Literal('operator'),
                Type.Literal('admin'),
              ]),
              { minItems: 1, uniqueItems: true },
            ),
            memberId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: User },
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const b = req.body;
      if (b.roles.includes('member') !== Boolean(b.memberId)) {
        throw badRequest('a member account needs memberId, and only a member account has one', [
          {
            path: 'body.memberId',
            message: b.memberId ? 'only for the member role' : 'required for the member role',
          },
        ]);
      }
      const exists = await db.query('SELECT 1 FROM users WHERE username = $1', [b.username]);
      if (exists.rows.length > 0)
        throw new HttpProblem(409, 'Conflict', `username '${b.username}' is taken`, [
          { path: 'body.username', message: 'already taken' },
        ]);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO users (username, password_hash, display_name, roles, member_id) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`,
        [b.username, await hashPassword(b.password), b.displayName, b.roles, b.memberId ?? null],
      );
      return reply.status(201).send({
        id: rows[0]!.id,
        username: b.username,
        displayName: b.displayName,
        roles: b.roles,
        memberId: b.memberId ?? null,
      });
    },
  );

  app.post(
    '/members/:id/care-team',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Assign a health manager or doctor to a member (admins); they can then see the member's record",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            userId: Type.String({ format: 'uuid' }),
            role: Type.Union([Type.Literal('manager'), Type.Literal('doctor')]),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const u = await db.query<{ roles: string[] }>('SELECT roles FROM users WHERE id = $1', [
        req.body.userId,
      ]);
      if (!u.rows[0])
        throw badRequest('no such user', [{ path: 'body.userId', message: 'no such user' }]);
      if (!u.rows[0].roles.includes(req.body.role))
        throw badRequest(`the user does not have the role ${req.body.role}`, [
          { path: 'body.role', message: 'the user lacks this role' },
        ]);
      const m = await db.query('SELECT 1 FROM members WHERE id = $1', [req.params.id]);
      if (!m.rows[0]) throw new HttpProblem(404, 'Not Found', `no member '${req.params.id}'`);
      await db.query(
        `INSERT INTO care_assignments (member_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (member_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [req.params.id, req.body.userId, req.body.role],
      );
      return reply.status(204).send();
    },
  );
};
