/**
 * Due messages dispatched per second WITH the contact policy applied (cap, quiet hours, backoff,
 * consent, dedupe; decideDelivery per message), on PostgreSQL, against pg-boss moving the same
 * number of bare jobs (send, then work) in the same run — pg-boss does no policy work at all, so
 * the ratio flatters it. Decision 0006 records the figures.
 *
 *   npx tsx bench/dispatch.ts      (BENCH_MESSAGES=40000, BENCH_MEMBERS=messages/2,
 *                                   BENCH_WORKERS=2 dispatch loops, BENCH_PG_URL)
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';
import type { Db } from '../packages/server/src/db/Db.ts';
import { migrate } from '../packages/server/src/db/migrate.ts';
import { PostgresDb } from '../packages/server/src/db/postgresDb.ts';
import { dispatchDueBatch } from '../packages/server/src/care/batchDispatch.ts';

const pgUrl =
  process.env.BENCH_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const messages = Number(process.env.BENCH_MESSAGES ?? 40_000);
const members = Number(process.env.BENCH_MEMBERS ?? Math.max(1, Math.round(messages / 2)));
const loops = Number(process.env.BENCH_WORKERS ?? 2);
const batchMembers = Number(process.env.BENCH_BATCH_MEMBERS ?? 500);
// 10:00 in Shanghai (awake), 03:00 in Berlin and 21:00 in New York the day before (quiet hours).
const now = new Date('2026-03-10T02:00:00Z');

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

async function withSchema<T>(prefix: string, fn: (schema: string) => Promise<T>): Promise<T> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = PostgresDb.open(pgUrl, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    return await fn(schema);
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
}

/** Members in three zones, some opted out or silent, a third with two messages already today. */
async function seedOutbox(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO members (external_ref, name, gender, time_zone, consents, last_interaction_at)
     SELECT 'bench-' || g, 'Member ' || g, 'unknown',
            CASE WHEN g % 10 = 1 THEN 'Europe/Berlin' WHEN g % 10 = 2 THEN 'America/New_York'
                 ELSE 'Asia/Shanghai' END,
            CASE WHEN g % 20 = 3 THEN '{"channels": {"in-app": false}, "marketing": false}'::jsonb
                 WHEN g % 4 = 0 THEN '{"channels": {"in-app": true}, "marketing": true}'::jsonb
                 ELSE '{"channels": {"in-app": true}, "marketing": false}'::jsonb END,
            $2::timestamptz - CASE WHEN g % 3 = 0 THEN interval '5 days' ELSE interval '20 hours' END
       FROM generate_series(1, $1) g`,
    [members, now.toISOString()],
  );
  await db.query(
    `CREATE TABLE bench_members AS
       SELECT id, row_number() OVER (ORDER BY external_ref) - 1 AS n FROM members`,
  );
  // The ledger: a third of the members already got two messages this morning.
  await db.query(
    `INSERT INTO messages (member_id, program_id, step_id, priority, purpose, channel, body, dedupe_key,
        idempotency_key, state, not_before, created_at, sent_at)
     SELECT m.id, 'bench', 'earlier', 'care', 'reminder', 'in-app', '{"en": "earlier"}', 'bench:earlier:' || k,
            'earlier-' || k, 'delivered', $1::timestamptz - interval '3 hours',
            $1::timestamptz - interval '3 hours', $1::timestamptz - (k || ' hours')::interval
       FROM bench_members m CROSS JOIN generate_series(1, 2) k WHERE m.n % 3 = 1`,
    [now.toISOString()],
  );
  const priorities = `(ARRAY['clinical', 'care', 'care', 'engagement', 'marketing'])[1 + g % 5]`;
  await db.query(
    `INSERT INTO messages (member_id, program_id, step_id, priority, purpose, channel, body, dedupe_key,
        idempotency_key, state, not_before, created_at)
     SELECT m.id, 'bench', 'step-' || (g % 7), ${priorities},
            CASE WHEN g % 5 = 4 THEN 'promotion' WHEN g % 11 = 0 THEN 'reinforcement' ELSE 'reminder' END,
            CASE WHEN g % 13 = 0 THEN 'sms' ELSE 'in-app' END,
            '{"zh-CN": "请记得量血压", "en": "Time to check your BP"}', 'bench:step-' || (g % 7) || ':2026-03-10',
            'due-' || g, CASE WHEN g % 5 = 0 THEN 'deferred' ELSE 'pending' END,
            $3::timestamptz - ((g % 600) || ' seconds')::interval, $3::timestamptz - interval '1 hour'
       FROM generate_series(1, $1) g JOIN bench_members m ON m.n = g % $2`,
    [messages, members, now.toISOString()],
  );
  await db.query('ANALYZE');
}

interface DispatchTotals {
  delivered: number;
  queued: number;
  deferred: number;
  suppressed: number;
  batches: number;
}

const zeroTotals = (): DispatchTotals => ({
  delivered: 0,
  queued: 0,
  deferred: 0,
  suppressed: 0,
  batches: 0,
});

/** One worker: claim a batch of members, decide their due messages, until nothing is due. */
async function dispatchLoop(db: Db, totals: DispatchTotals): Promise<void> {
  for (;;) {
    const r = await db.transaction((tx) => dispatchDueBatch(tx, now, { maxMembers: batchMembers }));
    totals.delivered += r.delivered;
    totals.queued += r.queued;
    totals.deferred += r.deferred;
    totals.suppressed += r.suppressed;
    totals.batches++;
    if (r.members === 0 && !r.heldElsewhere) return;
  }
}

/**
 * Our path: `loops` workers in this process (async loops sharing one JS thread), or `processes`
 * worker processes (forked, started before the clock runs), as `careloop worker` is deployed.
 */
async function runDispatch(db: Db, schema: string, processes: number) {
  const totals = zeroTotals();
  let ms: number;
  if (processes <= 1) {
    const started = performance.now();
    await Promise.all(Array.from({ length: loops }, () => dispatchLoop(db, totals)));
    ms = performance.now() - started;
  } else {
    const children = Array.from({ length: processes }, () =>
      fork(fileURLToPath(import.meta.url), ['--dispatch-child', schema], {
        // A larger young generation halves scavenge time for this allocation-heavy loop (luxon
        // DateTimes per decision); decision 0006 recommends it for `careloop worker` too.
        execArgv: ['--import', 'tsx', '--max-semi-space-size=32'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const ready = children.map((c) => new Promise<void>((r) => c.once('message', () => r())));
    await Promise.all(ready);
    const started = performance.now();
    const done = children.map(
      (c) =>
        new Promise<void>((r) => {
          c.once('message', (m) => {
            const t = m as DispatchTotals;
            for (const k of Object.keys(totals) as (keyof DispatchTotals)[]) totals[k] += t[k];
            r();
          });
          c.send('go');
        }),
    );
    await Promise.all(done);
    ms = performance.now() - started;
  }
  const left = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM messages WHERE state IN ('pending', 'deferred') AND not_before <= $1`,
    [now.toISOString()],
  );
  const events = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM message_events`);
  return { ...totals, ms, left: Number(left.rows[0]?.n), events: Number(events.rows[0]?.n) };
}

/** Child mode: one dispatch worker process, started by the parent's 'go'. */
async function dispatchChild(schema: string): Promise<void> {
  const db = PostgresDb.open(pgUrl, { searchPath: schema, max: 1 });
  await db.query('SELECT 1');
  const totals = zeroTotals();
  await new Promise<void>((r) => {
    process.once('message', () => r());
    process.send?.('ready');
  });
  await dispatchLoop(db, totals);
  await db.close();
  process.send?.(totals);
  process.disconnect?.();
}

async function benchOurs(processes: number) {
  return withSchema('bench_dispatch', async (schema) => {
    const db = PostgresDb.open(pgUrl, { searchPath: schema, max: loops + 1 });
    try {
      await migrate(db);
      await seedOutbox(db);
      return await runDispatch(db, schema, processes);
    } finally {
      await db.close();
    }
  });
}

interface BossFigures {
  sendMs: number;
  workMs: number;
  fetchMs: number;
}

/** pg-boss 10: bulk insert (its fastest send), then work(); then a tight fetch+complete loop. */
async function benchPgBoss(): Promise<BossFigures> {
  return withSchema('bench_pgboss', async (schema) => {
    const boss = new PgBoss({
      connectionString: pgUrl,
      schema,
      max: loops + 2,
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => undefined);
    await boss.start();
    try {
      const jobs = (queue: string) =>
        Array.from({ length: messages }, (_, i) => ({
          name: queue,
          data: { memberId: `m-${i % members}`, messageId: i },
        }));
      await boss.createQueue('dispatch');
      await boss.createQueue('dispatch-fetch');

      let t = performance.now();
      const all = jobs('dispatch');
      for (let i = 0; i < all.length; i += 1000) await boss.insert(all.slice(i, i + 1000));
      const sendMs = performance.now() - t;

      // work(): the documented consumer; its loop waits out the polling interval between fetches.
      t = performance.now();
      let done = 0;
      await new Promise<void>((resolve) => {
        for (let w = 0; w < loops; w++) {
          void boss.work(
            'dispatch',
            { batchSize: batchMembers, pollingIntervalSeconds: 0.5 },
            async (batch) => {
              done += batch.length;
              if (done >= messages) resolve();
            },
          );
        }
      });
      const workMs = performance.now() - t;
      await boss.offWork('dispatch');

      // The best pg-boss can do: fetch and complete back to back, no polling pause.
      const more = jobs('dispatch-fetch');
      for (let i = 0; i < more.length; i += 1000) await boss.insert(more.slice(i, i + 1000));
      t = performance.now();
      await Promise.all(
        Array.from({ length: loops }, async () => {
          for (;;) {
            const got = await boss.fetch('dispatch-fetch', { batchSize: batchMembers });
            if (got.length === 0) return;
            await boss.complete(
              'dispatch-fetch',
              got.map((j) => j.id),
            );
          }
        }),
      );
      const fetchMs = performance.now() - t;
      return { sendMs, workMs, fetchMs };
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
}

function reportOurs(label: string, r: Awaited<ReturnType<typeof benchOurs>>): number {
  const decided = r.delivered + r.queued + r.deferred + r.suppressed;
  if (decided !== messages || r.left !== 0 || r.events !== messages)
    throw new Error(
      `dispatch incomplete: decided ${decided}, events ${r.events}, still due ${r.left} of ${messages}`,
    );
  const perSecond = rate(decided, r.ms);
  console.log(
    `  CareLoop batched dispatch + contact policy, ${label}: ${fmt(decided)} messages in ${(r.ms / 1000).toFixed(2)} s ` +
      `= ${fmt(perSecond)} messages/s (delivered ${fmt(r.delivered)}, deferred ${fmt(r.deferred)}, ` +
      `suppressed ${fmt(r.suppressed)}; ${r.batches} batches)`,
  );
  return perSecond;
}

export async function main(): Promise<void> {
  console.log(
    `bench/dispatch: PostgreSQL, ${fmt(members)} members, ${fmt(messages)} due messages, ` +
      `${loops} concurrent workers, batches of ${batchMembers} members / jobs`,
  );
  const inProcess = reportOurs(`${loops} loops in 1 process`, await benchOurs(1));
  const multiProcess = reportOurs(`${loops} worker processes`, await benchOurs(loops));
  const oursRate = Math.max(inProcess, multiProcess);
  const boss = await benchPgBoss();
  const sendWorkRate = rate(messages, boss.sendMs + boss.workMs);
  const sendFetchRate = rate(messages, boss.sendMs + boss.fetchMs);
  console.log(
    `  pg-boss 10 send (bulk insert): ${fmt(rate(messages, boss.sendMs))} jobs/s; ` +
      `work(): ${fmt(rate(messages, boss.workMs))} jobs/s; fetch+complete loop: ${fmt(rate(messages, boss.fetchMs))} jobs/s`,
  );
  console.log(
    `  pg-boss send + work: ${fmt(sendWorkRate)} jobs/s; send + fetch/complete: ${fmt(sendFetchRate)} jobs/s (no policy applied)`,
  );
  console.log(
    `  ratio (best CareLoop figure, ${fmt(oursRate)} messages/s): ${(oursRate / sendWorkRate).toFixed(1)}× pg-boss send + work, ` +
      `${(oursRate / sendFetchRate).toFixed(1)}× pg-boss send + fetch/complete`,
  );
}

if (process.argv.includes('--dispatch-child')) {
  await dispatchChild(process.argv[process.argv.indexOf('--dispatch-child') + 1] ?? '');
} else if (import.meta.url === `file://${process.argv[1]}`) await main();
