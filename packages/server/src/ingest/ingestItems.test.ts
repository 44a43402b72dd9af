import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFhirBundle } from '@careloop/core';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { bpPanel, bundle, patient } from '../testing/fixtures.ts';
import { systemClock } from '../clock.ts';
import type { Db, Queryable } from '../db/Db.ts';
import { ingestItems, type ItemOutcome } from './ingestItems.ts';

/** The real database, but the first observation COPY fails as a writer that bypassed the lock would make it. */
function failingFirstCopy(db: Db): Db & { copies: number } {
  const wrapped = {
    kind: db.kind,
    copies: 0,
    query: db.query.bind(db),
    copyFrom: db.copyFrom.bind(db),
    close: db.close.bind(db),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) =>
        fn({
          query: tx.query.bind(tx),
          copyFrom: async (table, columns, text) => {
            if (table === 'observations' && wrapped.copies++ === 0) {
              // What PostgreSQL raises for a key that is already there.
              throw Object.assign(new Error('duplicate key value violates unique constraint'), {
                code: '23505',
                constraint: 'observations_pkey',
              });
            }
            return tx.copyFrom(table, columns, text);
          },
        }),
      );
    },
  };
  return wrapped;
}

describe('ingestItems: the COPY path and its fallback', () => {
  let t: TestDb;
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => t?.close());

  it('stores a key repeated inside one batch once, and one already stored not at all', async () => {
    const first = parseFhirBundle(
      bundle('transaction', [
        patient('dup', 'D'),
        bpPanel('d1', 'dup', '2026-03-01T08:00:00+08:00', 132, 84),
      ]),
    ).items;
    await ingestItems({ db: t.db, clock: systemClock }, first);
    // Known member now (no Patient in the batch): d1 is stored already, d2 comes twice.
    const stored = (id: string, day: string, sbp: number, dbp: number) => {
      const e = bpPanel(id, 'dup', `2026-03-${day}T08:00:00+08:00`, sbp, dbp);
      e.resource.subject = { reference: 'Patient/dup' };
      return e;
    };
    const next = parseFhirBundle(
      bundle('batch', [
        stored('d1', '01', 132, 84),
        stored('d2', '02', 128, 80),
        stored('d2', '02', 128, 80),
      ]),
    ).items;
    const outcomes: [string, ItemOutcome][] = [];
    const r = await ingestItems({ db: t.db, clock: systemClock }, next, {
      onItem: (ref, o) => outcomes.push([ref, o]),
    });
    expect(r.accepted.observations).toBe(2);
    expect(r.duplicates).toBe(4);
    expect(outcomes.filter(([, o]) => o === 'created')).toHaveLength(2);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM observations o JOIN members m ON m.id = o.member_id WHERE m.external_ref = 'dup'`,
      ),
    ).toBe(4);
    // Ids come from the identity sequence: distinct, and the profile's evidence points at them.
    const ids = await t.db.query<{ id: string }>(
      `SELECT o.id::text AS id FROM observations o JOIN members m ON m.id = o.member_id WHERE m.external_ref = 'dup'`,
    );
    expect(new Set(ids.rows.map((x) => x.id)).size).toBe(4);
  });

  it('redoes the batch with INSERT … ON CONFLICT when the COPY meets a stored key, telling each item once', async () => {
    const db = failingFirstCopy(t.db);
    const items = parseFhirBundle(
      bundle('transaction', [
        patient('fb', 'F'),
        bpPanel('f1', 'fb', '2026-03-01T08:00:00+08:00', 141, 91),
        bpPanel('f2', 'fb', '2026-03-02T08:00:00+08:00', 139, 88),
      ]),
    ).items;
    const outcomes: [string, ItemOutcome][] = [];
    const r = await ingestItems({ db, clock: systemClock }, items, {
      atomic: true,
      onItem: (ref, o) => outcomes.push([ref, o]),
    });
    expect(db.copies).toBe(1); // the failed COPY; the retry inserted instead
    expect(r.rolledBack).toBe(false);
    expect(r.accepted).toEqual({ members: 1, observations: 4, conditions: 0, medications: 0 });
    expect(r.duplicates).toBe(0);
    expect(outcomes).toHaveLength(5); // the Patient and four halves, each told once
    expect(new Set(outcomes.map(([ref]) => ref)).size).toBe(5);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM observations o JOIN members m ON m.id = o.member_id WHERE m.external_ref = 'fb'`,
      ),
    ).toBe(4);
    const n = await count(
      `SELECT (s.state::json -> 'indicators' -> 'sbp' ->> 'n')::int AS n
         FROM members m JOIN profile_states s ON s.member_id = m.id WHERE m.external_ref = 'fb'`,
    );
    expect(n).toBe(2);
    // Ids taken in blocks by the COPY path and one by one by INSERT never meet.
    expect(await count(`SELECT (count(*) - count(DISTINCT id))::int AS n FROM observations`)).toBe(
      0,
    );
  });

  it('passes any other database error through untouched', async () => {
    const broken: Db = {
      ...t.db,
      kind: t.db.kind,
      query: t.db.query.bind(t.db),
      copyFrom: t.db.copyFrom.bind(t.db),
      close: async () => undefined,
      transaction: (fn) =>
        t.db.transaction((tx) =>
          fn({
            query: tx.query.bind(tx),
            copyFrom: () =>
              Promise.reject(Object.assign(new Error('disk full'), { code: '53100' })),
          }),
        ),
    };
    const items = parseFhirBundle(
      bundle('transaction', [
        patient('df', 'G'),
        bpPanel('g1', 'df', '2026-03-01T08:00:00+08:00', 120, 80),
      ]),
    ).items;
    await expect(ingestItems({ db: broken, clock: systemClock }, items)).rejects.toThrow(
      'disk full',
    );
    expect(await count(`SELECT count(*)::int AS n FROM members WHERE external_ref = 'df'`)).toBe(0);
  });
});
