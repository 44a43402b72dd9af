import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../server/src/testing/testDb.ts';
import { bpPanel, bundle, patient } from '../../../server/src/testing/fixtures.ts';
import { importFiles, type FileResult } from './import.ts';

describe('careloop import: a folder of mixed files', () => {
  let t: TestDb;
  let dir: string;
  const files: string[] = [];
  const put = (name: string, content: string) => {
    const f = join(dir, name);
    writeFileSync(f, content);
    files.push(f);
  };

  beforeAll(async () => {
    t = await openTestDb();
    dir = mkdtempSync(join(tmpdir(), 'careloop-import-'));
    put(
      'a.json',
      JSON.stringify(
        bundle('transaction', [
          patient('ia', 'A'),
          bpPanel('ia1', 'ia', '2026-02-01T08:00:00+08:00', 131, 83),
        ]),
      ),
    );
    put('b.json', '');
    put('c.json', '{"resourceType": "Bundle", "type": "transaction", "entry": [');
    put('d.json', JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: 'x' }));
    put(
      'e.json',
      JSON.stringify(
        bundle('transaction', [
          patient('ie', 'E'),
          bpPanel('ie1', 'ie', '2026-02-01T08:00:00+08:00', 900, 83),
        ]),
      ),
    );
    put(
      'f.json',
      JSON.stringify(
        bundle('transaction', [
          patient('ia', 'A'),
          bpPanel('if1', 'ia', '2026-02-02T08:00:00+08:00', 128, 80),
        ]),
      ),
    );
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports every file, in the order given, each with its own outcome', async () => {
    const told: number[] = [];
    const results = await importFiles(t.db, files, { onFile: (_r: FileResult, i) => told.push(i) });
    expect(told).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.file)).toEqual(files);
    const [a, b, c, d, e, f] = results;
    expect(a!.report.accepted).toEqual({
      members: 1,
      observations: 2,
      conditions: 0,
      medications: 0,
    });
    expect(b!.empty).toBe(true);
    expect(c!.error).toMatch(/^not valid JSON/);
    expect(d!.report.rejected[0]!.ref).toBe('Bundle');
    expect(e!.report.rolledBack).toBe(true);
    expect(
      e!.report.rejected.some((r) => /outside the plausible range/.test(r.issues[0]!.message)),
    ).toBe(true);
    // The same Patient again (a duplicate) with a new reading, in the same run as a.json.
    expect(f!.report.accepted.observations).toBe(2);
    expect(f!.report.duplicates).toBe(1);

    const again = await importFiles(t.db, files, {});
    expect(again.map((r) => r.report.accepted.observations)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(again[0]!.report.duplicates).toBe(3);
  });
});
