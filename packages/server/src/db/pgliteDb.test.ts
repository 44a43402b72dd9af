import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedSnapshot } from '../testing/testDb.ts';
import { CopyBinaryWriter } from './copyBinary.ts';
import { PgliteDb } from './pgliteDb.ts';

// The two places PGlite can run (decision 0008) must behave alike: results, transactions, COPY in
// both formats, LISTEN, and errors that keep PostgreSQL's fields (the ingest fallback reads them).
describe.each(['worker', 'main'] as const)('PgliteDb on the %s thread', (thread) => {
  let db: PgliteDb;
  beforeAll(async () => {
    db = await PgliteDb.open(undefined, new Blob([await migratedSnapshot()]), { thread });
    await db.query(`CREATE TABLE probe (k text PRIMARY KEY, n int8, at timestamptz)`);
  });
  afterAll(async () => db?.close());

  it('answers queries with parsed values and rolls a failed transaction back', async () => {
    const { rows } = await db.query<{ n: number; at: Date; j: { a: number[] } }>(
      `SELECT 2::int AS n, '2026-03-01T00:00:00Z'::timestamptz AS at, '{"a":[1,2]}'::json AS j`,
    );
    expect(rows[0]!.n).toBe(2);
    expect(new Date(rows[0]!.at).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(rows[0]!.j).toEqual({ a: [1, 2] });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO probe (k, n) VALUES ('rolled-back', 1)`);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    const { rows: left } = await db.query(`SELECT 1 FROM probe WHERE k = 'rolled-back'`);
    expect(left).toHaveLength(0);
  });

  it('loads text and binary COPY, and reports a key violation with its code and constraint', async () => {
    expect(await db.copyFrom('probe', ['k', 'n'], 'a\t1\nb\t\\N\n')).toBe(2);
    const w = new CopyBinaryWriter();
    w.row(3).text('c').int8(3).timestamptz('2026-03-01T08:00:00+08:00');
    expect(await db.transaction((tx) => tx.copyFrom('probe', ['k', 'n', 'at'], w.finish()))).toBe(
      1,
    );
    const { rows } = await db.query<{ k: string; n: string | number | null }>(
      `SELECT k, n FROM probe WHERE k IN ('a', 'b', 'c') ORDER BY k`,
    );
    expect(rows.map((r) => [r.k, r.n === null ? null : Number(r.n)])).toEqual([
      ['a', 1],
      ['b', null],
      ['c', 3],
    ]);
    const err = await db.copyFrom('probe', ['k', 'n'], 'a\t9\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'probe_pkey' });
  });

  it('delivers NOTIFY payloads to a listener until it stops', async () => {
    const got: string[] = [];
    const stop = await db.listen('probe_channel', (p) => got.push(p));
    await db.query(`SELECT pg_notify('probe_channel', 'one')`);
    await new Promise((r) => setTimeout(r, 50));
    await stop();
    await db.query(`SELECT pg_notify('probe_channel', 'two')`);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['one']);
  });
});
