import { randomBytes } from 'node:crypto';
import type { Db } from './Db.ts';
import { migrate } from './migrate.ts';
import { PostgresDb } from './postgresDb.ts';

/**
 * A private, migrated schema on a PostgreSQL server, dropped on close: each test file and each
 * benchmark run gets clean tables without touching anyone else's.
 */
export async function openScratchSchema(
  url: string,
  opts: { prefix?: string; max?: number } = {},
): Promise<{ db: Db; schema: string; close(): Promise<void> }> {
  const schema = `${opts.prefix ?? 'scratch'}_${randomBytes(6).toString('hex')}`;
  const admin = PostgresDb.open(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = PostgresDb.open(url, { searchPath: schema, max: opts.max ?? 4 });
  await migrate(db);
  return {
    db,
    schema,
    async close() {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}
