/**
 * Fast paths for the instants that dominate ingest: `2026-05-01T08:00:00Z`,
 * `2026-05-01T08:00:00.000Z`, `2026-05-01T16:00:00+08:00`. They read the digits by char code
 * instead of a regex, `Date.parse` or `new Date()`; anything they are not sure of (another shape,
 * an out-of-range field, years before 1000) returns undefined so the caller takes its general
 * path. Results equal the general paths exactly (dateTimes.test.ts and isoInstants.test.ts).
 */

const C0 = 48; // '0'

/** Two digits at `i`, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - C0;
  const b = s.charCodeAt(i + 1) - C0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Four digits at `i`, or -1. */
function four(s: string, i: number): number {
  const a = two(s, i);
  const b = two(s, i + 2);
  return a >= 0 && b >= 0 ? a * 100 + b : -1;
}

/** Days in a month of the proleptic Gregorian calendar (what `Date.UTC` uses from year 100 on). */
export function gregorianDaysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Calendar and clock fields of `YYYY-MM-DDThh:mm:ss` at the start of `s`, as epoch ms (no zone). */
function localFields(s: string): number {
  if (
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58
  )
    return NaN;
  const year = four(s, 0);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || minute < 0 || second < 0)
    return NaN;
  if (day > gregorianDaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
    return NaN;
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000
  );
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): what
 * `Date.UTC(year, month - 1, day) / 86_400_000` gives, without the builtin call.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * The epoch ms of a canonical UTC instant `YYYY-MM-DDThh:mm:ss.sssZ` (what the importers store),
 * equal to `Date.parse(s)`; undefined for any other shape or an impossible date.
 */
export function canonicalUtcMillis(s: string): number | undefined {
  if (s.length !== 24 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return undefined;
  const base = localFields(s);
  if (base !== base) return undefined;
  const a = s.charCodeAt(20) - C0;
  const b = s.charCodeAt(21) - C0;
  const c = s.charCodeAt(22) - C0;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return undefined;
  return base + a * 100 + b * 10 + c;
}

/** `Date.parse(s)` with the fast path for canonical UTC instants. */
export function parseIsoMillis(s: string): number {
  return canonicalUtcMillis(s) ?? Date.parse(s);
}

/**
 * A FHIR dateTime with a time of day to the second, an optional fraction and a zone
 * (`Z` or ±hh:mm) → the UTC ISO string the general FHIR parser gives; undefined when the value
 * has another shape or anything the general parser would reject or treat specially.
 */
export function fhirInstantFastPath(s: string): string | undefined {
  const n = s.length;
  if (n < 20) return undefined;
  const base = localFields(s);
  if (base !== base) return undefined;
  let i = 19;
  let millis = 0;
  if (s.charCodeAt(i) === 46) {
    // '.' then one or more digits
    let j = i + 1;
    while (j < n) {
      const d = s.charCodeAt(j) - C0;
      if (d < 0 || d > 9) break;
      j++;
    }
    const digits = j - i - 1;
    if (digits === 0) return undefined;
    if (digits === 3) {
      // Equals the general `Math.floor(Number('0.xyz') * 1000)` for all 1000 values (tested).
      millis =
        (s.charCodeAt(i + 1) - C0) * 100 +
        (s.charCodeAt(i + 2) - C0) * 10 +
        s.charCodeAt(i + 3) -
        C0;
    } else {
      millis = Math.floor(Number(`0${s.slice(i, j)}`) * 1000);
    }
    i = j;
  }
  const z = s.charCodeAt(i);
  let offsetMinutes = 0;
  if (z === 90) {
    // 'Z'
    if (i + 1 !== n) return undefined;
    // Already canonical: the general parser would print the same string back.
    if (n === 24) return s;
  } else if (z === 43 || z === 45) {
    // '+' or '-' hh:mm
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return undefined;
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    if (oh < 0 || om < 0) return undefined;
    offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
    if (Math.abs(offsetMinutes) > 14 * 60) return undefined;
  } else return undefined;
  const utc = base + millis - offsetMinutes * 60_000;
  // Keep to four-digit years, where toISOString has one shape.
  if (utc < -30_610_224_000_000 || utc >= 253_402_300_800_000) return undefined;
  return new Date(utc).toISOString();
}
