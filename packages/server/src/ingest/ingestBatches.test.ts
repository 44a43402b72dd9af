import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFhirBundle } from '@careloop/core';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { bpPanel, bundle, patient } from '../testing/fixtures.ts';
import { systemClock } from '../clock.ts';
import { loadFacts } from '../storage/profileStore.ts';
import { ingestBatches } from './ingestBatches.ts';
import { ingestItems } from './ingestItems.ts';

const batch = (b: unknown) => ({ items: parseFhirBundle(b).items, opts: { atomic: true } });

describe('ingestBatches: several transactions in flight, each still all-or-nothing', () => {
  let t: TestDb;
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => t?.close());

  it('stores every good bundle, rolls back the bad one alone, and reports in input order', async () => {
    const bundles = [
      bundle('transaction', [
        patient('b1', 'A'),
        bpPanel('b1o1', 'b1', '2026-03-01T08:00:00+08:00', 132, 84),
      ]),
      bundle('transaction', [
        patient('b2', 'B'),
        bpPanel('b2o1', 'b2', '2026-03-01T08:00:00+08:00', 900, 84),
      ]),
      bundle('transaction', [
        patient('b3', 'C'),
        bpPanel('b3o1', 'b3', '2026-03-01T08:00:00+08:00', 128, 80),
      ]),
      bundle('transaction', [
        patient('b4', 'D'),
        bpPanel('b4o1', 'b4', '2026-03-01T08:00:00+08:00', 150, 95),
      ]),
    ];
    const seen: number[] = [];
    const reports = await ingestBatches({ db: t.db, clock: systemClock }, bundles.map(batch), {
      concurrency: 3,
      onReport: (_, i) => seen.push(i),
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(reports.map((r) => [r.rolledBack, r.accepted.observations])).toEqual([
      [false, 2],
      [true, 0],
      [false, 2],
      [false, 2],
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM members WHERE external_ref LIKE 'b%'`)).toBe(
      3,
    );
    // A BP panel's halves are stored together: 3 panels → 3 systolic + 3 diastolic, one panel key each.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM (SELECT panel_key FROM observations GROUP BY panel_key HAVING count(*) = 2) p`,
      ),
    ).toBe(3);

    const again = await ingestBatches({ db: t.db, clock: systemClock }, bundles.map(batch), {
      concurrency: 3,
    });
    expect(again.map((r) => r.accepted.observations)).toEqual([0, 0, 0, 0]);
    expect(again[0]!.duplicates).toBe(3); // the member and both halves
  });

  it("applies one member's bundles in order and folds every one into the profile", async () => {
    // Eight bundles for one member, each with one reading: if two ran at once from the same stored
    // state, the later write would drop the other's reading from the profile.
    const bundles = Array.from({ length: 8 }, (_, i) =>
      bundle('transaction', [
        patient('same', 'E'),
        bpPanel(`s${i}`, 'same', `2026-03-0${i + 1}T08:00:00+08:00`, 120 + i, 80),
      ]),
    );
    const reports = await ingestBatches({ db: t.db, clock: systemClock }, bundles.map(batch), {
      concurrency: 4,
    });
    expect(reports.every((r) => !r.rolledBack && r.accepted.observations === 2)).toBe(true);
    const { rows } = await t.db.query<{ id: string; n: number }>(
      `SELECT m.id::text AS id, (s.state -> 'indicators' -> 'sbp' ->> 'n')::int AS n
         FROM members m JOIN profile_states s ON s.member_id = m.id WHERE m.external_ref = 'same'`,
    );
    expect(rows[0]!.n).toBe(8);
    const latest = (await loadFacts(t.db, rows[0]!.id)).find((f) => f.key === 'latest.sbp');
    expect(latest?.value).toBe(127); // the last bundle's reading (8 March, 127 mmHg)
  });

  it('keeps concurrent writers to one member from losing each other’s profile updates', async () => {
    // Not through ingestBatches: two independent callers (two HTTP requests, say) at the same time.
    await ingestItems(
      { db: t.db, clock: systemClock },
      parseFhirBundle(bundle('transaction', [patient('race', 'F')])).items,
    );
    const panel = (i: number) => {
      const e = bpPanel(`r${i}`, 'race', `2026-04-0${i + 1}T08:00:00+08:00`, 130, 85);
      e.resource.subject = { reference: 'Patient/race' }; // the Patient is already stored
      return e;
    };
    const one = (i: number) =>
      ingestItems(
        { db: t.db, clock: systemClock },
        parseFhirBundle(bundle('transaction', [panel(i)])).items,
      );
    await Promise.all([0, 1, 2, 3, 4, 5].map(one));
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT (s.state -> 'indicators' -> 'sbp' ->> 'n')::int AS n
         FROM members m JOIN profile_states s ON s.member_id = m.id WHERE m.external_ref = 'race'`,
    );
    expect(rows[0]!.n).toBe(6);
  });
});
