import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  indicatorForLoinc,
  operationOutcome,
  parseFhirBundle,
  searchsetBundle,
  toFhirObservation,
  toFhirPatient,
  transactionResponse,
  type ValidationIssue,
} from '@careloop/core';
import { authorizeMember } from '../../auth/access.ts';
import { ingestItems, type ItemOutcome } from '../../ingest/ingestItems.ts';
import {
  memberColumns,
  observationColumns,
  toStoredObservation,
  type MemberRow,
  type ObservationRow,
} from '../../storage/rows.ts';
import { requireRole } from '../guards.ts';

const fhirJson = 'application/fhir+json';

/** `ge2024-01-01` → ['>=', '2024-01-01']; FHIR date search prefixes. */
const datePrefixes: Record<string, string> = { eq: '=', ge: '>=', gt: '>', le: '<=', lt: '<' };

export const fhirRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock, care } = app.deps;

  const outcome = (
    status: number,
    issues: ValidationIssue[],
    code: Parameters<typeof operationOutcome>[1] = 'invalid',
  ) => ({ status, body: operationOutcome(issues, code) }) as const;

  app.post(
    '/fhir',
    {
      schema: {
        tags: ['fhir'],
        summary:
          'FHIR R4 transaction or batch Bundle: Patient, Observation (BP panels too), Condition, MedicationRequest/Statement',
        description:
          'A transaction is all-or-nothing: any invalid entry rejects the whole bundle (400 OperationOutcome naming each entry). A batch stores every valid entry and answers per entry. Re-sending the same bundle adds nothing (200 OK per entry).',
        body: Type.Unknown(),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const parsed = parseFhirBundle(req.body);
      if (parsed.bundleIssues.length > 0) {
        const o = outcome(400, parsed.bundleIssues, 'structure');
        return reply.status(o.status).type(fhirJson).send(o.body);
      }
      if (parsed.bundleType !== 'transaction' && parsed.bundleType !== 'batch') {
        const o = outcome(400, [
          {
            path: 'Bundle.type',
            message: `expected 'transaction' or 'batch', got '${parsed.bundleType}'`,
          },
        ]);
        return reply.status(o.status).type(fhirJson).send(o.body);
      }
      const atomic = parsed.bundleType === 'transaction';
      const perEntry = new Map<number, ItemOutcome[]>();
      const issuesPerEntry = new Map<number, ValidationIssue[]>();
      const entryIndex = (ref: string): number => Number(/^entry\[(\d+)\]/.exec(ref)?.[1] ?? -1);
      const report = await ingestItems({ db, clock, care }, parsed.items, {
        atomic,
        onItem: (ref, o) => {
          const i = entryIndex(ref);
          const list = perEntry.get(i) ?? [];
          list.push(o);
          perEntry.set(i, list);
        },
      });
      for (const r of report.rejected) {
        const i = entryIndex(r.ref);
        issuesPerEntry.set(i, [
          ...(issuesPerEntry.get(i) ?? []),
          ...r.issues.map((x) => ({
            ...x,
            path: x.path.startsWith('entry[') ? x.path : `${r.ref}.${x.path}`,
          })),
        ]);
      }
      if (atomic && report.rolledBack) {
        const issues = [...issuesPerEntry.values()].flat();
        const o = outcome(400, issues);
        return reply.status(o.status).type(fhirJson).send(o.body);
      }
      const entries = Array.isArray((req.body as { entry?: unknown[] }).entry)
        ? (req.body as { entry: unknown[] }).entry
        : [];
      const results = entries.map((_e, i) => {
        const outcomes = perEntry.get(i) ?? [];
        if (outcomes.includes('rejected'))
          return {
            status: '400 Bad Request',
            outcome: operationOutcome(issuesPerEntry.get(i) ?? []),
          };
        if (outcomes.includes('created')) return { status: '201 Created' };
        if (outcomes.includes('duplicate')) return { status: '200 OK' };
        return {
          status: '200 OK',
          outcome: operationOutcome(
            [
              {
                path: `entry[${i}]`,
                message: 'not stored: a resource type or value CareLoop does not keep',
              },
            ],
            'not-supported',
          ),
        };
      });
      const body = transactionResponse(results, atomic ? 'transaction-response' : 'batch-response');
      return reply
        .status(200)
        .type(fhirJson)
        .header(
          'x-careloop-summary',
          JSON.stringify({
            accepted: report.accepted,
            duplicates: report.duplicates,
            rejected: report.rejected.length,
            skipped: report.skipped.count,
          }),
        )
        .send(body);
    },
  );

  app.get(
    '/fhir/Patient/:id',
    {
      schema: {
        tags: ['fhir'],
        summary: 'A member as a FHIR Patient',
        params: Type.Object({ id: Type.String() }),
      },
    },
    async (req, reply) => {
      const { rows } = await db.query<MemberRow>(
        `SELECT ${memberColumns()} FROM members WHERE id::text = $1 OR external_ref = $1`,
        [req.params.id],
      );
      const m = rows[0];
      await authorizeMember(db, {
        actor: req.actor,
        memberId: m?.id ?? req.params.id,
        action: 'read:fhir-patient',
        requestId: req.id,
        now: clock.now(),
      });
      if (!m) {
        return reply
          .status(404)
          .type(fhirJson)
          .send(
            operationOutcome(
              [{ path: 'id', message: `no Patient '${req.params.id}'` }],
              'not-found',
            ),
          );
      }
      return reply.type(fhirJson).send(
        toFhirPatient({
          id: m.id,
          externalRef: m.external_ref,
          name: m.name,
          gender: m.gender,
          birthDate: m.birth_date ? String(m.birth_date) : null,
        }),
      );
    },
  );

  app.get(
    '/fhir/Observation',
    {
      schema: {
        tags: ['fhir'],
        summary:
          "Search a member's Observations: subject (required), code, date (repeatable, prefixes ge/gt/le/lt/eq), _count, _offset",
        querystring: Type.Object({
          subject: Type.String({ minLength: 1 }),
          code: Type.Optional(Type.String()),
          date: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
          _count: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          _offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const subjectRef = q.subject.replace(/^Patient\//, '');
      const { rows: members } = await db.query<{ id: string }>(
        `SELECT id::text AS id FROM members WHERE id::text = $1 OR external_ref = $1`,
        [subjectRef],
      );
      const memberId = members[0]?.id ?? subjectRef;
      await authorizeMember(db, {
        actor: req.actor,
        memberId,
        action: 'read:fhir-observation',
        requestId: req.id,
        now: clock.now(),
      });
      const where = ['member_id = $1'];
      const params: unknown[] = [memberId];
      const issues: ValidationIssue[] = [];
      if (q.code) {
        const codes = q.code.split(',').map((c) => c.replace(/^http:\/\/loinc\.org\|/, ''));
        // A code that names an indicator finds its mass and molar variants too.
        const expanded = new Set(codes.flatMap((c) => indicatorForLoinc(c)?.loinc ?? [c]));
        params.push([...expanded]);
        where.push(`code = ANY($${params.length}::text[])`);
      }
      for (const d of q.date === undefined ? [] : Array.isArray(q.date) ? q.date : [q.date]) {
        const m =
          /^(eq|ge|gt|le|lt)?(\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?)$/.exec(d);
        if (!m || Number.isNaN(Date.parse(m[2]!))) {
          issues.push({
            path: 'date',
            message: `'${d}' is not a FHIR date search value (e.g. ge2024-01-01)`,
          });
          continue;
        }
        params.push(new Date(m[2]!).toISOString());
        where.push(
          `effective_at ${datePrefixes[m[1] ?? 'eq'] === '=' ? '>=' : datePrefixes[m[1] ?? 'eq']} $${params.length}::timestamptz`,
        );
      }
      if (issues.length > 0) return reply.status(400).type(fhirJson).send(operationOutcome(issues));
      const total = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM observations WHERE ${where.join(' AND ')}`,
        params,
      );
      params.push(q._count, q._offset);
      const { rows } = await db.query<ObservationRow>(
        `SELECT ${observationColumns} FROM observations WHERE ${where.join(' AND ')} ORDER BY effective_at, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      const n = total.rows[0]?.n ?? 0;
      const base = `${req.protocol}://${req.host}/fhir/Observation`;
      const link = (offset: number) => {
        const u = new URLSearchParams();
        u.set('subject', q.subject);
        if (q.code) u.set('code', q.code);
        for (const d of q.date === undefined ? [] : Array.isArray(q.date) ? q.date : [q.date])
          u.append('date', d);
        u.set('_count', String(q._count));
        u.set('_offset', String(offset));
        return `${base}?${u.toString()}`;
      };
      const bundle = searchsetBundle(
        rows.map((r) => toFhirObservation(toStoredObservation(r), memberId)),
        n,
        {
          self: link(q._offset),
          ...(q._offset + q._count < n ? { next: link(q._offset + q._count) } : {}),
          ...(q._offset > 0 ? { previous: link(Math.max(0, q._offset - q._count)) } : {}),
        },
      );
      return reply.type(fhirJson).send(bundle);
    },
  );
};
