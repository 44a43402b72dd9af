import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  indicatorById,
  interpretCheckupReport,
  parseCheckupReport,
  type CheckupReport,
  type IngestItemResult,
} from '@careloop/core';
import { authorizeMember } from '../../auth/access.ts';
import { ingestItems } from '../../ingest/ingestItems.ts';
import { badRequest, notFound } from '../problem.ts';

function ageOn(birthDate: string | null, on: Date): number | null {
  if (!birthDate) return null;
  const b = new Date(`${birthDate}T00:00:00Z`);
  let age = on.getUTCFullYear() - b.getUTCFullYear();
  if (
    on.getUTCMonth() < b.getUTCMonth() ||
    (on.getUTCMonth() === b.getUTCMonth() && on.getUTCDate() < b.getUTCDate())
  )
    age--;
  return age;
}

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock, care } = app.deps;

  app.post(
    '/members/:id/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'Interpret a checkup report and add its results to the record',
        description:
          'The report is a FHIR DiagnosticReport (or a Bundle holding one with its Observations), or a checkup centre table as JSON or CSV text (项目名称, 结果, 单位, 参考范围). The answer lists abnormal items with direction and grade, the change since the previous report, a plain-language summary (zh-CN, en) that never states a diagnosis, and recommended follow-ups; mapped results become observations (source: checkup). Sending the same clientId again returns the stored interpretation.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            clientId: Type.String({ minLength: 1, maxLength: 200 }),
            report: Type.Union([
              Type.String({ minLength: 1 }),
              Type.Object({}, { additionalProperties: true }),
              Type.Array(Type.Unknown()),
            ]),
            date: Type.Optional(Type.String({ format: 'date' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const memberId = req.params.id;
      await authorizeMember(db, {
        actor: req.actor,
        memberId,
        action: 'write:report',
        requestId: req.id,
        now: clock.now(),
      });
      const existing = await db.query<{ interpretation: unknown; id: string }>(
        `SELECT id::text AS id, interpretation FROM checkup_reports WHERE member_id = $1 AND client_id = $2`,
        [memberId, req.body.clientId],
      );
      if (existing.rows[0])
        return {
          reportId: existing.rows[0].id,
          duplicate: true,
          interpretation: existing.rows[0].interpretation,
        };

      const parsed = parseCheckupReport(req.body.report);
      if (parsed.items.length === 0) {
        throw badRequest(
          'no report items could be read',
          parsed.issues.length > 0
            ? parsed.issues.map((i) => ({ ...i, path: `body.report${i.path ? `.${i.path}` : ''}` }))
            : [{ path: 'body.report', message: 'no items' }],
        );
      }
      const member = await db.query<{ gender: string; birth_date: string | null }>(
        `SELECT gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM members WHERE id = $1`,
        [memberId],
      );
      if (!member.rows[0]) throw notFound(`no member '${memberId}'`);
      const now = clock.now();
      const date = req.body.date ?? parsed.date ?? now.toISOString().slice(0, 10);
      const previous = await db.query<{ parsed: CheckupReport }>(
        `SELECT parsed FROM checkup_reports WHERE member_id = $1 AND (report_date IS NULL OR report_date < $2::date) ORDER BY report_date DESC NULLS LAST, id DESC LIMIT 1`,
        [memberId, date],
      );
      const interpretation = interpretCheckupReport(parsed, previous.rows[0]?.parsed, {
        sex: member.rows[0].gender,
        ageYears: ageOn(member.rows[0].birth_date, new Date(`${date}T00:00:00Z`)),
      });

      // Results with a catalogue indicator and a number become observations from a checkup.
      const effectiveAt = new Date(`${date}T08:00:00+08:00`).toISOString();
      const items: IngestItemResult[] = [];
      for (const it of interpretation.items) {
        if (!it.indicatorId || it.canonicalValue === undefined || it.value === null) continue;
        const ind = indicatorById(it.indicatorId);
        if (!ind) continue;
        const code = it.code ?? ind.primaryLoinc;
        items.push({
          ok: true,
          ref: it.path,
          sourceType: 'checkup-report',
          record: {
            kind: 'observation',
            value: {
              memberRef: memberId,
              code,
              indicator: ind.id,
              value: it.canonicalValue,
              unit: ind.unit,
              originalValue: it.value,
              originalUnit: it.unit ?? ind.unit,
              effectiveAt,
              sourceKind: 'checkup',
              sourceSystem: 'report',
              sourceRecordId: `${req.body.clientId}:${it.path}`,
              idempotencyKey: `report:${req.body.clientId}:${it.path}:${code}`,
              setting: ind.id === 'sbp' || ind.id === 'dbp' ? 'office' : null,
            },
          },
        });
      }
      const ingest = await ingestItems({ db, clock, care }, items, {
        allowedMemberIds: [memberId],
      });
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO checkup_reports (member_id, client_id, report_date, received_at, format, parsed, interpretation)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (member_id, client_id) DO NOTHING RETURNING id::text AS id`,
        [
          memberId,
          req.body.clientId,
          date,
          now.toISOString(),
          parsed.format,
          JSON.stringify(parsed),
          JSON.stringify(interpretation),
        ],
      );
      await care.onEvent(
        db,
        memberId,
        { kind: 'report', at: now.toISOString(), ...(rows[0] ? { reportId: rows[0].id } : {}) },
        now,
      );
      return { reportId: rows[0]?.id ?? null, duplicate: false, interpretation, ingest };
    },
  );

  app.get(
    '/members/:id/reports',
    {
      schema: {
        tags: ['reports'],
        summary: "The member's checkup reports with their interpretation",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (req) => {
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.params.id,
        action: 'read:reports',
        requestId: req.id,
        now: clock.now(),
      });
      const { rows } = await db.query<{
        id: string;
        report_date: string | null;
        format: string;
        interpretation: unknown;
      }>(
        `SELECT id::text AS id, to_char(report_date, 'YYYY-MM-DD') AS report_date, format, interpretation FROM checkup_reports
          WHERE member_id = $1 ORDER BY report_date DESC NULLS LAST, id DESC`,
        [req.params.id],
      );
      return {
        reports: rows.map((r) => ({
          id: r.id,
          date: r.report_date,
          format: r.format,
          interpretation: r.interpretation,
        })),
      };
    },
  );
};
