import { describe, expect, it } from 'vitest';
import {
  parseFhirDateTime,
  parseFhirDateTimeGeneral,
  parseRfc3339,
  parseRfc3339General,
} from '../ingest/dateTimes.ts';
import { canonicalUtcMillis, fhirInstantFastPath, parseIsoMillis } from './isoInstants.ts';

/** A small deterministic generator (tests must not depend on Math.random either). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Date-time strings around the edges: leap days, month ends, fractions, offsets, bad fields. */
function generated(count: number): string[] {
  const rnd = lcg(20_260_501);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const years = [
    1000, 1582, 1899, 1900, 1970, 1999, 2000, 2023, 2024, 2026, 2100, 2400, 9999, 999, 50,
  ];
  const fractions = [
    '',
    '.',
    '.0',
    '.5',
    '.05',
    '.057',
    '.999',
    '.123',
    '.1234',
    '.0000001',
    '.29',
  ];
  const zones = [
    'Z',
    'z',
    '+00:00',
    '-00:00',
    '+08:00',
    '-05:00',
    '+05:45',
    '+14:00',
    '-14:00',
    '+14:01',
    '-12:60',
    '+05:75',
    '+8:00',
    '',
    '+0800',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const y = rnd() < 0.7 ? 1990 + Math.floor(rnd() * 50) : pick(years);
    const mo = rnd() < 0.95 ? 1 + Math.floor(rnd() * 12) : pick([0, 13, 99]);
    const d = rnd() < 0.8 ? 1 + Math.floor(rnd() * 28) : pick([0, 29, 30, 31, 32]);
    const h = rnd() < 0.95 ? Math.floor(rnd() * 24) : pick([24, 25, 99]);
    const mi = rnd() < 0.95 ? Math.floor(rnd() * 60) : pick([60, 99]);
    const s = rnd() < 0.95 ? Math.floor(rnd() * 60) : pick([60, 61]);
    const frac = rnd() < 0.5 ? `.${pad(Math.floor(rnd() * 1000), 3)}` : pick(fractions);
    const zone = rnd() < 0.5 ? 'Z' : pick(zones);
    const sep = rnd() < 0.97 ? 'T' : pick(['t', ' ', 'X']);
    out.push(
      `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}${sep}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac}${zone}`,
    );
  }
  // Every three-digit fraction in canonical form, and on leap days.
  for (let ms = 0; ms < 1000; ms++) {
    out.push(`2026-05-01T08:00:00.${pad(ms, 3)}Z`, `2024-02-29T23:59:59.${pad(ms, 3)}+08:00`);
  }
  out.push(
    '2023-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2000-02-29T00:00:00.000Z',
  );
  out.push('2026-05-01', '2026-05', '2026', '2026-05-01T08:00Z', '2026-05-01T08:00:00', '');
  out.push('2026-05-01T08:00:00.000Zjunk', ' 2026-05-01T08:00:00Z', '２０２６-05-01T08:00:00Z');
  return out;
}

describe('date-time fast paths', () => {
  const cases = generated(20_000);

  it('give exactly what the general FHIR parser gives', () => {
    let fast = 0;
    for (const v of cases) {
      if (fhirInstantFastPath(v) !== undefined) fast++;
      expect(parseFhirDateTime(v), v).toEqual(parseFhirDateTimeGeneral(v));
    }
    expect(fast).toBeGreaterThan(cases.length / 3); // the fast path is actually taken
  });

  it('give exactly what the general RFC 3339 parser gives', () => {
    for (const v of cases) expect(parseRfc3339(v), v).toEqual(parseRfc3339General(v));
  });

  it('read canonical UTC instants exactly as Date.parse', () => {
    let fast = 0;
    for (const v of cases) {
      const iso = parseFhirDateTime(v);
      for (const s of iso.ok ? [v, iso.iso] : [v]) {
        if (canonicalUtcMillis(s) !== undefined) fast++;
        expect(parseIsoMillis(s), s).toBe(Date.parse(s));
      }
    }
    expect(fast).toBeGreaterThan(cases.length / 2);
  });

  it('count days like Date.UTC on every day from 1900 to 2200 and every 97th from 1000 to 9999', () => {
    const check = (ms: number) => {
      const iso = new Date(ms).toISOString();
      if (canonicalUtcMillis(iso) !== ms)
        expect({ iso, ms: canonicalUtcMillis(iso) }).toEqual({ iso, ms });
    };
    for (let ms = Date.UTC(1900, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 86_400_000 + 1001)
      check(ms);
    for (let ms = Date.UTC(1000, 0, 1); ms < Date.UTC(9999, 11, 31); ms += 97 * 86_400_000 + 61_001)
      check(ms);
  });
});
