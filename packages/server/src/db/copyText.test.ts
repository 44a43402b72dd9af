import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../testing/testDb.ts';
import { copyField, copyLine, copyNumber, copyStatement, copyString } from './copyText.ts';

describe('COPY text format', () => {
  it('escapes what PostgreSQL text COPY gives meaning to, and nothing else', () => {
    expect(copyString('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyString('血压 mm[Hg] "quoted" ,;|')).toBe('血压 mm[Hg] "quoted" ,;|');
    expect(copyString(null)).toBe('\\N');
    expect(copyString('\\N')).toBe('\\\\N'); // the text \N, not NULL
    expect(copyNumber(-0.125)).toBe('-0.125');
    expect(copyNumber(1e-7)).toBe('1e-7');
    expect(() => copyNumber(Number.NaN)).toThrow(/NaN/);
    expect(() => copyNumber(Infinity)).toThrow(/Infinity/);
    expect(copyField(true)).toBe('t');
    expect(copyLine(['x', 1, null])).toBe('x\t1\t\\N\n');
  });

  it('refuses table or column names that are not plain identifiers', () => {
    expect(copyStatement('observations', ['id', 'member_id'], 'STDIN', 'x')).toBe(
      'COPY observations (id, member_id) FROM STDIN',
    );
    expect(copyStatement('t', ['a'], 'STDIN', new Uint8Array())).toBe(
      'COPY t (a) FROM STDIN WITH (FORMAT binary)',
    );
    expect(() => copyStatement('observations; DROP TABLE members', ['id'], 'STDIN', '')).toThrow(
      /identifier/,
    );
    expect(() => copyStatement('observations', ['id"'], 'STDIN', '')).toThrow(/identifier/);
  });

  describe('round trip through the database', () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb();
      await t.db.query(`CREATE TABLE copy_probe (n int, s text, v float8, at timestamptz)`);
    });
    afterAll(async () => t?.close());

    it('stores every awkward string, NULL and number exactly as given, in a transaction too', async () => {
      const strings = [
        'tab\there',
        'line\nbreak',
        'cr\rlf\r\n',
        'back\\slash',
        '\\N',
        '',
        '引号"\'',
        null,
      ];
      const text = strings
        .map((s, i) => copyLine([i, s, i === 0 ? null : i / 3, '2026-03-01T08:00:00+08:00']))
        .join('');
      const n = await t.db.transaction((tx) =>
        tx.copyFrom('copy_probe', ['n', 's', 'v', 'at'], text),
      );
      expect(n).toBe(strings.length);
      const { rows } = await t.db.query<{
        n: number;
        s: string | null;
        v: number | null;
        at: Date;
      }>(`SELECT n, s, v, at FROM copy_probe ORDER BY n`);
      expect(rows.map((r) => r.s)).toEqual(strings);
      expect(rows.map((r) => r.v)).toEqual(strings.map((_, i) => (i === 0 ? null : i / 3)));
      expect(new Date(rows[1]!.at).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    });

    it('a COPY that fails stores nothing and reports the row', async () => {
      await expect(
        t.db.copyFrom('copy_probe', ['n', 's'], `100\tok\nnot-a-number\tbad\n`),
      ).rejects.toThrow(/integer/);
      const { rows } = await t.db.query<{ c: number }>(
        `SELECT count(*)::int AS c FROM copy_probe WHERE n = 100`,
      );
      expect(rows[0]!.c).toBe(0);
    });
  });
});
