import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Db } from '../db/Db.ts';
import { PgliteDb } from '../db/pgliteDb.ts';
import { openScratchSchema } from '../db/scratchSchema.ts';
import { migrate, migrations } from '../db/migrate.ts';

/** The real PostgreSQL server CI provides (trust auth); override with CARELOOP_TEST_DATABASE_URL. */
export const testPostgresUrl =
  process.env.CARELOOP_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. `CARELOOP_TEST_DB=postgres` (the `postgres` vitest
 * project) gives a private schema on the real server, dropped afterwards; otherwise an in-memory
 * PGlite loaded from a migrated snapshot (initdb costs ~4 s; loading the snapshot ~1 s).
 */
export async function openTestDb(): Promise<TestDb> {
  if (process.env.CARELOOP_TEST_DB === 'postgres') {
    const { db, close } = await openScratchSchema(testPostgresUrl, { prefix: 't' });
    return { db, close };
  }
  const snapshot = await migratedSnapshot();
  const db = await PgliteDb.open(undefined, new Blob([snapshot]));
  return { db, close: () => db.close() };
}

export async function migratedSnapshot(): Promise<Uint8Array> {
  const version = createHash('sha256')
    .update(migrations.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), 'careloop-test-snapshots');
  const file = join(dir, `pglite-${version}.tar`);
  if (existsSync(file)) return readFileSync(file);
  const db = await PgliteDb.open();
  await migrate(db);
  const blob = await db.dump();
  await db.close();
  const bytes = new Uint8Array(await blob.arrayBuffer());
  mkdirSync(dir, { recursive: true });
  // Parallel test workers may race to write it: write aside, then rename atomically.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return bytes;
}
