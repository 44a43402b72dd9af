import { mkdirSync } from 'node:fs';
import type { Db } from './Db.ts';
import { PgliteDb } from './pgliteDb.ts';
import { PostgresDb } from './postgresDb.ts';

/** DATABASE_URL selects a PostgreSQL server; otherwise embedded PGlite stores its data in dataDir. */
export async function openDb(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<Db> {
  if (opts.databaseUrl) return PostgresDb.open(opts.databaseUrl);
  mkdirSync(opts.dataDir, { recursive: true });
  return PgliteDb.open(opts.dataDir);
}
