import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoPopulation, seededRng, type IngestItemResult } from '@careloop/core';
import type { Db } from '../db/Db.ts';
import type { Clock } from '../clock.ts';
import type { CareEngine } from '../care/careEngine.ts';
import { hashPassword } from '../auth/passwords.ts';
import { newPassword } from '../auth/tokens.ts';
import { ingestBatches, type IngestBatch } from '../ingest/ingestBatches.ts';

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  note: string;
}

export interface SeedResult {
  members: number;
  observations: number;
  logins: DemoLogin[];
  loginsFile: string | null;
}

/** The demo population's seed: the same seed gives the same members and readings everywhere. */
export const DEMO_SEED = 20_261_123;

/**
 * Seeds an empty database with a deterministic demo population (readings over the last six months),
 * care-team users with generated passwords, assignments and app-usage history. Passwords are random
 * per installation and written only to `<dataDir>/demo-logins.json` (mode 600), never to the repo.
 */
export async function seedDemo(
  ctx: { db: Db; clock: Clock; care?: CareEngine },
  opts: {
    members: number;
    dataDir: string | null;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<SeedResult | null> {
  const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM members');
  if ((rows[0]?.n ?? 0) > 0) return null;
  const now = ctx.clock.now();
  // Whole days keep the population identical for a given seed within one day.
  const end = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
  const start = new Date(end.getTime() - 182 * 86_400_000);
  const population = generateDemoPopulation({ seed: DEMO_SEED, members: opts.members, start, end });

  // Batches of ten members, a few in flight (ingestBatches): the database works on one while the
  // next is assembled and profiled.
  const chunk = 10;
  const batches = function* (): Generator<IngestBatch> {
    for (let i = 0; i < population.length; i += chunk) {
      const items: IngestItemResult[] = [];
      for (const d of population.slice(i, i + chunk)) {
        const ref = d.member.externalRef;
        items.push({ ok: true, ref, record: { kind: 'member', value: d.member } });
        for (const c of d.conditions)
          items.push({ ok: true, ref, record: { kind: 'condition', value: c } });
        for (const m of d.medications)
          items.push({ ok: true, ref, record: { kind: 'medication', value: m } });
        for (const o of d.observations)
          items.push({ ok: true, ref, record: { kind: 'observation', value: o } });
      }
      yield { items };
    }
  };
  let observations = 0;
  await ingestBatches({ db: ctx.db, clock: ctx.clock, care: ctx.care }, batches(), {
    onReport: (report, i) => {
      observations += report.accepted.observations;
      opts.onProgress?.(Math.min((i + 1) * chunk, population.length), population.length);
    },
  });

  // Sign-up dates and app opens, so retention cohorts have a history to show.
  const rng = seededRng(DEMO_SEED + 1);
  const refs = population.map((d) => d.member.externalRef);
  const signups = population.map((d) => d.engagement.signupAt);
  await ctx.db.query(
    `UPDATE members m SET created_at = t.s::timestamptz, time_zone = t.tz, locale = t.l,
        last_interaction_at = t.last::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(r, s, tz, l, last)
      WHERE m.external_ref = t.r`,
    [
      refs,
      signups,
      population.map((d) => d.member.timeZone),
      population.map((d) => d.member.locale),
      population.map((d) => d.engagement.lastActiveAt),
    ],
  );
  const evMembers: string[] = [];
  const evAt: string[] = [];
  for (const d of population) {
    const from = Date.parse(d.engagement.signupAt);
    const until = Date.parse(d.engagement.lastActiveAt);
    const perDay = d.engagement.appOpensPerWeek / 7;
    for (let t = from; t <= until && t < end.getTime(); t += 86_400_000) {
      if (rng.next() < perDay) {
        evMembers.push(d.member.externalRef);
        evAt.push(
          new Date(t + Math.floor(rng.next() * 14) * 3_600_000 + 7 * 3_600_000).toISOString(),
        );
      }
    }
  }
  await ctx.db.query(
    `INSERT INTO engagement_events (member_id, kind, at)
     SELECT m.id, 'app-open', t.a::timestamptz FROM unnest($1::text[], $2::text[]) AS t(r, a) JOIN members m ON m.external_ref = t.r`,
    [evMembers, evAt],
  );

  const logins = await createDemoUsers(ctx.db, refs);
  let loginsFile: string | null = null;
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    loginsFile = join(opts.dataDir, 'demo-logins.json');
    writeFileSync(loginsFile, JSON.stringify(logins, null, 2) + '\n', { mode: 0o600 });
    chmodSync(loginsFile, 0o600);
  }
  return { members: population.length, observations, logins, loginsFile };
}

async function createDemoUsers(db: Db, refs: readonly string[]): Promise<DemoLogin[]> {
  const { rows } = await db.query<{ id: string; external_ref: string; name: string }>(
    `SELECT id::text AS id, external_ref, name FROM members WHERE external_ref = ANY($1::text[]) ORDER BY external_ref`,
    [refs],
  );
  const users: {
    username: string;
    name: string;
    roles: string[];
    memberId: string | null;
    note: string;
  }[] = [
    {
      username: 'admin',
      name: '系统管理员 Admin',
      roles: ['admin'],
      memberId: null,
      note: 'everything, audited',
    },
    {
      username: 'operator',
      name: '运营 Operator',
      roles: ['operator'],
      memberId: null,
      note: 'programs and metrics, no individual records',
    },
    {
      username: 'manager',
      name: '王健康 (health manager)',
      roles: ['manager'],
      memberId: null,
      note: 'caseload: the odd-numbered demo members',
    },
    {
      username: 'manager2',
      name: '李管理 (health manager)',
      roles: ['manager'],
      memberId: null,
      note: 'caseload: the even-numbered demo members',
    },
    {
      username: 'doctor',
      name: '张医生 (doctor)',
      roles: ['doctor'],
      memberId: null,
      note: 'the first 60 demo members',
    },
  ];
  for (const [i, m] of rows.slice(0, 3).entries()) {
    users.push({
      username: `member${i + 1}`,
      name: m.name,
      roles: ['member'],
      memberId: m.id,
      note: `the member ${m.name} (${m.external_ref})`,
    });
  }
  const logins: DemoLogin[] = [];
  const ids = new Map<string, string>();
  for (const u of users) {
    const password = newPassword();
    const r = await db.query<{ id: string }>(
      `INSERT INTO users (username, password_hash, display_name, roles, member_id) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`,
      [u.username, await hashPassword(password), u.name, u.roles, u.memberId],
    );
    ids.set(u.username, r.rows[0]!.id);
    logins.push({ username: u.username, password, role: u.roles[0]!, note: u.note });
  }
  const assignMembers: string[] = [];
  const assignUsers: string[] = [];
  const assignRoles: string[] = [];
  rows.forEach((m, i) => {
    assignMembers.push(m.id);
    assignUsers.push(ids.get(i % 2 === 0 ? 'manager' : 'manager2')!);
    assignRoles.push('manager');
    if (i < 60) {
      assignMembers.push(m.id);
      assignUsers.push(ids.get('doctor')!);
      assignRoles.push('doctor');
    }
  });
  await db.query(
    `INSERT INTO care_assignments (member_id, user_id, role) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`,
    [assignMembers, assignUsers, assignRoles],
  );
  return logins;
}
