import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox';
import {
  MessageView,
  messageColumns,
  toMessageView,
  type MessageRow,
} from '../../storage/messageView.ts';
import type { FastifyRequest } from 'fastify';
import {
  learnBestSendHour,
  recentOpensForBestHour,
  indicatorById,
  indicatorForLoinc,
  normalizeQuantity,
  type IngestItemResult,
  type ObservationInput,
  type ValidationIssue,
} from '@careloop/core';
import { authorizeMember, auditMany } from '../../auth/access.ts';
import { hasRole } from '../../auth/actor.ts';
import { ingestItems } from '../../ingest/ingestItems.ts';
import { dispatchMembersBatch } from '../../care/batchDispatch.ts';
import { recordTaskCompletions } from '../../habit/recordTaskCompletions.ts';
import { AwardView } from '../../habit/habitViews.ts';
import { loadFacts } from '../../storage/profileStore.ts';
import {
  iso,
  isoOrNull,
  memberColumns,
  observationColumns,
  toStoredObservation,
  type MemberRow,
  type ObservationRow,
} from '../../storage/rows.ts';
import { requireActor, requireRole } from '../guards.ts';
import { badRequest, forbidden, notFound } from '../problem.ts';
import { IngestReportSchema } from './ingestSchemas.ts';

const MemberId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Bilingual = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

const MemberSummary = Type.Object({
  id: Type.String(),
  externalRef: Type.String(),
  name: Type.String(),
  gender: Type.String(),
  birthDate: Type.Union([Type.String(), Type.Null()]),
  timeZone: Type.String(),
  locale: Type.String(),
  bpClass: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  lastReadingAt: Type.Union([Type.String(), Type.Null()]),
  openCareTasks: Type.Integer(),
});

const Reading = Type.Object(
  {
    indicator: Type.Optional(
      Type.String({ description: 'catalogue indicator id, e.g. sbp, dbp, glucose, weight' }),
    ),
    code: Type.Optional(
      Type.String({ description: 'LOINC code (or careloop:symptom-chest-pain)' }),
    ),
    value: Type.Number(),
    unit: Type.String({ minLength: 1 }),
    effectiveAt: Type.String({ format: 'date-time' }),
    /** The client's id for the reading: resending it is a duplicate, not a second reading. */
    clientId: Type.String({ minLength: 1, maxLength: 200 }),
    panel: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'links systolic and diastolic of one measurement',
      }),
    ),
    source: Type.Optional(Type.Union([Type.Literal('self'), Type.Literal('device')])),
  },
  { additionalProperties: false },
);

const symptomCodes = new Set(['careloop:symptom-chest-pain']);

/** Turns a reading typed into the app (or sent by a device gateway) into an ingest item. */
function readingToItem(memberId: string, r: Static<typeof Reading>, i: number): IngestItemResult {
  const ref = `readings[${i}]`;
  const issues: ValidationIssue[] = [];
  if (r.code && symptomCodes.has(r.code)) {
    return {
      ok: true,
      ref,
      sourceType: 'symptom',
      record: {
        kind: 'observation',
        value: {
          memberRef: memberId,
          code: r.code,
          indicator: null,
          value: r.value,
          unit: r.unit,
          originalValue: r.value,
          originalUnit: r.unit,
          effectiveAt: new Date(r.effectiveAt).toISOString(),
          sourceKind: 'self',
          sourceSystem: 'app',
          sourceRecordId: r.clientId,
          idempotencyKey: `app:${r.clientId}:${r.code}`,
        },
      },
    };
  }
  const indicator = r.indicator
    ? indicatorById(r.indicator)
    : r.code
      ? indicatorForLoinc(r.code)
      : undefined;
  if (!indicator) {
    issues.push({
      path: `${ref}.${r.indicator ? 'indicator' : 'code'}`,
      message:
        r.indicator || r.code
          ? `unknown indicator '${r.indicator ?? r.code}'`
          : 'give an indicator or a code',
    });
    return { ok: false, ref, issues };
  }
  const n = normalizeQuantity(indicator, r.value, r.unit);
  if (!n.ok)
    return {
      ok: false,
      ref,
      issues: [
        { path: `${ref}.${n.reason === 'unknown-unit' ? 'unit' : 'value'}`, message: n.message },
      ],
    };
  const code = r.code ?? indicator.primaryLoinc;
  const obs: ObservationInput = {
    memberRef: memberId,
    code,
    indicator: indicator.id,
    value: n.value,
    unit: n.unit,
    originalValue: r.value,
    originalUnit: r.unit,
    effectiveAt: new Date(r.effectiveAt).toISOString(),
    sourceKind: r.source ?? 'self',
    sourceSystem: 'app',
    sourceRecordId: r.clientId,
    idempotencyKey: `app:${r.clientId}:${code}`,
    panelKey: r.panel ? `app:${r.panel}` : null,
    setting: indicator.id === 'sbp' || indicator.id === 'dbp' ? 'home' : null,
  };
  return { ok: true, ref, sourceType: indicator.id, record: { kind: 'observation', value: obs } };
}

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock, care } = app.deps;
  const access = (req: FastifyRequest, memberId: string, action: string) =>
    authorizeMember(db, {
      actor: req.actor,
      memberId,
      action,
      requestId: req.id,
      now: clock.now(),
    });

  app.get(
    '/members',
    {
      schema: {
        tags: ['members'],
        summary: 'The members the caller may see (a manager: their caseload), highest risk first',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
          q: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: {
          200: Type.Object({ total: Type.Integer(), members: Type.Array(MemberSummary) }),
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { limit, offset, q } = req.query;
      let scope: string;
      const params: unknown[] = [];
      if (hasRole(actor, 'admin')) scope = 'TRUE';
      else if (hasRole(actor, 'manager', 'doctor')) {
        params.push(actor.userId);
        scope = `m.id IN (SELECT member_id FROM care_assignments WHERE user_id = $${params.length})`;
      } else if (hasRole(actor, 'member') && actor.memberId) {
        params.push(actor.memberId);
        scope = `m.id = $${params.length}`;
      } else throw forbidden('your role may not list members');
      if (q) {
        params.push(`%${q}%`);
        scope += ` AND (m.name ILIKE $${params.length} OR m.external_ref ILIKE $${params.length})`;
      }
      const total = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM members m WHERE ${scope}`,
        params,
      );
      params.push(limit, offset);
      const { rows } = await db.query<
        MemberRow & {
          bp_class: string | null;
          tags: string[] | null;
          last_reading_at: Date | null;
          open_tasks: number;
        }
      >(
        `SELECT ${memberColumns('m.')},
                (SELECT value #>> '{}' FROM profile_facts f WHERE f.member_id = m.id AND f.key = 'bp.class') AS bp_class,
                (SELECT array_agg(substr(key, 5) ORDER BY key) FROM profile_facts f WHERE f.member_id = m.id AND f.key LIKE 'tag.%' AND f.value = 'true'::jsonb) AS tags,
                (SELECT max(effective_at) FROM observations o WHERE o.member_id = m.id) AS last_reading_at,
                (SELECT count(*)::int FROM tasks t WHERE t.member_id = m.id AND t.kind = 'care-team' AND t.status = 'open') AS open_tasks
           FROM members m WHERE ${scope}
          ORDER BY open_tasks DESC, m.name LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      await auditMany(
        db,
        actor,
        rows.map((r) => r.id),
        'list:members',
        req.id,
        clock.now(),
      );
      return {
        total: total.rows[0]?.n ?? 0,
        members: rows.map((r) => ({
          id: r.id,
          externalRef: r.external_ref,
          name: r.name,
          gender: r.gender,
          birthDate: r.birth_date ? String(r.birth_date) : null,
          timeZone: r.time_zone,
          locale: r.locale,
          bpClass: r.bp_class,
          tags: r.tags ?? [],
          lastReadingAt: isoOrNull(r.last_reading_at),
          openCareTasks: r.open_tasks,
        })),
      };
    },
  );

  app.get(
    '/members/:id',
    { schema: { tags: ['members'], summary: 'One member', params: MemberId } },
    async (req) => {
      await access(req, req.params.id, 'read:member');
      const { rows } = await db.query<MemberRow>(
        `SELECT ${memberColumns()} FROM members WHERE id = $1`,
        [req.params.id],
      );
      const m = rows[0];
      if (!m) throw notFound(`no member '${req.params.id}'`);
      return {
        id: m.id,
        externalRef: m.external_ref,
        name: m.name,
        gender: m.gender,
        birthDate: m.birth_date,
        timeZone: m.time_zone,
        locale: m.locale,
        channelPreferences: m.channel_preferences,
        consents: m.consents,
        createdAt: iso(m.created_at),
        lastInteractionAt: isoOrNull(m.last_interaction_at),
      };
    },
  );

  app.get(
    '/members/:id/profile',
    {
      schema: {
        tags: ['profile'],
        summary: 'The live profile: every fact with its rule, citation and evidence',
        params: MemberId,
      },
    },
    async (req) => {
      await access(req, req.params.id, 'read:profile');
      return { memberId: req.params.id, facts: await loadFacts(db, req.params.id) };
    },
  );

  app.get(
    '/members/:id/observations',
    {
      schema: {
        tags: ['observations'],
        summary: "A member's readings, newest first",
        params: MemberId,
        querystring: Type.Object({
          indicator: Type.Optional(Type.String({ maxLength: 50 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
      },
    },
    async (req) => {
      await access(req, req.params.id, 'read:observations');
      const { indicator, from, to, limit } = req.query;
      const { rows } = await db.query<ObservationRow>(
        `SELECT ${observationColumns} FROM observations
          WHERE member_id = $1 AND ($2::text IS NULL OR indicator = $2) AND ($3::timestamptz IS NULL OR effective_at >= $3)
            AND ($4::timestamptz IS NULL OR effective_at < $4)
          ORDER BY effective_at DESC, id DESC LIMIT $5`,
        [req.params.id, indicator ?? null, from ?? null, to ?? null, limit],
      );
      return { observations: rows.map((r) => toStoredObservation(r)) };
    },
  );

  app.post(
    '/members/:id/observations',
    {
      schema: {
        tags: ['observations'],
        summary:
          'Readings entered in the app or sent by a device gateway; validated and reported per item',
        params: MemberId,
        body: Type.Object(
          { readings: Type.Array(Reading, { minItems: 1, maxItems: 10_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: IngestReportSchema },
      },
    },
    async (req) => {
      await access(req, req.params.id, 'write:observations');
      const items = req.body.readings.map((r, i) => readingToItem(req.params.id, r, i));
      return ingestItems({ db, clock, care }, items, { allowedMemberIds: [req.params.id] });
    },
  );

  app.post(
    '/members/:id/events',
    {
      schema: {
        tags: ['engagement'],
        summary: 'Something the member did in the app (opened it, took a dose)',
        params: MemberId,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('app-open'), Type.Literal('medication-taken')]),
            medicationId: Type.Optional(Type.String()),
            at: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      await access(req, req.params.id, 'write:events');
      const now = clock.now();
      const at = req.body.at ? new Date(req.body.at).toISOString() : now.toISOString();
      if (req.body.kind === 'app-open') {
        await db.query(
          `INSERT INTO engagement_events (member_id, kind, at) VALUES ($1, 'app-open', $2)`,
          [req.params.id, at],
        );
        await db.query(
          `UPDATE members SET last_interaction_at = greatest(coalesce(last_interaction_at, $2), $2) WHERE id = $1`,
          [req.params.id, at],
        );
        await care.onEvent(db, req.params.id, { kind: 'app-open', at }, now);
      } else {
        await care.onEvent(
          db,
          req.params.id,
          {
            kind: 'medication-taken',
            at,
            ...(req.body.medicationId ? { medicationId: req.body.medicationId } : {}),
          },
          now,
        );
      }
      return reply.status(202).send({ accepted: true });
    },
  );

  app.get(
    '/members/:id/inbox',
    {
      schema: {
        tags: ['inbox'],
        summary: 'The in-app inbox: messages delivered to the member, newest first',
        params: MemberId,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({ unread: Type.Integer(), messages: Type.Array(MessageView) }),
        },
      },
    },
    async (req) => {
      await access(req, req.params.id, 'read:inbox');
      const { rows } = await db.query<MessageRow>(
        `SELECT ${messageColumns} FROM messages WHERE member_id = $1 AND state IN ('delivered', 'sent', 'opened', 'clicked', 'acted')
          ORDER BY sent_at DESC, id DESC LIMIT $2`,
        [req.params.id, req.query.limit],
      );
      return {
        unread: rows.filter((r) => r.state === 'delivered' || r.state === 'sent').length,
        messages: rows.map(toMessageView),
      };
    },
  );

  app.get(
    '/members/:id/deliveries',
    {
      schema: {
        tags: ['inbox'],
        summary:
          'The contact ledger: every message with its state and, when deferred or suppressed, why',
        params: MemberId,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: { 200: Type.Object({ messages: Type.Array(MessageView) }) },
      },
    },
    async (req) => {
      await access(req, req.params.id, 'read:deliveries');
      const { rows } = await db.query<MessageRow>(
        `SELECT ${messageColumns} FROM messages WHERE member_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
        [req.params.id, req.query.limit],
      );
      return { messages: rows.map(toMessageView) };
    },
  );

  // Forward-only message states: an 'acted' message does not go back to 'opened'.
  const rank: Record<string, number> = { delivered: 0, sent: 0, opened: 1, clicked: 2, acted: 3 };
  app.post(
    '/members/:id/inbox/:messageId/:action',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Record that the member opened, clicked or acted on a message (idempotent)',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          messageId: Type.String({ pattern: '^[0-9]+$' }),
          action: Type.Union([
            Type.Literal('opened'),
            Type.Literal('clicked'),
            Type.Literal('acted'),
          ]),
        }),
        response: { 200: MessageView },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await access(req, req.params.id, `write:message-${req.params.action}`);
      if (actor.memberId !== req.params.id)
        throw forbidden('only the member can open or act on their messages');
      const now = clock.now();
      const result = await db.transaction(async (tx) => {
        const { rows } = await tx.query<MessageRow>(
          `SELECT ${messageColumns} FROM messages WHERE member_id = $1 AND id = $2 FOR UPDATE`,
          [req.params.id, req.params.messageId],
        );
        const m = rows[0];
        if (!m) throw notFound(`no message ${req.params.messageId}`);
        if (!(m.state in rank))
          throw badRequest(`message ${m.id} is ${m.state}, not in the inbox`, [
            { path: 'messageId', message: `state is ${m.state}` },
          ]);
        const target = req.params.action;
        const column = `${target}_at`;
        // The timestamps are kept even when the state has moved further (clicked implies opened).
        await tx.query(
          `UPDATE messages SET ${column === 'opened_at' ? '' : `${column} = coalesce(${column}, $3),`}
              opened_at = coalesce(opened_at, $3),
              state = CASE WHEN $4::int > $5::int THEN $6 ELSE state END
            WHERE member_id = $1 AND id = $2`,
          [req.params.id, m.id, now.toISOString(), rank[target], rank[m.state], target],
        );
        const firstTime =
          target === 'opened'
            ? m.opened_at === null
            : target === 'acted'
              ? m.acted_at === null
              : true;
        if (firstTime) {
          await tx.query(
            `INSERT INTO engagement_events (member_id, kind, message_id, at) VALUES ($1, $2, $3, $4)`,
            [req.params.id, `message-${target}`, m.id, now.toISOString()],
          );
          if (rank[target]! > rank[m.state]!) {
            await tx.query(
              `INSERT INTO message_events (member_id, message_id, from_state, to_state, at) VALUES ($1, $2, $3, $4, $5)`,
              [req.params.id, m.id, m.state, target, now.toISOString()],
            );
          }
        }
        if (target === 'opened' && firstTime) {
          // Learn the member's best send hour from their recent opens (decision 0004).
          const opens = await tx.query<{ opened_at: Date | string }>(
            `SELECT opened_at FROM messages WHERE member_id = $1 AND opened_at IS NOT NULL ORDER BY opened_at DESC LIMIT $2`,
            [req.params.id, recentOpensForBestHour],
          );
          const zone = await tx.query<{ time_zone: string }>(
            `SELECT time_zone FROM members WHERE id = $1`,
            [req.params.id],
          );
          const hour = learnBestSendHour(
            opens.rows.map((o) => iso(o.opened_at)),
            zone.rows[0]?.time_zone ?? 'Asia/Shanghai',
          );
          await tx.query(`UPDATE members SET best_send_hour = $2 WHERE id = $1`, [
            req.params.id,
            hour,
          ]);
        }
        await tx.query(`UPDATE members SET last_interaction_at = $2 WHERE id = $1`, [
          req.params.id,
          now.toISOString(),
        ]);
        const after = await tx.query<MessageRow>(
          `SELECT ${messageColumns} FROM messages WHERE member_id = $1 AND id = $2`,
          [req.params.id, m.id],
        );
        return toMessageView(after.rows[0]!);
      });
      if (req.params.action === 'opened')
        await care.onEvent(
          db,
          req.params.id,
          { kind: 'message-opened', at: now.toISOString() },
          now,
        );
      return result;
    },
  );

  app.post(
    '/members/:id/messages',
    {
      schema: {
        tags: ['care team'],
        summary:
          'A care-team member writes to the member (a care message: it counts toward the daily cap)',
        params: MemberId,
        body: Type.Object(
          {
            text: Bilingual,
            priority: Type.Optional(
              Type.Union([
                Type.Literal('clinical'),
                Type.Literal('care'),
                Type.Literal('engagement'),
              ]),
            ),
            clientId: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: MessageView },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, 'manager', 'doctor', 'admin');
      await access(req, req.params.id, 'write:message');
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO messages (member_id, step_id, priority, purpose, channel, body, idempotency_key, state, not_before, created_at)
           VALUES ($1, 'care-team', $2, 'education', 'in-app', $3, $4, 'pending', $5, $5) ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
          [
            req.params.id,
            req.body.priority ?? 'care',
            JSON.stringify(req.body.text),
            `care-team:${actor.userId}:${req.body.clientId}`,
            now.toISOString(),
          ],
        );
        await dispatchMembersBatch(tx, [req.params.id], now);
        const { rows } = await tx.query<MessageRow>(
          `SELECT ${messageColumns} FROM messages WHERE member_id = $1 AND idempotency_key = $2`,
          [req.params.id, `care-team:${actor.userId}:${req.body.clientId}`],
        );
        return rows[0]!;
      });
      return reply.status(201).send(toMessageView(row));
    },
  );

  const TaskView = Type.Object({
    id: Type.String(),
    memberId: Type.String(),
    memberName: Type.Optional(Type.String()),
    kind: Type.String(),
    programId: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
    title: Bilingual,
    detail: Type.Unknown(),
    priority: Type.String(),
    status: Type.String(),
    dueAt: Type.Union([Type.String(), Type.Null()]),
    slaDueAt: Type.Union([Type.String(), Type.Null()]),
    points: Type.Integer(),
    createdAt: Type.String(),
    completedAt: Type.Union([Type.String(), Type.Null()]),
  });
  type TaskRow = {
    id: string;
    member_id: string;
    member_name?: string;
    kind: string;
    program_id: string | null;
    role: string | null;
    title: { 'zh-CN': string; en: string };
    detail: unknown;
    priority: string;
    status: string;
    due_at: Date | null;
    sla_due_at: Date | null;
    points: number;
    created_at: Date;
    completed_at: Date | null;
  };
  const toTask = (t: TaskRow) => ({
    id: t.id,
    memberId: t.member_id,
    ...(t.member_name ? { memberName: t.member_name } : {}),
    kind: t.kind,
    programId: t.program_id,
    role: t.role,
    title: t.title,
    detail: t.detail ?? null,
    priority: t.priority,
    status: t.status,
    dueAt: isoOrNull(t.due_at),
    slaDueAt: isoOrNull(t.sla_due_at),
    points: t.points,
    createdAt: iso(t.created_at),
    completedAt: isoOrNull(t.completed_at),
  });
  const taskColumns = `t.id::text AS id, t.member_id::text AS member_id, t.kind, t.program_id, t.role, t.title, t.detail, t.priority, t.status,
    t.due_at, t.sla_due_at, t.points, t.created_at, t.completed_at`;

  app.get(
    '/members/:id/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: "The member's tasks and the care team's tasks about them",
        params: MemberId,
        querystring: Type.Object({
          kind: Type.Optional(Type.Union([Type.Literal('member'), Type.Literal('care-team')])),
          status: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('cancelled')]),
          ),
        }),
        response: { 200: Type.Object({ tasks: Type.Array(TaskView) }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await access(req, req.params.id, 'read:tasks');
      // A member sees their own tasks, not the care team's notes about them.
      const kind =
        hasRole(actor, 'member') &&
        actor.memberId === req.params.id &&
        !hasRole(actor, 'manager', 'doctor', 'admin')
          ? 'member'
          : (req.query.kind ?? null);
      const { rows } = await db.query<TaskRow>(
        `SELECT ${taskColumns} FROM tasks t WHERE t.member_id = $1 AND ($2::text IS NULL OR t.kind = $2) AND ($3::text IS NULL OR t.status = $3)
          ORDER BY t.status, t.created_at DESC`,
        [req.params.id, kind, req.query.status ?? null],
      );
      return { tasks: rows.map(toTask) };
    },
  );

  app.post(
    '/members/:id/tasks/:taskId/complete',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Complete a task by hand (the member their own; the care team theirs)',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          taskId: Type.String({ pattern: '^[0-9]+$' }),
        }),
        response: {
          200: Type.Evaluate(
            Type.Intersect([
              TaskView,
              Type.Object({
                award: Type.Union([AwardView, Type.Null()], {
                  description:
                    'what this completion earned, shown at once; null when nothing was completed now (already done, or a care-team task)',
                }),
              }),
            ]),
          ),
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await access(req, req.params.id, 'write:task');
      const now = clock.now();
      const { row, award } = await db.transaction(async (tx) => {
        let award: AwardView | null = null;
        const { rows } = await tx.query<TaskRow>(
          `SELECT ${taskColumns} FROM tasks t WHERE t.member_id = $1 AND t.id = $2 FOR UPDATE`,
          [req.params.id, req.params.taskId],
        );
        const t = rows[0];
        if (!t) throw notFound(`no task ${req.params.taskId}`);
        const isMemberSelf = actor.memberId === req.params.id;
        if (t.kind === 'care-team' && !hasRole(actor, 'manager', 'doctor', 'admin'))
          throw forbidden('care-team tasks are completed by the care team');
        if (t.kind === 'member' && !isMemberSelf)
          throw forbidden('only the member completes their own tasks');
        if (t.status === 'open') {
          await tx.query(
            `UPDATE tasks SET status = 'done', completed_at = $3 WHERE member_id = $1 AND id = $2`,
            [req.params.id, t.id, now.toISOString()],
          );
          if (t.kind === 'member') {
            await tx.query(
              `INSERT INTO engagement_events (member_id, kind, at) VALUES ($1, 'task-completed', $2)`,
              [req.params.id, now.toISOString()],
            );
            await tx.query(`UPDATE members SET last_interaction_at = $2 WHERE id = $1`, [
              req.params.id,
              now.toISOString(),
            ]);
            award = await recordTaskCompletions(
              tx,
              req.params.id,
              [{ taskId: t.id, points: t.points }],
              now,
            );
          }
        }
        const after = await tx.query<TaskRow>(
          `SELECT ${taskColumns} FROM tasks t WHERE t.member_id = $1 AND t.id = $2`,
          [req.params.id, t.id],
        );
        return { row: after.rows[0]!, award };
      });
      return { ...toTask(row), award };
    },
  );

  app.get(
    '/tasks',
    {
      schema: {
        tags: ['care team'],
        summary:
          "The care team's queue: open tasks of the caller's members, urgent and overdue first",
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ tasks: Type.Array(TaskView) }) },
      },
    },
    async (req) => {
      const actor = requireRole(req, 'manager', 'doctor', 'admin');
      const { rows } = await db.query<TaskRow>(
        `SELECT ${taskColumns}, m.name AS member_name FROM tasks t JOIN members m ON m.id = t.member_id
          WHERE t.kind = 'care-team' AND t.status = 'open'
            AND ($1::boolean OR t.member_id IN (SELECT member_id FROM care_assignments WHERE user_id = $2))
          ORDER BY CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, t.sla_due_at NULLS LAST, t.created_at
          LIMIT $3`,
        [hasRole(actor, 'admin'), actor.userId, req.query.limit],
      );
      await auditMany(
        db,
        actor,
        [...new Set(rows.map((r) => r.member_id))],
        'list:tasks',
        req.id,
        clock.now(),
      );
      return { tasks: rows.map(toTask) };
    },
  );
};
