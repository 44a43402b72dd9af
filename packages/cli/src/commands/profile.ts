import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProfileFact } from '@careloop/core';
import {
  loadFacts,
  migrate,
  openDb,
  rebuildMember,
  writeProfiles,
  type Db,
} from '@careloop/server';
import type { CliCommand, CliIo } from '../io.ts';

const usage = `careloop profile <member id or external ref> [--json]
  Prints the member's live profile: every tag, class, score, stage and summary with its rule,
  citation and evidence (observation ids, values, dates).
careloop profile rebuild [--json]
  Recomputes every member's profile from all stored data (after a rule-version change) and reports
  which facts changed. Database: DATABASE_URL, or ./.careloop/pgdata.
`;

function openFromEnv(io: CliIo): Promise<Db> {
  return openDb({
    databaseUrl: io.env.DATABASE_URL,
    dataDir: resolve(io.cwd, io.env.CARELOOP_DATA_DIR || '.careloop', 'pgdata'),
  });
}

function describeFact(f: ProfileFact): string {
  const value = f.value === null ? '—' : `${String(f.value)}${f.unit ? ` ${f.unit}` : ''}`;
  const label = f.label ? `  ${f.label['zh-CN']} / ${f.label.en}` : '';
  const rule = f.ruleId ? `\n      rule: ${f.ruleId}${f.citation ? ` — ${f.citation}` : ''}` : '';
  const ev = f.evidence.length
    ? `\n      evidence: ${f.evidence
        .slice(0, 5)
        .map(
          (e) =>
            `${e.observationId ? `obs ${e.observationId} ` : ''}${e.code}=${e.value}${e.unit ? ` ${e.unit}` : ''} @ ${e.effectiveAt}`,
        )
        .join('; ')}${f.evidence.length > 5 ? `; … ${f.evidence.length - 5} more` : ''}`
    : '';
  return `  ${f.key.padEnd(28)} ${value}${label}${rule}${ev}`;
}

/** Stable text of a fact: keys sorted, absent and null fields alike (jsonb reorders and drops nothing). */
function canonical(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === 'object') {
      return Object.fromEntries(
        Object.entries(x as Record<string, unknown>)
          .filter(([, y]) => y !== null && y !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, y]) => [k, norm(y)]),
      );
    }
    return x;
  };
  return JSON.stringify(norm(v));
}

/** Rebuilds everyone; returns per-member changes. The comparison is on the fact as a whole. */
export async function rebuildAll(
  db: Db,
  now: Date,
): Promise<{ members: number; changedMembers: number; changes: Record<string, number> }> {
  const { rows } = await db.query<{ id: string }>(`SELECT id::text AS id FROM members ORDER BY id`);
  const changes: Record<string, number> = {};
  let changedMembers = 0;
  for (const { id } of rows) {
    await db.transaction(async (tx) => {
      const before = new Map((await loadFacts(tx, id)).map((f) => [f.key, canonical(f)]));
      const m = await tx.query<Record<string, unknown>>(
        `SELECT id::text AS id, external_ref, name, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, time_zone, locale,
                channel_preferences, consents, quiet_hours, created_at, last_interaction_at FROM members WHERE id = $1`,
        [id],
      );
      const update = await rebuildMember(tx, m.rows[0] as never, now);
      const after = new Map(update.facts.map((f) => [f.key, canonical(f)]));
      const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
      const removed = [...before.keys()].filter((k) => !after.has(k));
      for (const k of [...changed, ...removed]) {
        const family = k.split('.')[0] ?? k;
        changes[family] = (changes[family] ?? 0) + 1;
      }
      if (changed.length + removed.length > 0) changedMembers++;
      await writeProfiles(
        tx,
        [{ ...update, memberId: id, changedKeys: changed, removedKeys: removed }],
        now,
      );
    });
  }
  return { members: rows.length, changedMembers, changes };
}

export const run: CliCommand = async (argv, io) => {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    io.stderr(`careloop profile: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (args.values.help) {
    io.stdout(usage);
    return 0;
  }
  const [target] = args.positionals;
  if (!target || args.positionals.length > 1) {
    io.stderr(`careloop profile: give one member, or 'rebuild'\n${usage}`);
    return 2;
  }
  const db = await openFromEnv(io);
  try {
    await migrate(db);
    if (target === 'rebuild') {
      const r = await rebuildAll(db, new Date());
      if (args.values.json) io.stdout(JSON.stringify(r, null, 2) + '\n');
      else {
        io.stdout(`rebuilt ${r.members} member profiles; ${r.changedMembers} changed\n`);
        for (const [family, n] of Object.entries(r.changes).sort((a, b) => b[1] - a[1]))
          io.stdout(`  ${family.padEnd(12)} ${n} facts changed\n`);
      }
      return 0;
    }
    const { rows } = await db.query<{ id: string; name: string; external_ref: string }>(
      `SELECT id::text AS id, name, external_ref FROM members WHERE id::text = $1 OR external_ref = $1`,
      [target],
    );
    const m = rows[0];
    if (!m) {
      io.stderr(`careloop profile: no member '${target}'\n`);
      return 1;
    }
    // The CLI reads health data with operator access to the database: audit it like any read.
    await db.query(
      `INSERT INTO audit_log (at, actor_roles, action, member_id, resource, outcome, reason) VALUES (now(), ARRAY['cli'], 'read:profile', $1, $2, 'permitted', 'careloop profile (database access)')`,
      [m.id, `member/${m.id}`],
    );
    const facts = await loadFacts(db, m.id);
    if (args.values.json) io.stdout(JSON.stringify({ member: m, facts }, null, 2) + '\n');
    else {
      io.stdout(`${m.name} (${m.external_ref}, ${m.id}): ${facts.length} facts\n`);
      for (const f of facts) io.stdout(describeFact(f) + '\n');
    }
    return 0;
  } finally {
    await db.close();
  }
};
