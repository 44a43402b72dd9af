import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoPopulation, type IngestItemResult } from '@careloop/core';
import { ingestItems, loadFacts, ManualClock } from '@careloop/server';
import { openTestDb, type TestDb } from '../../../server/src/testing/testDb.ts';
import { rebuildAll } from './profile.ts';

describe('careloop profile rebuild', () => {
  let t: TestDb;
  const now = new Date('2026-03-01T04:00:00Z');
  beforeAll(async () => {
    t = await openTestDb();
    const population = generateDemoPopulation({
      seed: 3,
      members: 6,
      start: new Date('2025-09-01T00:00:00Z'),
      end: new Date('2026-03-01T00:00:00Z'),
    });
    const items: IngestItemResult[] = population.flatMap((d) => [
      {
        ok: true,
        ref: d.member.externalRef,
        record: { kind: 'member', value: d.member },
      } as IngestItemResult,
      ...d.conditions.map(
        (c) =>
          ({ ok: true, ref: 'c', record: { kind: 'condition', value: c } }) as IngestItemResult,
      ),
      ...d.observations.map(
        (o) =>
          ({ ok: true, ref: 'o', record: { kind: 'observation', value: o } }) as IngestItemResult,
      ),
    ]);
    await ingestItems({ db: t.db, clock: new ManualClock(now) }, items);
  });
  afterAll(async () => t?.close());

  it('finds nothing to change right after an incremental ingest (incremental == from scratch)', async () => {
    const r = await rebuildAll(t.db, now);
    expect(r.members).toBe(6);
    expect(r.changedMembers).toBe(0);
  });

  it('repairs a fact that drifted and reports it', async () => {
    const { rows } = await t.db.query<{ member_id: string }>(
      `SELECT member_id::text AS member_id FROM profile_facts WHERE key = 'latest.sbp' LIMIT 1`,
    );
    const memberId = rows[0]!.member_id;
    const before = (await loadFacts(t.db, memberId)).find((f) => f.key === 'latest.sbp')!;
    await t.db.query(
      `UPDATE profile_facts SET value = '999'::jsonb WHERE member_id = $1 AND key = 'latest.sbp'`,
      [memberId],
    );
    const r = await rebuildAll(t.db, now);
    expect(r.changedMembers).toBe(1);
    expect(r.changes.latest).toBe(1);
    const after = (await loadFacts(t.db, memberId)).find((f) => f.key === 'latest.sbp')!;
    expect(after.value).toBe(before.value);
  });
});
