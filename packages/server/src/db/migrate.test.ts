import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { migrate, migrations } from './migrate.ts';

describe('migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => t?.close());

  it('are all applied, and applying them again changes nothing', async () => {
    const { rows } = await t.db.query<{ v: number }>(
      `SELECT max(version)::int AS v FROM schema_migrations`,
    );
    expect(rows[0]!.v).toBe(migrations.at(-1)!.version);
    expect(await migrate(t.db)).toEqual([]);
  });

  it('0010: profile states are text, compressed with lz4 where the server has it, without foreign keys', async () => {
    const { rows: types } = await t.db.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = 'profile_states'::regclass AND attname = 'state'`,
    );
    expect(types).toEqual([{ type: 'text' }]);
    // Whether this server can use lz4 at all, asked the same way the migration does.
    const lz4 = await t.db
      .transaction(async (tx) => {
        await tx.query(`CREATE TEMP TABLE lz4_probe (x text COMPRESSION lz4)`);
        throw new Error('roll back the probe');
      })
      .catch((err: Error) => err.message === 'roll back the probe');
    const { rows: compression } = await t.db.query<{ name: string; c: string }>(
      `SELECT attname AS name, attcompression::text AS c FROM pg_attribute
        WHERE (attrelid = 'profile_states'::regclass AND attname = 'state')
           OR (attrelid = 'profile_facts'::regclass AND attname = 'evidence')
        ORDER BY attname`,
    );
    const expected = lz4 ? 'l' : '';
    expect(compression).toEqual([
      { name: 'evidence', c: expected },
      { name: 'state', c: expected },
    ]);
    const { rows: fks } = await t.db.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint
        WHERE contype = 'f' AND conrelid IN ('profile_states'::regclass, 'profile_facts'::regclass)`,
    );
    expect(fks).toEqual([]);
  });

  it('0011: observation keys and codes compare bytewise (COLLATE "C"), and still find their rows', async () => {
    const { rows } = await t.db.query<{ name: string; collation: string }>(
      `SELECT a.attname AS name, c.collname AS collation FROM pg_attribute a
         JOIN pg_collation c ON c.oid = a.attcollation
        WHERE a.attrelid = 'observations'::regclass AND a.attname IN ('idempotency_key', 'code')
        ORDER BY a.attname`,
    );
    expect(rows).toEqual([
      { name: 'code', collation: 'C' },
      { name: 'idempotency_key', collation: 'C' },
    ]);
    // Compared with a parameter or a column of the default collation, as the queries do.
    const { rows: plan } = await t.db.query<{ ok: boolean }>(
      `SELECT count(*) = 0 AS ok FROM observations o JOIN conditions c ON c.code = o.code
        WHERE o.idempotency_key = $1 AND o.code = ANY($2::text[])`,
      ['fhir:Observation/x:8480-6', ['8480-6']],
    );
    expect(plan).toEqual([{ ok: true }]);
  });
});
