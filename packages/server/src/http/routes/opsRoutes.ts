import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../guards.ts';

export const opsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock, care } = app.deps;

  app.get(
    '/healthz',
    { schema: { tags: ['ops'], summary: 'Liveness: the process answers', security: [] } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: the database answers and is migrated',
        security: [],
      },
    },
    async (_req, reply) => {
      try {
        const { rows } = await db.query<{ v: number }>(
          'SELECT max(version)::int AS v FROM schema_migrations',
        );
        return {
          status: 'ready',
          schemaVersion: rows[0]?.v ?? 0,
          programs: care.registry.latest().map((p) => p.key),
        };
      } catch (err) {
        return reply
          .status(503)
          .type('application/problem+json')
          .send({
            type: 'about:blank',
            title: 'Service Unavailable',
            status: 503,
            detail: `database: ${(err as Error).message}`,
          });
      }
    },
  );

  app.post(
    '/ops/tick',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Run the scheduler and dispatcher once now (admins; the workers also run on their own)',
        response: {
          200: Type.Object({
            timersFired: Type.Integer(),
            delivered: Type.Integer(),
            deferred: Type.Integer(),
            suppressed: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const now = clock.now();
      const timersFired = await care.runDueTimers(db, now);
      const d = await care.dispatchDue(db, now);
      return { timersFired, ...d };
    },
  );

  app.get(
    '/programs',
    { schema: { tags: ['programs'], summary: 'The loaded care programs' } },
    async (req) => {
      requireRole(req, 'operator', 'admin', 'manager', 'doctor');
      return {
        programs: care.registry
          .latest()
          .map((p) => ({
            id: p.id,
            version: p.version,
            category: p.category,
            title: p.title,
            description: p.description,
            paused: care.registry.isPaused(p.id),
          })),
      };
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/programs/:id/${action}`,
      {
        schema: {
          tags: ['programs'],
          summary: `${action} a program (operators)`,
          params: Type.Object({ id: Type.String() }),
        },
      },
      async (req, reply) => {
        requireRole(req, 'operator', 'admin');
        if (!care.registry.get(req.params.id))
          return reply
            .status(404)
            .type('application/problem+json')
            .send({ title: 'Not Found', status: 404, detail: `no program '${req.params.id}'` });
        care.registry.setPaused(req.params.id, action === 'pause');
        return { id: req.params.id, paused: action === 'pause' };
      },
    );
  }
};
