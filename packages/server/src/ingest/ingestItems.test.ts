import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFhirBundle } from '@careloop/core';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { bpPanel, bundle, glucoseMgDl, patient } from '../testing/fixtures.ts';
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

  /** A member's facts as stored, with evidence reduced to what does not depend on row ids. */
  const factsOf = async (ref: string) =>
    (
      await t.db.query<Record<string, unknown>>(
        `SELECT f.key, f.kind, f.value, f.value IS NULL AS sql_null, f.unit, f.rule_id, f.citation,
                f.label::text AS label,
                (SELECT json_agg(json_build_object('code', e ->> 'code', 'value', e -> 'value',
                   'at', e ->> 'effectiveAt')) FROM json_array_elements(f.evidence) e)::text AS evidence
           FROM profile_facts f JOIN members m ON m.id = f.member_id
          WHERE m.external_ref = $1 ORDER BY f.key`,
        [ref],
      )
    ).rows;
  const readings = (patientId: string) => [
    bpPanel(`${patientId}-1`, patientId, '2026-03-01T08:00:00+08:00', 168, 104),
    bpPanel(`${patientId}-2`, patientId, '2026-03-02T08:00:00+08:00', 158, 96),
    glucoseMgDl(`${patientId}-3`, patientId, '2026-03-02T07:00:00+08:00', 110),
  ];

  it("loads a new member's first facts with COPY, exactly the rows the upsert writes", async () => {
    const viaCopy = parseFhirBundle(
      bundle('transaction', [patient('fc1', 'C'), ...readings('fc1')]),
    ).items;
    await ingestItems({ db: t.db, clock: systemClock }, viaCopy);
    // The same readings for another new member, through the INSERT path (the failed first COPY).
    const db = failingFirstCopy(t.db);
    const viaUpsert = parseFhirBundle(
      bundle('transaction', [patient('fc2', 'C'), ...readings('fc2')]),
    ).items;
    await ingestItems({ db, clock: systemClock }, viaUpsert);
    expect(db.copies).toBe(1);
    const copied = await factsOf('fc1');
    expect(copied.map((f) => f.key)).toEqual(
      expect.arrayContaining(['bp.class', 'latest.sbp', 'latest.glucose', 'score.china_par']),
    );
    expect(copied.find((f) => f.key === 'bp.class')).toMatchObject({
      value: expect.stringMatching(/^grade-/) as unknown,
      rule_id: 'cn-htn-2018/bp-class',
      citation: expect.stringContaining('2018'),
    });
    expect(copied).toEqual(await factsOf('fc2'));
  });

  it('falls back to the upsert when a member without a profile state already has fact rows', async () => {
    await ingestItems(
      { db: t.db, clock: systemClock },
      parseFhirBundle(bundle('transaction', [patient('stray', 'S')])).items,
    );
    // A fact row no profile state accounts for (written around this module).
    await t.db.query(
      `INSERT INTO profile_facts (member_id, key, kind, value, rule_id, evidence)
       SELECT id, 'latest.sbp', 'value', '99', NULL, '[]' FROM members WHERE external_ref = 'stray'`,
    );
    const known = readings('stray');
    for (const e of known) e.resource.subject = { reference: 'Patient/stray' };
    const items = parseFhirBundle(bundle('batch', known)).items;
    const r = await ingestItems({ db: t.db, clock: systemClock }, items);
    expect(r.accepted.observations).toBe(5);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM observations o JOIN members m ON m.id = o.member_id WHERE m.external_ref = 'stray'`,
      ),
    ).toBe(5);
    const latest = (await factsOf('stray')).find((f) => f.key === 'latest.sbp');
    expect(latest).toMatchObject({ value: 158 });
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
