import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollment, parseProgram, type CareProgram } from '@careloop/core';
import type { Db } from '../db/Db.ts';
import { ManualClock } from '../clock.ts';
import { CareEngine } from '../care/careEngine.ts';
import { ProgramRegistry } from '../care/programRegistry.ts';
import type { TimerHandler } from '../care/schedulerTimers.ts';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { runWorker } from './timerWorker.ts';

// A morning reminder (schedule) and an event-started message; Shanghai is UTC+8 without DST, so
// 08:00 local is 00:00Z. Default quiet hours are 22:00–08:00 local.
const programYaml = `
id: scheduler-test
version: 1
category: care
title: { zh-CN: 调度测试, en: Scheduler test }
description: { zh-CN: 调度器测试。, en: Scheduler test. }
entry: 'false'
triggers:
  - id: morning
    kind: schedule
    rrule: FREQ=DAILY;BYHOUR=8;BYMINUTE=0
    start: morning
  - id: ping
    kind: event
    on: app-open
    start: ping
sequences:
  morning:
    - id: morning-reminder
      kind: message
      priority: care
      purpose: reminder
      channels: [in-app]
      text: { zh-CN: 早上好，请按时服药。, en: Good morning — time for your tablets. }
  ping:
    - id: ping-message
      kind: message
      priority: engagement
      purpose: reminder
      channels: [in-app]
      dedupe: per-firing
      text: { zh-CN: 测试消息。, en: Test message. }
`;

function loadProgram(): CareProgram {
  const parsed = parseProgram(programYaml, 'scheduler-test.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.program;
}

describe('scheduler: timers fired once, late ones by the missed-window policy', () => {
  let t: TestDb;
  let db: Db;
  let program: CareProgram;
  let care: CareEngine;
  let memberId: string;
  const attempts = new Map<string, number>();
  /** Fails the first attempt of 'probe-3': a worker dying mid-batch, deterministically. */
  const probe: TimerHandler = async (tx, timer) => {
    const n = (attempts.get(timer.idempotency_key) ?? 0) + 1;
    attempts.set(timer.idempotency_key, n);
    await tx.query(`INSERT INTO probe_effects (timer_key) VALUES ($1)`, [timer.idempotency_key]);
    if (timer.idempotency_key === 'probe-3' && n === 1) throw new Error('worker died mid-batch');
    return { status: 'fired', outcome: null };
  };

  beforeAll(async () => {
    t = await openTestDb();
    db = t.db;
    program = loadProgram();
    const registry = new ProgramRegistry();
    registry.add(program);
    care = new CareEngine({ registry, timerHandlers: { probe } });
    await db.query(`CREATE TABLE probe_effects (timer_key text NOT NULL)`);
    const m = await db.query<{ id: string }>(
      `INSERT INTO members (external_ref, name, gender, time_zone, last_interaction_at)
       VALUES ('sched-1', '王芳', 'female', 'Asia/Shanghai', '2026-03-09T02:00:00Z') RETURNING id::text AS id`,
    );
    memberId = m.rows[0]!.id;
    const state = createEnrollment(program, new Date('2026-03-01T00:00:00Z'));
    await db.query(
      `INSERT INTO program_enrollments (member_id, program_id, program_version, status, state, enrolled_at)
       VALUES ($1, $2, $3, 'active', $4, '2026-03-01T00:00:00Z')`,
      [memberId, program.id, program.version, JSON.stringify(state)],
    );
  });
  afterAll(async () => t?.close());

  const addFiring = async (triggerId: string, at: string) => {
    const flowId = `${triggerId}@${at}`;
    await db.query(
      `INSERT INTO timers (member_id, kind, program_id, trigger_id, due_at, payload, idempotency_key)
       VALUES ($1, 'firing', $2, $3, $4, $5, $6)`,
      [
        memberId,
        program.id,
        triggerId,
        at,
        JSON.stringify({ firing: { triggerId, at, flowId, vars: {} } }),
        `${program.key}:${flowId}`,
      ],
    );
    return `${program.key}:${flowId}`;
  };
  const timer = async (key: string) =>
    (
      await db.query<{ status: string; outcome: string | null; fired_at: Date | null }>(
        `SELECT status, outcome, fired_at FROM timers WHERE idempotency_key = $1`,
        [key],
      )
    ).rows[0];
  const messagesOf = async (stepId: string) =>
    (
      await db.query<{ state: string; reason: string | null; not_before: Date }>(
        `SELECT state, reason, not_before FROM messages WHERE step_id = $1 ORDER BY id`,
        [stepId],
      )
    ).rows;

  it('skips a morning reminder found at 23:00 (server down all day), says why, and plans the next mornings', async () => {
    const key = await addFiring('morning', '2026-03-10T00:00:00.000Z');
    // 23:00 in Shanghai: 15 h late, tolerance 2 h.
    const r = await care.fireDueTimerBatch(db, new Date('2026-03-10T15:00:00Z'));
    expect(r).toEqual({ claimed: 1, fired: 0, skipped: 1 });
    const row = await timer(key);
    expect(row?.status).toBe('skipped');
    expect(row?.outcome).toContain(
      'missed window: schedule firing due 2026-03-10 08:00 Asia/Shanghai',
    );
    expect(row?.outcome).toContain('found 15 h late at 2026-03-10 23:00 Asia/Shanghai');
    expect(await messagesOf('morning-reminder')).toEqual([]);
    const next = await db.query<{ due_at: Date }>(
      `SELECT due_at FROM timers WHERE trigger_id = 'morning' AND status = 'pending' ORDER BY due_at LIMIT 1`,
    );
    expect(next.rows[0]?.due_at.toISOString()).toBe('2026-03-11T00:00:00.000Z');
  });

  it('fires the next morning on time: the reminder is delivered at 08:05', async () => {
    const r = await care.fireDueTimerBatch(db, new Date('2026-03-11T00:05:00Z'));
    expect(r).toEqual({ claimed: 1, fired: 1, skipped: 0 });
    expect((await timer(`${program.key}:morning@2026-03-11T00:00:00.000Z`))?.status).toBe('fired');
    expect((await messagesOf('morning-reminder')).map((m) => m.state)).toEqual(['delivered']);
  });

  it('fires a late event firing, and quiet hours hold its message until 08:00', async () => {
    const key = await addFiring('ping', '2026-03-11T01:00:00.000Z');
    // 23:30 local: 14.5 h late, but an event trigger has no tolerance.
    const r = await care.fireDueTimerBatch(db, new Date('2026-03-11T15:30:00Z'));
    expect(r.fired).toBe(1);
    expect((await timer(key))?.status).toBe('fired');
    const [msg] = await messagesOf('ping-message');
    expect(msg?.state).toBe('deferred');
    expect(msg?.reason).toBe('quiet-hours');
    expect(msg?.not_before.toISOString()).toBe('2026-03-12T00:00:00.000Z');
  });

  it('a failure mid-batch rolls the whole batch back; the retry fires each timer exactly once', async () => {
    for (let i = 1; i <= 5; i++) {
      await db.query(
        `INSERT INTO timers (member_id, kind, due_at, idempotency_key) VALUES ($1, 'probe', '2026-03-11T20:00:00Z', $2)`,
        [memberId, `probe-${i}`],
      );
    }
    const now = new Date('2026-03-11T20:01:00Z');
    await expect(care.fireDueTimerBatch(db, now)).rejects.toThrow('worker died mid-batch');
    const afterCrash = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM probe_effects`,
    );
    expect(afterCrash.rows[0]?.n).toBe(0);
    const pending = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timers WHERE kind = 'probe' AND status = 'pending'`,
    );
    expect(pending.rows[0]?.n).toBe(5);
    expect(await care.fireDueTimerBatch(db, now)).toEqual({ claimed: 5, fired: 5, skipped: 0 });
    const effects = await db.query<{ timer_key: string; n: number }>(
      `SELECT timer_key, count(*)::int AS n FROM probe_effects GROUP BY timer_key ORDER BY timer_key`,
    );
    expect(effects.rows).toEqual([1, 2, 3, 4, 5].map((i) => ({ timer_key: `probe-${i}`, n: 1 })));
    expect(await care.fireDueTimerBatch(db, now)).toEqual({ claimed: 0, fired: 0, skipped: 0 });
  });

  it('three concurrent workers fire 300 timers, each exactly once, and stop gracefully', async () => {
    await db.query(
      `INSERT INTO timers (member_id, kind, due_at, idempotency_key)
       SELECT $1, 'probe', '2026-03-11T20:00:00Z', 'many-' || g FROM generate_series(1, 300) g`,
      [memberId],
    );
    const clock = new ManualClock('2026-03-11T20:02:00Z');
    const stop = new AbortController();
    let fired = 0;
    const workers = Array.from({ length: 3 }, () =>
      runWorker({
        db,
        clock,
        care,
        stopSignal: stop.signal,
        timerBatchSize: 25,
        idleDelayMs: 10,
        onBatch: (b) => {
          fired += b.timersFired;
          if (fired >= 300) stop.abort();
        },
      }),
    );
    const stats = await Promise.all(workers);
    expect(stats.reduce((s, w) => s + w.timersFired, 0)).toBe(300);
    expect(stats.every((w) => w.errors === 0)).toBe(true);
    const dup = await db.query<{ keys: number; rows: number }>(
      `SELECT count(DISTINCT timer_key)::int AS keys, count(*)::int AS rows FROM probe_effects WHERE timer_key LIKE 'many-%'`,
    );
    expect(dup.rows[0]).toEqual({ keys: 300, rows: 300 });
    const left = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timers WHERE status = 'pending' AND due_at <= '2026-03-11T20:02:00Z'`,
    );
    expect(left.rows[0]?.n).toBe(0);
  });

  it('a worker keeps going after a failed batch and reports the error', async () => {
    await db.query(
      `INSERT INTO timers (member_id, kind, due_at, idempotency_key) VALUES ($1, 'probe', '2026-03-11T21:00:00Z', 'probe-3-again')`,
      [memberId],
    );
    attempts.set('probe-3', 0); // the next attempt of probe-3 fails once more
    await db.query(
      `UPDATE timers SET status = 'pending', due_at = '2026-03-11T21:00:00Z' WHERE idempotency_key = 'probe-3'`,
    );
    await db.query(`DELETE FROM probe_effects WHERE timer_key = 'probe-3'`);
    const clock = new ManualClock('2026-03-11T21:01:00Z');
    const stop = new AbortController();
    const errors: unknown[] = [];
    let fired = 0;
    const stats = await runWorker({
      db,
      clock,
      care,
      stopSignal: stop.signal,
      idleDelayMs: 10,
      errorDelayMs: 1,
      onError: (err) => errors.push(err),
      onBatch: (b) => {
        fired += b.timersFired;
        if (fired >= 2) stop.abort();
      },
    });
    expect(errors.map(String)).toEqual(['Error: worker died mid-batch']);
    expect(stats.errors).toBe(1);
    expect(stats.timersFired).toBe(2);
    const rows = await db.query<{ timer_key: string }>(
      `SELECT timer_key FROM probe_effects WHERE timer_key IN ('probe-3', 'probe-3-again') ORDER BY timer_key`,
    );
    expect(rows.rows.map((r) => r.timer_key)).toEqual(['probe-3', 'probe-3-again']);
  });
});
