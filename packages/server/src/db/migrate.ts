import type { Db } from './Db.ts';
import init from './migrations/0001_init.ts';
import ingestPath from './migrations/0002_ingest_path.ts';
import checkupReports from './migrations/0003_checkup_reports.ts';
import channels from './migrations/0004_channels.ts';
import habit from './migrations/0005_habit.ts';
import scheduler from './migrations/0006_scheduler.ts';
import bestSendHour from './migrations/0007_best_send_hour.ts';
import observationKey from './migrations/0008_observation_key.ts';
import profileJson from './migrations/0009_profile_json.ts';
import profileWrites from './migrations/0010_profile_writes.ts';
import observationKeyCollation from './migrations/0011_observation_key_collation.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Ordered, append-only. A released migration is never edited: add a new one. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: init },
  { version: 2, name: 'ingest_path', sql: ingestPath },
  { version: 3, name: 'checkup_reports', sql: checkupReports },
  { version: 4, name: 'channels', sql: channels },
  { version: 5, name: 'habit', sql: habit },
  { version: 6, name: 'scheduler', sql: scheduler },
  { version: 7, name: 'best_send_hour', sql: bestSendHour },
  { version: 8, name: 'observation_key', sql: observationKey },
  { version: 9, name: 'profile_json', sql: profileJson },
  { version: 10, name: 'profile_writes', sql: profileWrites },
  { version: 11, name: 'observation_key_collation', sql: observationKeyCollation },
];

// Any constant works: it only serialises concurrent migrators on one PostgreSQL server.
const MIGRATION_LOCK = 7_172_026;

/** Applies pending migrations, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'postgres')
        await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        m.version,
      ]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** `;` at a line end separates statements: a DO block keeps its inner statements on one line. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
