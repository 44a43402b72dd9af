import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { CopyBinaryWriter, instantMicros } from './copyBinary.ts';

describe('binary COPY', () => {
  it('reads ISO 8601 instants to the microsecond, in any offset', () => {
    expect(instantMicros('2026-03-01T00:00:00.000Z')).toBe(
      Date.parse('2026-03-01T00:00:00Z') * 1000,
    );
    expect(instantMicros('2026-03-01T08:00:00+08:00')).toBe(
      Date.parse('2026-03-01T00:00:00Z') * 1000,
    );
    expect(instantMicros('2026-03-01T00:00:00.123456Z') % 1_000_000).toBe(123_456);
    expect(instantMicros('2026-03-01T00:00:00.1234567Z') % 1_000_000).toBe(123_456); // PostgreSQL keeps 6 digits
    expect(instantMicros('1969-12-31T23:59:59.5Z')).toBe(-500_000);
    expect(() => instantMicros('yesterday')).toThrow(/ISO 8601/);
  });

  it('refuses values the format cannot carry', () => {
    const w = new CopyBinaryWriter();
    expect(() => w.uuid('not-a-uuid')).toThrow(/uuid/);
    expect(() => w.float8(Number.NaN)).toThrow(/NaN/);
    expect(() => w.int8('12345678901234567890')).toThrow(/int8/);
  });

  describe('round trip through the database', () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb();
      await t.db.query(
        `CREATE TABLE copy_bin (n int8, m uuid, s text, v float8, at timestamptz, note text)`,
      );
    });
    afterAll(async () => t?.close());

    it('stores ids, uuids, text, numbers, instants and NULLs exactly, growing its buffer as it goes', async () => {
      const rows = [
        [
          '9007199254740991',
          '83e9eac5-e3bc-4eeb-8f2b-c7a3cd8df168',
          '血压 tab\tnew\nline \\ "q"',
          -0.1,
          '2026-03-01T08:00:00+08:00',
        ],
        ['1', '00000000-0000-0000-0000-000000000000', '', 7.25, '1969-12-31T23:59:59.123456Z'],
        [
          '42',
          'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
          'x'.repeat(5000),
          1e-7,
          '2026-11-24T01:02:03.004Z',
        ],
      ] as const;
      const w = new CopyBinaryWriter(64); // far too small on purpose
      for (const r of rows)
        w.row(6).int8(r[0]).uuid(r[1]).text(r[2]).float8(r[3]).timestamptz(r[4]).text(null);
      w.row(6).int8(7).uuid(rows[0][1]).null().float8(null).timestamptz(null).text('last');
      const n = await t.db.transaction((tx) =>
        tx.copyFrom('copy_bin', ['n', 'm', 's', 'v', 'at', 'note'], w.finish()),
      );
      expect(n).toBe(4);
      const { rows: back } = await t.db.query<{
        n: string;
        m: string;
        s: string | null;
        v: number | null;
        at: string | null;
        note: string | null;
      }>(
        `SELECT n::text AS n, m::text AS m, s, v,
                to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, note
           FROM copy_bin ORDER BY n::int8`,
      );
      expect(back).toEqual([
        { n: '1', m: rows[1][1], s: '', v: 7.25, at: '1969-12-31T23:59:59.123456', note: null },
        { n: '7', m: rows[0][1], s: null, v: null, at: null, note: 'last' },
        {
          n: '42',
          m: rows[2][1].toLowerCase(),
          s: rows[2][2],
          v: 1e-7,
          at: '2026-11-24T01:02:03.004000',
          note: null,
        },
        {
          n: '9007199254740991',
          m: rows[0][1],
          s: rows[0][2],
          v: -0.1,
          at: '2026-03-01T00:00:00.000000',
          note: null,
        },
      ]);
    });

    it('writes repeated labels, non-ASCII ones, NULLs and values past its cache exactly as text', async () => {
      await t.db.query(`DELETE FROM copy_bin`);
      const citation = '《中国高血压防治指南（2018年修订版）》 (2018), 3.1: blood-pressure levels';
      const labels = ['mmol/L', '毫摩尔/升', 'mm[Hg]', null, 'mmol/L', citation, citation];
      labels.push('x'.repeat(257), 'x'.repeat(257)); // longer than the cache keeps
      // 600 distinct values overflow the 512-entry cache; the later ones go through text().
      for (let i = 0; i < 600; i++) labels.push(`code-${i}`, 'mmol/L');
      const w = new CopyBinaryWriter(64);
      labels.forEach((l, i) => w.row(2).int8(i).label(l));
      await t.db.transaction((tx) => tx.copyFrom('copy_bin', ['n', 's'], w.finish()));
      const { rows: back } = await t.db.query<{ s: string | null }>(
        `SELECT s FROM copy_bin ORDER BY n`,
      );
      expect(back.map((r) => r.s)).toEqual(labels);
    });

    it('writes text with an ASCII start and a non-ASCII rest, and json and jsonb from their text', async () => {
      await t.db.query(`CREATE TABLE copy_json (n int8, s text, j json, b jsonb, long text)`);
      const rows = [
        ['key-血压-end', '{"zh-CN":"血压","en":"BP"}', '[1, {"a": null}]'],
        ['abc\u00e9\u{1F600}', '[]', 'null'],
        ['', 'null', '"text"'],
      ] as const;
      const long = `${'a'.repeat(40_000)}压`;
      const w = new CopyBinaryWriter(64);
      rows.forEach(([s, j, b], i) => w.row(5).int8(i).text(s).json(j).jsonb(b).text(long));
      w.row(5).int8(9).text(null).json(null).jsonb(null).text(null);
      await t.db.transaction((tx) =>
        tx.copyFrom('copy_json', ['n', 's', 'j', 'b', 'long'], w.finish()),
      );
      const { rows: back } = await t.db.query<{
        s: string | null;
        j: string | null;
        b: unknown;
        long: string | null;
      }>(`SELECT s, j::text AS j, b, long FROM copy_json ORDER BY n`);
      expect(back).toEqual([
        ...rows.map(([s, j, b]) => ({ s, j, b: JSON.parse(b) as unknown, long })),
        { s: null, j: null, b: null, long: null },
      ]);
    });

    it('refuses invalid JSON in a json field: the database validates it', async () => {
      const w = new CopyBinaryWriter();
      w.row(3).int8(1).text('x').json('{not json');
      await expect(
        t.db.transaction((tx) => tx.copyFrom('copy_json', ['n', 's', 'j'], w.finish())),
      ).rejects.toThrow(/json/i);
    });
  });
});
