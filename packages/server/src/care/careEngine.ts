import {
  absenceDeadline,
  createEnrollment,
  detectRedFlags,
  isEligible,
  matchTriggers,
  meetsExitCriteria,
  nextScheduledFirings,
  runSteps,
  type CareProgram,
  type EnrollmentState,
  type FactValues,
  type ProfileFact,
  type ProgramContext,
  type ProgramEffect,
  type ProgramEvent,
  type ProgramMedication,
  type RedFlag,
  type StoredObservation,
  type TriggerFiring,
} from '@careloop/core';
import type { Db, Queryable } from '../db/Db.ts';
import { recordTaskCompletions } from '../habit/recordTaskCompletions.ts';
import { loadFacts, type MemberProfileUpdate } from '../storage/profileStore.ts';
import { memberColumns, type MemberRow } from '../storage/rows.ts';
import type { DispatchCounts } from './dispatcher.ts';
import type { ProgramRegistry } from './programRegistry.ts';
import {
  defaultMissedWindowPolicy,
  missedWindowVerdict,
  type MissedWindowPolicy,
} from './schedulerPolicy.ts';
import { dispatchMembersBatch } from './batchDispatch.ts';
import {
  claimDueTimers,
  recordTimerOutcomes,
  type DueTimer,
  type TimerHandler,
  type TimerOutcome,
} from './schedulerTimers.ts';

const DAY = 86_400_000;

export interface CareEngineOptions {
  registry: ProgramRegistry;
  /** Randomness for experiment splits (injected so simulations are reproducible). */
  random?: () => number;
  /** How far ahead schedule triggers are turned into durable timers. */
  planningHorizonDays?: number;
  /** What a late timer does (skip a morning reminder found at night); see schedulerPolicy.ts. */
  missedWindow?: MissedWindowPolicy;
  /** Timer kinds beyond the program runner's own 'firing' and 'resume'. */
  timerHandlers?: Readonly<Record<string, TimerHandler>>;
}

/** One claimed batch of timers (one transaction). */
export interface TimerBatchResult {
  claimed: number;
  fired: number;
  skipped: number;
}

interface EnrollmentRow {
  program_id: string;
  program_version: string;
  status: 'active' | 'paused' | 'exited';
  state: EnrollmentState;
}

export function factValues(facts: readonly ProfileFact[]): FactValues {
  const out: Record<string, ProfileFact['value']> = {};
  for (const f of facts) out[f.key] = f.value;
  return out;
}

/**
 * The server side of the care engine: enrols members whose profile matches a program, hands events
 * to the pure interpreter in core, turns its effects into rows (messages in the outbox, tasks,
 * durable timers) in the caller's transaction, and runs the contact policy over new messages.
 */
export class CareEngine {
  readonly registry: ProgramRegistry;
  readonly #random: () => number;
  readonly #horizonMs: number;
  readonly #missedWindow: MissedWindowPolicy;
  readonly #timerHandlers: Readonly<Record<string, TimerHandler>>;

  constructor(opts: CareEngineOptions) {
    this.registry = opts.registry;
    this.#random = opts.random ?? Math.random;
    this.#horizonMs = (opts.planningHorizonDays ?? 8) * DAY;
    this.#missedWindow = opts.missedWindow ?? defaultMissedWindowPolicy;
    this.#timerHandlers = opts.timerHandlers ?? {};
  }

  /** Called inside the ingest transaction after profiles were updated. */
  async afterIngest(
    tx: Queryable,
    input: {
      now: Date;
      observations: readonly StoredObservation[];
      profiles: readonly MemberProfileUpdate[];
    },
  ): Promise<void> {
    const { now } = input;
    const obsBy = new Map<string, StoredObservation[]>();
    for (const o of input.observations) {
      const list = obsBy.get(o.memberId);
      if (list) list.push(o);
      else obsBy.set(o.memberId, [o]);
    }
    const memberIds: string[] = [];
    for (const p of input.profiles) {
      const obs = obsBy.get(p.memberId) ?? [];
      const flags = detectRedFlags(obs, { now });
      const events: ProgramEvent[] = [];
      for (const o of obs) {
        if (o.indicator)
          events.push({
            kind: 'observation',
            at: o.effectiveAt,
            indicator: o.indicator,
            value: o.value,
          });
      }
      events.sort((a, b) => a.at.localeCompare(b.at));
      events.push(...(await this.#completeTasksByData(tx, p.memberId, obs, now)));
      for (const f of flags)
        events.push({
          kind: 'red-flag',
          at: f.evidence[0]?.effectiveAt ?? now.toISOString(),
          flag: f.kind,
        });
      if (obs.length > 0) {
        await tx.query(
          `INSERT INTO engagement_events (member_id, kind, at) VALUES ($1, 'reading', $2)`,
          [p.memberId, now.toISOString()],
        );
      }
      const handledRedFlag = await this.#processMember(
        tx,
        p.member,
        factValues(p.facts),
        events,
        now,
      );
      if (flags.length > 0 && !handledRedFlag)
        await this.#redFlagSafetyNet(tx, p.memberId, flags, now);
      memberIds.push(p.memberId);
    }
    await dispatchMembersBatch(tx, memberIds, now);
  }

  /** An event from the app or the care team (app open, medication taken, consultation finished…). */
  async onEvent(db: Db, memberId: string, event: ProgramEvent, now: Date): Promise<void> {
    await db.transaction(async (tx) => {
      const member = await loadMember(tx, memberId);
      if (!member) return;
      const facts = factValues(await loadFacts(tx, memberId));
      await this.#processMember(tx, member, facts, [event], now);
      await dispatchMembersBatch(tx, [memberId], now);
    });
  }

  /**
   * Fires due timers until none is left, each exactly once (see fireDueTimerBatch). Returns how
   * many were claimed (fired or skipped by the missed-window policy).
   */
  async runDueTimers(db: Db, now: Date, batchSize = 200): Promise<number> {
    let claimed = 0;
    for (;;) {
      const batch = await this.fireDueTimerBatch(db, now, batchSize);
      claimed += batch.claimed;
      if (batch.claimed < batchSize) return claimed;
    }
  }

  /**
   * One transaction: claims up to batchSize due timers (FOR UPDATE SKIP LOCKED, so N workers take
   * disjoint batches), runs each, writes its effects (keyed by idempotency keys) and marks it fired
   * or skipped, then runs the contact policy for the members touched. A worker that dies mid-batch
   * rolls all of it back; the timers are due again for the next worker.
   */
  async fireDueTimerBatch(db: Db, now: Date, batchSize = 200): Promise<TimerBatchResult> {
    return db.transaction(async (tx) => {
      const timers = await claimDueTimers(tx, now, batchSize);
      const outcomes: (TimerOutcome & { memberId: string; id: string })[] = [];
      const touched = new Set<string>();
      for (const t of timers) {
        const handler = this.#timerHandlers[t.kind];
        const outcome = handler ? await handler(tx, t, now) : await this.#fireTimer(tx, t, now);
        outcomes.push({ ...outcome, memberId: t.member_id, id: t.id });
        if (outcome.status === 'fired') touched.add(t.member_id);
      }
      await recordTimerOutcomes(tx, outcomes, now);
      await dispatchMembersBatch(tx, [...touched], now);
      const skipped = outcomes.filter((o) => o.status === 'skipped').length;
      return { claimed: timers.length, fired: timers.length - skipped, skipped };
    });
  }

  /** Re-decides messages whose deferral has come due. */
  async dispatchDue(db: Db, now: Date, batchSize = 500): Promise<DispatchCounts> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<{ member_id: string }>(
        `SELECT DISTINCT member_id::text AS member_id FROM messages
          WHERE state IN ('pending', 'deferred') AND not_before <= $1 LIMIT $2`,
        [now.toISOString(), batchSize],
      );
      return dispatchMembersBatch(
        tx,
        rows.map((r) => r.member_id),
        now,
      );
    });
  }

  async #fireTimer(tx: Queryable, t: DueTimer, now: Date): Promise<TimerOutcome> {
    const noEffect = (why: string): TimerOutcome => ({ status: 'fired', outcome: why });
    if (!t.program_id) return noEffect(`no handler for timer kind '${t.kind}'`);
    const member = await loadMember(tx, t.member_id);
    const enrollment = await loadEnrollment(tx, t.member_id, t.program_id);
    if (!member) return noEffect('member not found');
    if (!enrollment || enrollment.status !== 'active')
      return noEffect(`not enrolled in ${t.program_id} (${enrollment?.status ?? 'no enrollment'})`);
    const program = this.registry.get(enrollment.program_id, enrollment.program_version);
    if (!program)
      return noEffect(`${enrollment.program_id}@${enrollment.program_version} is not loaded`);
    if (this.registry.isPaused(program.id)) return noEffect(`${program.id} is paused`);
    const start =
      t.kind === 'resume' && t.payload.flowId
        ? { resume: t.payload.flowId }
        : t.payload.firing
          ? { firing: t.payload.firing }
          : null;
    if (!start) return noEffect(`timer kind '${t.kind}' without a firing or flow`);
    const facts = factValues(await loadFacts(tx, t.member_id));
    const ctx = await this.#context(tx, member, facts, now);
    const firing = 'firing' in start ? start.firing : null;
    const triggerKind = firing
      ? (program.triggers.find((tr) => tr.id === firing.triggerId)?.def.kind ?? null)
      : null;
    const verdict = missedWindowVerdict(
      { triggerKind, dueAt: new Date(t.due_at), now, timeZone: member.time_zone },
      this.#missedWindow,
    );
    if (verdict.action === 'skip') {
      // Later occurrences are still planned: a long outage must not end the member's schedule.
      await this.#plan(tx, t.member_id, program, enrollment.state, ctx, now);
      return { status: 'skipped', outcome: verdict.reason };
    }
    const run = runSteps(program, enrollment.state, start, ctx);
    await this.#applyEffects(tx, t.member_id, program, run.effects, now);
    await this.#plan(tx, t.member_id, program, run.state, ctx, now);
    await saveEnrollment(tx, t.member_id, program, run.state);
    return { status: 'fired', outcome: run.skipped };
  }

  /** Returns whether a program handled a red flag (sent a red-flag message). */
  async #processMember(
    tx: Queryable,
    member: MemberRow,
    facts: FactValues,
    events: readonly ProgramEvent[],
    now: Date,
  ): Promise<boolean> {
    const enrollments = new Map(
      (
        await tx.query<EnrollmentRow>(
          `SELECT program_id, program_version, status, state FROM program_enrollments WHERE member_id = $1`,
          [member.id],
        )
      ).rows.map((r) => [r.program_id, r]),
    );
    const ctx = await this.#context(tx, member, facts, now);
    let handledRedFlag = false;
    for (const latest of this.registry.latest()) {
      if (this.registry.isPaused(latest.id)) continue;
      const row = enrollments.get(latest.id);
      let program: CareProgram = latest;
      let state: EnrollmentState;
      if (!row) {
        if (!isEligible(latest, facts, now)) continue;
        state = createEnrollment(latest, now);
        await tx.query(
          `INSERT INTO program_enrollments (member_id, program_id, program_version, status, state, enrolled_at)
           VALUES ($1, $2, $3, 'active', $4, $5) ON CONFLICT (member_id, program_id) DO NOTHING`,
          [member.id, latest.id, latest.version, JSON.stringify(state), now.toISOString()],
        );
      } else {
        if (row.status !== 'active') continue;
        program = this.registry.get(row.program_id, row.program_version) ?? latest;
        state = row.state;
        if (meetsExitCriteria(program, facts, now)) {
          state = { ...state, status: 'exited', exitReason: 'exit criteria met' };
          await saveEnrollment(tx, member.id, program, state);
          continue;
        }
      }
      for (const event of events) {
        const matched = matchTriggers(program, state, event, ctx);
        state = matched.state;
        for (const firing of matched.firings) {
          if (Date.parse(firing.at) > now.getTime()) {
            await insertTimer(
              tx,
              member.id,
              program,
              'firing',
              firing.at,
              { firing },
              `${program.key}:${firing.flowId}`,
            );
            continue;
          }
          const run = runSteps(program, state, { firing }, ctx);
          state = run.state;
          if (run.effects.some((e) => e.kind === 'message' && e.priority === 'red-flag'))
            handledRedFlag = true;
          await this.#applyEffects(tx, member.id, program, run.effects, now);
        }
      }
      await this.#plan(tx, member.id, program, state, ctx, now);
      await saveEnrollment(tx, member.id, program, state);
    }
    return handledRedFlag;
  }

  /** Turns upcoming schedule, date and absence firings into durable timers (idempotent by flow id). */
  async #plan(
    tx: Queryable,
    memberId: string,
    program: CareProgram,
    state: EnrollmentState,
    ctx: ProgramContext,
    now: Date,
  ): Promise<void> {
    if (state.status !== 'active') return;
    const firings = nextScheduledFirings(
      program,
      state,
      ctx.member,
      now,
      new Date(now.getTime() + this.#horizonMs),
    );
    // An absence deadline already behind us (the data arrived late) fires at the next tick.
    for (const t of program.triggers) {
      const due = absenceDeadline(t, state.triggers[t.id], state.enrolledAt, ctx.member.timeZone);
      if (due && due.getTime() < now.getTime()) {
        const at = due.toISOString();
        firings.push({ triggerId: t.id, at, flowId: `${t.id}@${at}`, vars: {} });
      }
    }
    for (const f of firings) {
      await insertTimer(
        tx,
        memberId,
        program,
        'firing',
        f.at,
        { firing: f },
        `${program.key}:${f.flowId}`,
      );
    }
  }

  async #applyEffects(
    tx: Queryable,
    memberId: string,
    program: CareProgram,
    effects: readonly ProgramEffect[],
    now: Date,
  ): Promise<void> {
    for (const e of effects) {
      const key = `${program.key}:${e.key}`;
      switch (e.kind) {
        case 'message':
          await tx.query(
            `INSERT INTO messages (member_id, program_id, step_id, priority, purpose, channel, body, dedupe_key,
                idempotency_key, state, not_before, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10)
             ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
            [
              memberId,
              program.id,
              e.stepId,
              e.priority,
              e.purpose,
              e.channels[0] ?? 'in-app',
              JSON.stringify(e.text),
              e.dedupeKey,
              key,
              now.toISOString(),
            ],
          );
          break;
        case 'member-task':
          await tx.query(
            `INSERT INTO tasks (member_id, kind, program_id, step_id, title, priority, due_at, points, completed_by, idempotency_key, created_at)
             VALUES ($1, 'member', $2, $3, $4, 'normal', $5, $6, $7, $8, $9) ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
            [
              memberId,
              program.id,
              e.stepId,
              JSON.stringify(e.title),
              e.dueAt,
              e.points,
              e.completedBy ? JSON.stringify(e.completedBy) : null,
              key,
              now.toISOString(),
            ],
          );
          break;
        case 'care-team-task':
          await tx.query(
            `INSERT INTO tasks (member_id, kind, program_id, step_id, role, title, priority, sla_due_at, idempotency_key, created_at)
             VALUES ($1, 'care-team', $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
            [
              memberId,
              program.id,
              e.stepId,
              e.role,
              JSON.stringify(e.title),
              e.priority,
              e.dueAt,
              key,
              now.toISOString(),
            ],
          );
          break;
        case 'wait':
          await insertTimer(
            tx,
            memberId,
            program,
            'resume',
            e.until,
            { flowId: e.flowId },
            `${key}:resume`,
          );
          break;
        case 'goal':
        case 'exit':
          break; // recorded in the enrollment state the interpreter returned
      }
    }
  }

  /**
   * Red flags are never lost: when no program the member is enrolled in answered one, the engine
   * itself tells the member what to do now and opens an urgent task for the care team.
   */
  async #redFlagSafetyNet(
    tx: Queryable,
    memberId: string,
    flags: readonly RedFlag[],
    now: Date,
  ): Promise<void> {
    for (const f of flags) {
      const ref = f.evidence.map((e) => e.observationId ?? e.effectiveAt).join(',');
      await tx.query(
        `INSERT INTO messages (member_id, program_id, step_id, priority, purpose, channel, body, dedupe_key,
            idempotency_key, state, not_before, created_at)
         VALUES ($1, NULL, $2, 'red-flag', 'alert', 'in-app', $3, NULL, $4, 'pending', $5, $5)
         ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
        [
          memberId,
          `red-flag:${f.kind}`,
          JSON.stringify(f.memberGuidance),
          `red-flag:${f.kind}:${ref}`,
          now.toISOString(),
        ],
      );
      await tx.query(
        `INSERT INTO tasks (member_id, kind, step_id, role, title, detail, priority, sla_due_at, idempotency_key, created_at)
         VALUES ($1, 'care-team', $2, 'manager', $3, $4, 'urgent', $5, $6, $7) ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
        [
          memberId,
          `red-flag:${f.kind}`,
          JSON.stringify(f.summary),
          JSON.stringify({ ruleId: f.ruleId, citation: f.citation, evidence: f.evidence }),
          new Date(now.getTime() + 30 * 60_000).toISOString(),
          `red-flag:${f.kind}:${ref}`,
          now.toISOString(),
        ],
      );
    }
  }

  /** A reading completes the member's open tasks that ask for it ("measure your BP"). */
  async #completeTasksByData(
    tx: Queryable,
    memberId: string,
    obs: readonly StoredObservation[],
    now: Date,
  ): Promise<ProgramEvent[]> {
    const indicators = [
      ...new Set(obs.map((o) => o.indicator).filter((i): i is string => i !== null)),
    ];
    if (indicators.length === 0) return [];
    const { rows } = await tx.query<{
      id: string;
      points: number;
      program_id: string | null;
      step_id: string | null;
    }>(
      `UPDATE tasks SET status = 'done', completed_at = $3
        WHERE member_id = $1 AND kind = 'member' AND status = 'open' AND completed_by->>'indicator' = ANY($2::text[])
        RETURNING id::text AS id, points, program_id, step_id`,
      [memberId, indicators, now.toISOString()],
    );
    // The reward is recorded in this transaction, so it is visible the moment the reading is.
    await recordTaskCompletions(
      tx,
      memberId,
      rows.map((r) => ({ taskId: r.id, points: r.points })),
      now,
      {
        withReading: obs.some(
          (o) => o.indicator !== null && (o.sourceKind === 'self' || o.sourceKind === 'device'),
        ),
      },
    );
    const events: ProgramEvent[] = [];
    for (const r of rows) {
      await tx.query(
        `INSERT INTO engagement_events (member_id, kind, at) VALUES ($1, 'task-completed', $2)`,
        [memberId, now.toISOString()],
      );
      events.push({
        kind: 'task-done',
        at: now.toISOString(),
        ...(r.program_id ? { programId: r.program_id } : {}),
        ...(r.step_id ? { stepId: r.step_id } : {}),
      });
    }
    return events;
  }

  async #context(
    tx: Queryable,
    member: MemberRow,
    facts: FactValues,
    now: Date,
  ): Promise<ProgramContext> {
    const { rows } = await tx.query<{
      id: string;
      name: string;
      rrule: string | null;
      dosage_text: string | null;
      status: string;
    }>(
      `SELECT id::text AS id, name, rrule, dosage_text, status FROM medications WHERE member_id = $1`,
      [member.id],
    );
    const medications: ProgramMedication[] = rows.map((r) => ({
      id: r.id,
      name: r.name,
      rrule: r.rrule,
      dosageText: r.dosage_text,
      status: r.status,
    }));
    return {
      now,
      member: {
        name: member.name,
        locale: member.locale,
        timeZone: member.time_zone,
        birthDate: member.birth_date ? String(member.birth_date).slice(0, 10) : null,
        medications,
      },
      facts,
      random: this.#random,
    };
  }
}

async function loadMember(q: Queryable, memberId: string): Promise<MemberRow | null> {
  const { rows } = await q.query<MemberRow>(
    `SELECT ${memberColumns()} FROM members WHERE id = $1`,
    [memberId],
  );
  return rows[0] ?? null;
}

async function loadEnrollment(
  q: Queryable,
  memberId: string,
  programId: string,
): Promise<EnrollmentRow | null> {
  const { rows } = await q.query<EnrollmentRow>(
    `SELECT program_id, program_version, status, state FROM program_enrollments WHERE member_id = $1 AND program_id = $2 FOR UPDATE`,
    [memberId, programId],
  );
  return rows[0] ?? null;
}

async function saveEnrollment(
  q: Queryable,
  memberId: string,
  program: CareProgram,
  state: EnrollmentState,
): Promise<void> {
  await q.query(
    `UPDATE program_enrollments SET state = $3, status = $4, exited_at = CASE WHEN $4 = 'exited' THEN now() ELSE exited_at END,
        exit_reason = $5 WHERE member_id = $1 AND program_id = $2`,
    [memberId, program.id, JSON.stringify(state), state.status, state.exitReason],
  );
}

async function insertTimer(
  q: Queryable,
  memberId: string,
  program: CareProgram,
  kind: 'firing' | 'resume',
  dueAt: string,
  payload: unknown,
  key: string,
): Promise<void> {
  await q.query(
    `INSERT INTO timers (member_id, kind, program_id, trigger_id, due_at, payload, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (member_id, idempotency_key) DO NOTHING`,
    [
      memberId,
      kind,
      program.id,
      (payload as { firing?: TriggerFiring }).firing?.triggerId ?? null,
      dueAt,
      JSON.stringify(payload),
      key,
    ],
  );
}
