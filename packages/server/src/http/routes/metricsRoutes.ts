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
};
