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
      `SELECT m.id::text AS id, (s.state::json -> 'indicators' -> 'sbp' ->> 'n')::int AS n
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
      `SELECT (s.state::json -> 'indicators' -> 'sbp' ->> 'n')::int AS n
         FROM members m JOIN profile_states s ON s.member_id = m.id WHERE m.external_ref = 'race'`,
    );
    expect(rows[0]!.n).toBe(6);
  });

  it('shares one transaction between batches yet reports each alone, as if applied in order', async () => {
    const panel = (id: string, member: string, day: string, sbp: number, dbp: number) => {
      const e = bpPanel(id, member, `2026-05-${day}T08:00:00+08:00`, sbp, dbp);
      e.resource.subject = { reference: `Patient/${member}` };
      return e;
    };
    const told: string[][] = [[], [], [], []];
    const bundles = [
      // 0: a new member and a reading.
      bundle('transaction', [patient('g1', 'G'), panel('g1a', 'g1', '01', 130, 80)]),
      // 1: the same member again, with the same reading and a new one.
      bundle('transaction', [
        patient('g1', 'G2'),
        panel('g1a', 'g1', '01', 130, 80),
        panel('g1b', 'g1', '02', 150, 95),
      ]),
      // 2: a reading for a member nobody has sent: the whole bundle rolls back…
      bundle('transaction', [patient('g2', 'H'), panel('g2a', 'nobody', '01', 120, 80)]),
      // 3: …and the bundle after it is stored all the same.
      bundle('transaction', [patient('g3', 'I'), panel('g3a', 'g3', '01', 122, 78)]),
    ];
    const reports = await ingestBatches(
      { db: t.db, clock: systemClock },
      bundles.map((b, i) => ({
        ...batch(b),
        opts: { atomic: true, onItem: (ref: string, o: string) => told[i]!.push(`${ref}:${o}`) },
      })),
      { concurrency: 1, groupItems: 1_000 },
    );
    expect(
      reports.map((r) => [r.rolledBack, r.accepted.members, r.accepted.observations, r.duplicates]),
    ).toEqual([
      [false, 1, 2, 0],
      [false, 0, 2, 3], // the Patient and both halves of g1a were there already
      [true, 0, 0, 0],
      [false, 1, 2, 0],
    ]);
    expect(reports[2]!.rejected.map((r) => r.issues[0]!.message)).toEqual([
      "member 'nobody' is not known: send the Patient first or in the same bundle",
      "member 'nobody' is not known: send the Patient first or in the same bundle",
    ]);
    expect(told[1]!.filter((x) => x.endsWith(':created'))).toHaveLength(2);
    expect(told[3]).toHaveLength(3);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM members WHERE external_ref IN ('g1', 'g2', 'g3')`,
      ),
    ).toBe(2);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM members WHERE external_ref = 'g1' AND name = 'G2'`,
      ),
    ).toBe(1);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT (s.state::json -> 'indicators' -> 'sbp' ->> 'n')::int AS n
         FROM members m JOIN profile_states s ON s.member_id = m.id WHERE m.external_ref = 'g1'`,
    );
    expect(rows[0]!.n).toBe(2);
    expect(reports[0]!.memberIds).toEqual(reports[1]!.memberIds);
  });

  it('commits a group of good batches once, and each batch alone when groupItems is 1', async () => {
    let transactions = 0;
    const counting = {
      ...t.db,
      kind: t.db.kind,
      query: t.db.query.bind(t.db),
      copyFrom: t.db.copyFrom.bind(t.db),
      close: async () => undefined,
      transaction: <T>(fn: Parameters<typeof t.db.transaction<T>>[0]) => {
        transactions++;
        return t.db.transaction(fn);
      },
    };
    const three = (tag: string) =>
      [1, 2, 3].map((i) =>
        batch(
          bundle('transaction', [
            patient(`${tag}${i}`, 'K'),
            bpPanel(`${tag}${i}o`, `${tag}${i}`, '2026-06-01T08:00:00+08:00', 125, 82),
          ]),
        ),
      );
    const grouped = await ingestBatches({ db: counting, clock: systemClock }, three('tg'));
    expect(transactions).toBe(1);
    expect(grouped.map((r) => r.accepted.observations)).toEqual([2, 2, 2]);
    transactions = 0;
    const alone = await ingestBatches({ db: counting, clock: systemClock }, three('ta'), {
      groupItems: 1,
    });
    expect(transactions).toBe(3);
    expect(alone.map((r) => r.accepted.observations)).toEqual([2, 2, 2]);
  });
});
