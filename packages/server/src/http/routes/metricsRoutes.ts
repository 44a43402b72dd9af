import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../guards.ts';
import { badRequest } from '../problem.ts';
import { engagementMetrics } from '../../storage/engagementMetrics.ts';

const Retention = Type.Object({
  day: Type.Integer(),
  eligible: Type.Integer({ description: 'cohort members whose day N has passed' }),
  retained: Type.Integer({ description: 'of those, active on day N' }),
  rate: Type.Union([Type.Number(), Type.Null()]),
});

export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;
  app.get(
    '/metrics/engagement',
    {
      schema: {
        tags: ['metrics'],
        summary:
          'Messages sent / opened / clicked / acted in a window, and D1/D7/D30 retention of a sign-up cohort',
        description:
          'Day-N retention (classic): a cohort member counts as retained when they were active (opened the app, opened or acted on a message, sent a reading, completed a task) during the 24 h starting N days after sign-up.',
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          cohortFrom: Type.Optional(Type.String({ format: 'date-time' })),
          cohortTo: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            window: Type.Object({ from: Type.String(), to: Type.String() }),
            messages: Type.Object({
              sent: Type.Integer(),
              opened: Type.Integer(),
              clicked: Type.Integer(),
              acted: Type.Integer(),
              deferred: Type.Integer(),
              suppressed: Type.Integer(),
            }),
            cohort: Type.Object({ from: Type.String(), to: Type.String(), size: Type.Integer() }),
            retention: Type.Array(Retention),
          }),
        },
      },
    },
    async (req) => {
      requireRole(req, 'operator', 'admin', 'manager');
      const now = clock.now();
      const to = req.query.to ? new Date(req.query.to) : now;
      const from = req.query.from
        ? new Date(req.query.from)
        : new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to)
        throw badRequest('from must be before to', [
          { path: 'querystring.from', message: 'must be before to' },
        ]);
      const cohortTo = req.query.cohortTo ? new Date(req.query.cohortTo) : to;
      const cohortFrom = req.query.cohortFrom ? new Date(req.query.cohortFrom) : from;
      if (cohortFrom >= cohortTo)
        throw badRequest('cohortFrom must be before cohortTo', [
          { path: 'querystring.cohortFrom', message: 'must be before cohortTo' },
        ]);
      return engagementMetrics(db, { from, to, cohortFrom, cohortTo, now });
    },
  );

  app.get(
    '/metrics/segments',
    {
      schema: {
        tags: ['metrics'],
        summary:
          'How many members carry each tag, stage and segment (aggregates only, for operators)',
        querystring: Type.Object({
          prefix: Type.Optional(
            Type.String({
              pattern: '^[a-z_]+\\.?$',
              description: "fact family, e.g. 'tag.', 'segment.', 'stage'",
            }),
          ),
        }),
        response: {
          200: Type.Object({
            members: Type.Integer(),
            facts: Type.Array(
              Type.Object({ key: Type.String(), value: Type.Unknown(), members: Type.Integer() }),
            ),
          }),
        },
      },
    },
    async (req) => {
      requireRole(req, 'operator', 'admin', 'manager');
      const prefix = req.query.prefix ?? null;
      const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM members');
      const { rows } = await db.query<{ key: string; value: unknown; members: number }>(
        `SELECT key, value, count(*)::int AS members FROM profile_facts
          WHERE (key LIKE 'tag.%' OR key LIKE 'segment.%' OR key = 'stage' OR key LIKE '%.class' OR key LIKE '%.category')
            AND ($1::text IS NULL OR key LIKE $1 || '%')
          GROUP BY key, value ORDER BY key, members DESC`,
        [prefix],
      );
      return { members: total.rows[0]?.n ?? 0, facts: rows };
    },
  );

  app.get(
    '/metrics/deliveries',
    {
      schema: {
        tags: ['metrics'],
        summary:
          'The contact ledger in aggregate: messages by state, and every deferral and suppression by reason, program and priority',
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            window: Type.Object({ from: Type.String(), to: Type.String() }),
            rows: Type.Array(
              Type.Object({
                state: Type.String(),
                reason: Type.Union([Type.String(), Type.Null()]),
                programId: Type.Union([Type.String(), Type.Null()]),
                priority: Type.String(),
                messages: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      requireRole(req, 'operator', 'admin');
      const now = clock.now();
      const to = req.query.to ? new Date(req.query.to) : now;
      const from = req.query.from
        ? new Date(req.query.from)
        : new Date(to.getTime() - 7 * 86_400_000);
      if (from >= to)
        throw badRequest('from must be before to', [
          { path: 'querystring.from', message: 'must be before to' },
        ]);
      const { rows } = await db.query<{
        state: string;
        reason: string | null;
        program_id: string | null;
        priority: string;
        messages: number;
      }>(
        `SELECT state, reason, program_id, priority, count(*)::int AS messages FROM messages
          WHERE created_at >= $1 AND created_at <= $2
          GROUP BY state, reason, program_id, priority ORDER BY messages DESC`,
        [from.toISOString(), to.toISOString()],
      );
      return {
        window: { from: from.toISOString(), to: to.toISOString() },
        rows: rows.map((r) => ({
          state: r.state,
          reason: r.reason,
          programId: r.program_id,
          priority: r.priority,
          messages: r.messages,
        })),
      };
    },
  );
};
