import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import { openTestDb, type TestDb } from '../../../server/src/testing/testDb.ts';
import type { CliIo } from '../io.ts';
import { importFiles, printSummary, run } from './import.ts';

const capture = (cwd: string, env: Record<string, string> = {}) => {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd, env };
  return { io, out: () => out, err: () => err };
};

describe('careloop import on real outside data', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => t?.close());

  it('imports all 40 Synthea bundles with a summary; every BP panel becomes mmHg halves; a second import adds nothing', async () => {
    const dir = sharedData('synthea-r4');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json') || f.endsWith('.json"'))
      .map((f) => join(dir, f));
    expect(files.length).toBe(40);
    const first = await importFiles(t.db, files, {});
    expect(first.filter((r) => r.error)).toEqual([]);
    const c = capture('/');
    const total = printSummary(c.io, first, 5);
    expect(total.rejected).toEqual([]);
    expect(total.accepted.members).toBe(38); // two of the 40 files are empty (0 bytes)
    expect(first.filter((r) => r.empty)).toHaveLength(2);
    expect(c.out()).toMatch(/accepted: +38 members, \d+ observations/);

    // Count BP panels independently of the importer: components 8480-6 inside Observation resources.
    let panels = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (!text) continue;
      const b = JSON.parse(text) as {
        entry: {
          resource: {
            resourceType: string;
            component?: { code: { coding: { code: string }[] } }[];
          };
        }[];
      };
      for (const e of b.entry) {
        if (
          e.resource.resourceType === 'Observation' &&
          e.resource.component?.some((x) => x.code.coding.some((k) => k.code === '8480-6'))
        )
          panels++;
      }
    }
    expect(panels).toBeGreaterThan(100);
    const halves = await t.db.query<{ indicator: string; n: number; units: string[] }>(
      `SELECT indicator, count(*)::int AS n, array_agg(DISTINCT unit) AS units FROM observations
        WHERE panel_key IS NOT NULL GROUP BY indicator ORDER BY indicator`,
    );
    expect(halves.rows).toEqual([
      { indicator: 'dbp', n: panels, units: ['mm[Hg]'] },
      { indicator: 'sbp', n: panels, units: ['mm[Hg]'] },
    ]);

    const rowsBefore = (
      await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observations`)
    ).rows[0]!.n;
    const second = await importFiles(t.db, files, {});
    const again = second.reduce(
      (a, r) => ({
        obs:
          a.obs +
          r.report.accepted.observations +
          r.report.accepted.members +
          r.report.accepted.conditions +
          r.report.accepted.medications,
        dup: a.dup + r.report.duplicates,
      }),
      { obs: 0, dup: 0 },
    );
    expect(again.obs).toBe(0);
    expect(again.dup).toBe(
      total.accepted.members +
        total.accepted.observations +
        total.accepted.conditions +
        total.accepted.medications,
    );
    expect(
      (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observations`)).rows[0]!.n,
    ).toBe(rowsBefore);
  });

  it('imports the Apple Health export with counts per type', async () => {
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id::text AS id FROM members ORDER BY external_ref LIMIT 1`,
    );
    const file = sharedData('apple-health-export', 'ashtom-hkimport', 'export.xml');
    const [r] = await importFiles(t.db, [file], { member: rows[0]!.id });
    expect(r!.error).toBeUndefined();
    const xml = readFileSync(file, 'utf8');
    // Independent count of top-level step records in the file.
    const steps = (xml.match(/<Record type="HKQuantityTypeIdentifierStepCount"/g) ?? []).length;
    expect(r!.report.byType.HKQuantityTypeIdentifierStepCount?.accepted).toBe(steps);
    expect(r!.report.byType.HKQuantityTypeIdentifierHeartRate?.accepted).toBeGreaterThan(2000);
    const c = capture('/');
    printSummary(c.io, [r!], 5);
    expect(c.out()).toMatch(/HKQuantityTypeIdentifierStepCount +\d+ \/ 0 \/ 0 \/ 0/);
  });

  it('runs as a command: bad arguments are refused, Open mHealth files need --member', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'careloop-import-'));
    try {
      const c = capture(dir, { CARELOOP_DATA_DIR: join(dir, '.careloop') });
      expect(await run([], c.io)).toBe(2);
      expect(c.err()).toMatch(/give at least one file/);
      const c2 = capture(dir, { CARELOOP_DATA_DIR: join(dir, '.careloop') });
      expect(await run(['does-not-exist.json'], c2.io)).toBe(2);
      expect(c2.err()).toMatch(/no such file/);
      const omh = sharedData('openmhealth-schemas');
      const c3 = capture(dir, { CARELOOP_DATA_DIR: join(dir, '.careloop') });
      const files = readdirSync(join(omh, 'test-data'), { recursive: true })
        .map(String)
        .filter((f) => f.startsWith('omh/blood-pressure/1.0/shouldPass/') && f.endsWith('.json'));
      expect(files.length).toBeGreaterThan(0);
      expect(await run([join(omh, 'test-data', files[0]!)], c3.io)).toBe(1);
      expect(c3.out()).toMatch(/need --member/);
      // With a member and the schema of a bare body, the same file imports.
      const c4 = capture(dir, { CARELOOP_DATA_DIR: join(dir, '.careloop') });
      expect(
        await run(
          [
            join(omh, 'test-data', files[0]!),
            '--member',
            'demo-x',
            '--schema',
            'blood-pressure:1.0',
          ],
          c4.io,
        ),
      ).toBe(0);
      expect(c4.out()).toMatch(/rejected: +2\b/); // systolic and diastolic: no member demo-x exists, each rejected and named
      expect(c4.out()).toMatch(/member 'demo-x' is not known/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
