import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../guards.ts';
import { reloadPrograms } from '../../care/programRegistry.ts';
import { authorizeMember } from '../../auth/access.ts';
import { createEnrollment } from '@careloop/core';
import { badRequest, notFound } from '../problem.ts';

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
        programs: care.registry.latest().map((p) => ({
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

  app.post(
    '/programs/reload',
    {
      schema: {
        tags: ['programs'],
        summary:
          'Re-read the programs folder; an invalid file is reported with file:line and its program keeps its last valid version',
      },
    },
    async (req) => {
      requireRole(req, 'operator', 'admin');
      const r = reloadPrograms(care.registry);
      return { loaded: r.loaded, kept: r.kept, issues: r.issues };
    },
  );

  app.post(
    '/members/:id/enrollments',
    {
      schema: {
        tags: ['programs'],
        summary:
          'Enrol a member in a program by hand (care team or operator), whatever its entry criteria say',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { programId: Type.String({ minLength: 1 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      requireRole(req, 'manager', 'doctor', 'admin');
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.params.id,
        action: 'write:enrollment',
        requestId: req.id,
        now: clock.now(),
      });
      const program = care.registry.get(req.body.programId);
      if (!program)
        throw badRequest(`no program '${req.body.programId}'`, [
          { path: 'body.programId', message: 'unknown program' },
        ]);
      const now = clock.now();
      const state = createEnrollment(program, now);
      const { rowCount } = await db.query(
        `INSERT INTO program_enrollments (member_id, program_id, program_version, status, state, enrolled_at)
         VALUES ($1, $2, $3, 'active', $4, $5)
         ON CONFLICT (member_id, program_id) DO UPDATE SET status = 'active', program_version = EXCLUDED.program_version,
           state = EXCLUDED.state, enrolled_at = EXCLUDED.enrolled_at, exited_at = NULL, exit_reason = NULL
         WHERE program_enrollments.status <> 'active'`,
        [req.params.id, program.id, program.version, JSON.stringify(state), now.toISOString()],
      );
      return reply.status(rowCount > 0 ? 201 : 200).send({
        memberId: req.params.id,
        programId: program.id,
        version: program.version,
        status: 'active',
      });
    },
  );

  app.post(
    '/members/:id/enrollments/:programId/exit',
    {
      schema: {
        tags: ['programs'],
        summary: "End a member's enrolment (care team or operator), with a reason",
        params: Type.Object({ id: Type.String({ format: 'uuid' }), programId: Type.String() }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      requireRole(req, 'manager', 'doctor', 'admin');
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.params.id,
        action: 'write:enrollment',
        requestId: req.id,
        now: clock.now(),
      });
      const now = clock.now();
      const { rowCount } = await db.query(
        `UPDATE program_enrollments SET status = 'exited', exited_at = $3, exit_reason = $4,
            state = jsonb_set(jsonb_set(state, '{status}', '"exited"'), '{exitReason}', to_jsonb($4::text))
          WHERE member_id = $1 AND program_id = $2 AND status = 'active'`,
        [req.params.id, req.params.programId, now.toISOString(), req.body.reason],
      );
      if (rowCount === 0) throw notFound(`no active enrolment in '${req.params.programId}'`);
      await db.query(
        `UPDATE timers SET status = 'cancelled' WHERE member_id = $1 AND program_id = $2 AND status = 'pending'`,
        [req.params.id, req.params.programId],
      );
      return { memberId: req.params.id, programId: req.params.programId, status: 'exited' };
    },
  );

  app.get(
    '/members/:id/enrollments',
    {
      schema: {
        tags: ['programs'],
        summary: "A member's program enrolments",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (req) => {
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.params.id,
        action: 'read:enrollments',
        requestId: req.id,
        now: clock.now(),
      });
      const { rows } = await db.query<{
        program_id: string;
        program_version: string;
        status: string;
        enrolled_at: Date;
        exited_at: Date | null;
        exit_reason: string | null;
      }>(
        `SELECT program_id, program_version, status, enrolled_at, exited_at, exit_reason FROM program_enrollments WHERE member_id = $1 ORDER BY enrolled_at`,
        [req.params.id],
      );
      return {
        enrollments: rows.map((r) => ({
          programId: r.program_id,
          version: r.program_version,
          status: r.status,
          enrolledAt: new Date(r.enrolled_at).toISOString(),
          exitedAt: r.exited_at ? new Date(r.exited_at).toISOString() : null,
          exitReason: r.exit_reason,
        })),
      };
    },
  );
};
