/**
 * Kill test for the scheduler (issue 4, decision 0006): N due timers on PostgreSQL, W worker
 * processes, a random worker SIGKILLed and restarted again and again until every timer has fired;
 * then the database must show every timer fired exactly once and every effect exactly once.
 *
 *   npx tsx scripts/killTest.ts [--timers 100000] [--workers 4] [--kill-every-ms 1500] [--kill-every-fired 0]
 *                               [--max-seconds 900] [--batch 200] [--effect-ms 0] [--keep]
 *
 * Two kinds of timer, mixed: `kill-test-probe` (its handler appends one row to kill_test_effects,
 * a table WITHOUT a unique key, so a timer fired twice would show up as a duplicate row) and real
 * program firings (the interpreter's message effect, kept exactly-once by its idempotency key).
 * A sequence counts every firing attempt, including those rolled back by a kill.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEnrollment, parseProgram, type CareProgram } from '@careloop/core';
import { migrate } from '../packages/server/src/db/migrate.ts';
import { PostgresDb } from '../packages/server/src/db/postgresDb.ts';
import { systemClock } from '../packages/server/src/clock.ts';
import { CareEngine } from '../packages/server/src/care/careEngine.ts';
import { ProgramRegistry } from '../packages/server/src/care/programRegistry.ts';
import { runWorker } from '../packages/server/src/workers/timerWorker.ts';
import type { TimerHandler } from '../packages/server/src/care/schedulerTimers.ts';

export interface KillTestOptions {
  timers: number;
  workers: number;
  /** Kill a worker this often (0 = never by time)… */
  killEveryMs: number;
  /** …or whenever this many more timers have fired (0 = never by progress): steady under load. */
  killEveryFired: number;
  maxSeconds: number;
  batch: number;
  /** Extra time each probe effect takes (pg_sleep): keeps batches open so kills land mid-batch. */
  effectMs: number;
  /** Every n-th timer is a program firing; the others are probes. */
  programEvery: number;
  members: number;
  keep: boolean;
  databaseUrl: string;
  log: (line: string) => void;
}

export interface KillTestResult {
  ok: boolean;
  violations: string[];
  timers: number;
  fired: number;
  kills: number;
  attempts: number;
  seconds: number;
}

const probeKind = 'kill-test-probe';

const programYaml = `
id: kill-test
version: 1
category: care
title: { zh-CN: 调度器杀进程测试, en: Scheduler kill test }
description: { zh-CN: 仅用于调度器测试。, en: Only for the scheduler kill test. }
entry: 'false'
triggers:
  - id: ping
    kind: event
    on: app-open
    start: ping
sequences:
  ping:
    - id: ping-message
      kind: message
      priority: engagement
      purpose: reminder
      channels: [in-app]
      dedupe: per-firing
      text: { zh-CN: 调度器测试消息。, en: Scheduler test message. }
`;

function testProgram(): CareProgram {
  const parsed = parseProgram(programYaml, 'kill-test.yaml');
  if (!parsed.ok) throw new Error(`kill-test program: ${JSON.stringify(parsed.issues)}`);
  return parsed.program;
}

const probe: TimerHandler = async (tx, timer) => {
  await tx.query(`INSERT INTO kill_test_effects (timer_key, worker_pid) VALUES ($1, $2)`, [
    timer.idempotency_key,
    process.pid,
  ]);
  return { status: 'fired', outcome: null };
};

/** Child mode: one worker process on the given schema until SIGTERM (or SIGKILL). */
async function workerMain(
  url: string,
  schema: string,
  batch: number,
  effectMs: number,
): Promise<void> {
  const db = PostgresDb.open(url, { searchPath: schema, max: 2 });
  const registry = new ProgramRegistry();
  registry.add(testProgram());
  const care = new CareEngine({
    registry,
    timerHandlers: {
      [probeKind]: async (tx, timer, now) => {
        await tx.query(`SELECT nextval('kill_test_attempts')`);
        if (effectMs > 0) await tx.query(`SELECT pg_sleep($1)`, [effectMs / 1000]);
        return probe(tx, timer, now);
      },
    },
  });
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  // A parent that died (or was killed) leaves no orphan workers behind.
  process.once('disconnect', () => process.exit(0));
  await runWorker({
    db,
    clock: systemClock,
    care,
    stopSignal: stop.signal,
    timerBatchSize: batch,
    idleDelayMs: 100,
    // Tells the parent this worker has committed work since it started: only such workers are killed.
    onBatch: (b) => {
      if (b.timersClaimed > 0) process.send?.({ committed: b.timersClaimed });
    },
    errorDelayMs: 100,
    onError: (err) => process.stderr.write(`worker ${process.pid}: ${String(err)}\n`),
  });
  await db.close();
  // The IPC channel would keep this process alive after a graceful stop.
  process.disconnect?.();
}

async function setUp(db: PostgresDb, o: KillTestOptions, program: CareProgram): Promise<void> {
  await migrate(db);
  await db.query(
    `CREATE TABLE kill_test_effects (timer_key text NOT NULL, worker_pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  );
  await db.query(`CREATE SEQUENCE kill_test_attempts`);
  await db.query(
    `INSERT INTO members (external_ref, name, gender, last_interaction_at)
     SELECT 'kill-' || g, 'Member ' || g, 'unknown', now() FROM generate_series(1, $1) g`,
    [o.members],
  );
  await db.query(
    `CREATE TABLE kill_test_members AS SELECT id, row_number() OVER (ORDER BY external_ref) - 1 AS n FROM members`,
  );
  const state = createEnrollment(program, new Date());
  await db.query(
    `INSERT INTO program_enrollments (member_id, program_id, program_version, status, state, enrolled_at)
     SELECT id, $1, $2, 'active', $3, now() FROM members`,
    [program.id, program.version, JSON.stringify(state)],
  );
  // Due within the last ten minutes: on time for the missed-window policy.
  await db.query(
    `INSERT INTO timers (member_id, kind, program_id, trigger_id, due_at, payload, idempotency_key)
     SELECT m.id,
            CASE WHEN g % $3 = 0 THEN 'firing' ELSE '${probeKind}' END,
            CASE WHEN g % $3 = 0 THEN $4 END,
            CASE WHEN g % $3 = 0 THEN 'ping' END,
            d.due,
            CASE WHEN g % $3 = 0 THEN jsonb_build_object('firing', jsonb_build_object(
                   'triggerId', 'ping', 'at', to_char(d.due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'flowId', 'ping@' || g, 'vars', '{}'::jsonb))
                 ELSE '{}'::jsonb END,
            CASE WHEN g % $3 = 0 THEN $5 || ':ping@' || g ELSE 'probe-' || g END
       FROM generate_series(1, $1) g
       JOIN kill_test_members m ON m.n = g % $2
       CROSS JOIN LATERAL (SELECT now() - ((g % 600) || ' seconds')::interval AS due) d`,
    [o.timers, o.members, o.programEvery, program.id, program.key],
  );
  await db.query('ANALYZE');
}

async function verify(db: PostgresDb, o: KillTestOptions, program: CareProgram) {
  const violations: string[] = [];
  const one = async (sql: string): Promise<number> =>
    Number(Object.values((await db.query<Record<string, string>>(sql)).rows[0] ?? {})[0] ?? NaN);
  const fired = await one(`SELECT count(*) FROM timers WHERE status = 'fired'`);
  const notFired = await one(`SELECT count(*) FROM timers WHERE status <> 'fired'`);
  const probes = await one(`SELECT count(*) FROM timers WHERE kind = '${probeKind}'`);
  const effects = await one(`SELECT count(*) FROM kill_test_effects`);
  const distinctEffects = await one(`SELECT count(DISTINCT timer_key) FROM kill_test_effects`);
  const missingEffects = await one(
    `SELECT count(*) FROM timers t WHERE t.kind = '${probeKind}'
        AND NOT EXISTS (SELECT 1 FROM kill_test_effects e WHERE e.timer_key = t.idempotency_key)`,
  );
  const firings = await one(`SELECT count(*) FROM timers WHERE kind = 'firing'`);
  const messages = await one(`SELECT count(*) FROM messages WHERE program_id = '${program.id}'`);
  const missingMessages = await one(
    `SELECT count(*) FROM timers t WHERE t.kind = 'firing' AND NOT EXISTS (
       SELECT 1 FROM messages m WHERE m.member_id = t.member_id
          AND m.idempotency_key = '${program.key}:${program.key}:' || (t.payload->'firing'->>'flowId') || ':ping-message')`,
  );
  const withOutcome = await one(`SELECT count(*) FROM timers WHERE outcome IS NOT NULL`);
  const attempts = await one(`SELECT last_value FROM kill_test_attempts`);
  if (fired !== o.timers) violations.push(`${fired} of ${o.timers} timers fired (${notFired} not)`);
  if (effects !== probes)
    violations.push(
      `${effects} probe effect rows for ${probes} probe timers (duplicates or losses)`,
    );
  if (distinctEffects !== effects)
    violations.push(`${effects - distinctEffects} probe timers fired more than once`);
  if (missingEffects > 0) violations.push(`${missingEffects} probe timers without their effect`);
  if (messages !== firings)
    violations.push(`${messages} program messages for ${firings} program firings`);
  if (missingMessages > 0) violations.push(`${missingMessages} program firings without a message`);
  if (withOutcome > 0)
    violations.push(`${withOutcome} timers ran without effect (see timers.outcome)`);
  return { violations, fired, attempts, probes, firings, effects, messages };
}

export async function runKillTest(o: KillTestOptions): Promise<KillTestResult> {
  const started = performance.now();
  const schema = `killtest_${randomBytes(4).toString('hex')}`;
  const admin = PostgresDb.open(o.databaseUrl, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = PostgresDb.open(o.databaseUrl, { searchPath: schema, max: 2 });
  const program = testProgram();
  const children = new Map<number, ChildProcess>();
  /** Workers that committed a batch since they (re)started: killing them cannot stall progress. */
  const working = new Set<ChildProcess>();
  let kills = 0;
  try {
    await setUp(db, o, program);
    o.log(
      `kill test: ${o.timers} due timers (${Math.floor(o.timers / o.programEvery)} program firings) for ${o.members} members in schema ${schema}; ${o.workers} workers`,
    );
    const script = fileURLToPath(import.meta.url);
    const start = (slot: number) => {
      const child = fork(
        script,
        [
          '--worker',
          '--schema',
          schema,
          '--batch',
          String(o.batch),
          '--effect-ms',
          String(o.effectMs),
        ],
        {
          execArgv: ['--import', 'tsx'],
          env: { ...process.env, KILL_TEST_URL: o.databaseUrl },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        },
      );
      child.on('message', (m) => {
        if ((m as { committed?: number }).committed) working.add(child);
      });
      children.set(slot, child);
    };
    for (let slot = 0; slot < o.workers; slot++) start(slot);

    const deadline = started + o.maxSeconds * 1000;
    let lastKill = performance.now();
    let firedAtLastKill = 0;
    let pending = o.timers;
    while (pending > 0) {
      if (performance.now() > deadline) throw new Error(`gave up after ${o.maxSeconds} s`);
      await new Promise((r) => setTimeout(r, 200));
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM timers WHERE status = 'pending'`,
      );
      pending = Number(rows[0]?.n ?? 0);
      // Only workers that have committed work are killed, so kills cannot starve the run; each
      // such worker is most likely inside its next batch when the kill lands.
      const live = [...children].filter(([, c]) => working.has(c));
      const fired = o.timers - pending;
      const due =
        (o.killEveryMs > 0 && performance.now() - lastKill >= o.killEveryMs) ||
        (o.killEveryFired > 0 && fired - firedAtLastKill >= o.killEveryFired);
      if (pending > 0 && live.length > 0 && due) {
        const [slot, victim] = live[Math.floor(Math.random() * live.length)]!;
        working.delete(victim);
        if (victim.pid) {
          victim.kill('SIGKILL');
          kills++;
          await new Promise<void>((r) =>
            victim.exitCode !== null || victim.signalCode !== null
              ? r()
              : victim.once('exit', () => r()),
          );
          start(slot);
        }
        lastKill = performance.now();
        firedAtLastKill = fired;
        o.log(
          `  ${((performance.now() - started) / 1000).toFixed(1)} s: ${o.timers - pending} fired, ${pending} pending; killed worker ${victim.pid} (kill ${kills})`,
        );
      }
    }
    // Graceful stop (the batch in flight finishes); a worker that does not exit in 10 s is killed.
    for (const c of children.values()) c.kill('SIGTERM');
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            const force = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(force);
              r();
            });
          }),
      ),
    );
    children.clear();
    const v = await verify(db, o, program);
    const seconds = (performance.now() - started) / 1000;
    o.log(
      `  fired ${v.fired}/${o.timers} timers; probe effects ${v.effects} for ${v.probes} probes; ` +
        `program messages ${v.messages} for ${v.firings} firings; ${v.attempts} probe attempts ` +
        `(${v.attempts - v.probes} rolled back by kills and redone); ${kills} kills; ${seconds.toFixed(1)} s`,
    );
    o.log(
      v.violations.length === 0
        ? 'VERDICT: PASS — every timer fired once, every effect exists once'
        : `VERDICT: FAIL\n  - ${v.violations.join('\n  - ')}`,
    );
    return {
      ok: v.violations.length === 0,
      violations: v.violations,
      timers: o.timers,
      fired: v.fired,
      kills,
      attempts: v.attempts,
      seconds,
    };
  } finally {
    for (const c of children.values()) c.kill('SIGKILL');
    await db.close();
    if (!o.keep) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
}

function arg(argv: readonly string[], name: string, def: number, min = 1): number {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name}: expected an integer ≥ ${min}, got ${argv[i + 1]}`);
  return n;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const databaseUrl =
    process.env.KILL_TEST_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  if (argv.includes('--worker')) {
    const schema = argv[argv.indexOf('--schema') + 1];
    if (!schema || !/^killtest_[0-9a-f]+$/.test(schema))
      throw new Error('--schema: missing or invalid');
    await workerMain(
      databaseUrl,
      schema,
      arg(argv, '--batch', 200),
      arg(argv, '--effect-ms', 0, 0),
    );
    return 0;
  }
  const timers = arg(argv, '--timers', 100_000);
  const result = await runKillTest({
    timers,
    workers: arg(argv, '--workers', 4),
    killEveryMs: arg(argv, '--kill-every-ms', 1500, 0),
    killEveryFired: arg(argv, '--kill-every-fired', 0, 0),
    maxSeconds: arg(argv, '--max-seconds', 900),
    batch: arg(argv, '--batch', 200),
    effectMs: arg(argv, '--effect-ms', 0, 0),
    programEvery: arg(argv, '--program-every', 10),
    members: arg(argv, '--members', Math.max(1, Math.min(2000, Math.ceil(timers / 50)))),
    keep: argv.includes('--keep'),
    databaseUrl,
    log: (line) => console.log(line),
  });
  return result.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
