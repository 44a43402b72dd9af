/**
 * Date and time parsing for the importers. Every instant leaves here as a UTC ISO 8601 string
 * (`2019-06-11T13:00:00.000Z`) so the same moment always gives the same idempotency key, whatever
 * offset the source wrote it with.
 */

import { fhirInstantFastPath } from '../model/isoInstants.ts';

export type InstantResult = { ok: true; iso: string } | { ok: false; message: string };

export type FhirDatePrecision = 'year' | 'month' | 'day' | 'time';
export type FhirDateTimeResult =
  { ok: true; iso: string; precision: FhirDatePrecision } | { ok: false; message: string };

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Builds an instant from calendar parts, rejecting impossible dates (Feb 30, 24:00, offset +15:00). */
function instantFromParts(
  parts: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    millis: number;
    offsetMinutes: number;
  },
  original: string,
): InstantResult {
  const { year, month, day, hour, minute, second, millis, offsetMinutes } = parts;
  if (month < 1 || month > 12)
    return { ok: false, message: `'${original}': month ${month} is out of range` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return {
      ok: false,
      message: `'${original}': day ${day} does not exist in ${year}-${String(month).padStart(2, '0')}`,
    };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `'${original}': time of day is out of range` };
  }
  if (Math.abs(offsetMinutes) > 14 * 60) {
    return { ok: false, message: `'${original}': time-zone offset is out of range` };
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { ok: true, iso: new Date(utc).toISOString() };
}

const offsetToMinutes = (zone: string): number => {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [h, m] = zone.slice(1).split(':').map(Number);
  return sign * ((h ?? 0) * 60 + (m ?? 0));
};

const fractionToMillis = (fraction: string | undefined): number =>
  fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;

// FHIR dateTime: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss(.sss)(Z|±hh:mm); the zone is
// mandatory once a time is given (FHIR R4 §2.24.0.1 dateTime).
const fhirDateTime =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/**
 * Parses a FHIR date, dateTime or instant. Partial dates become the first instant they cover
 * (UTC midnight of the day, first day of the month/year); `precision` says how much was given.
 */
export function parseFhirDateTime(value: unknown): FhirDateTimeResult {
  if (typeof value !== 'string') return { ok: false, message: 'must be a FHIR dateTime string' };
  const fast = fhirInstantFastPath(value);
  if (fast !== undefined) return { ok: true, iso: fast, precision: 'time' };
  return parseFhirDateTimeGeneral(value);
}

/** `parseFhirDateTime` without the fast path (exported for the equivalence test). */
export function parseFhirDateTimeGeneral(value: string): FhirDateTimeResult {
  const m = fhirDateTime.exec(value);
  if (!m)
    return { ok: false, message: `'${value}' is not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)` };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const precision: FhirDatePrecision = h !== undefined ? 'time' : d ? 'day' : mo ? 'month' : 'year';
  const result = instantFromParts(
    {
      year: Number(y),
      month: mo ? Number(mo) : 1,
      day: d ? Number(d) : 1,
      hour: h ? Number(h) : 0,
      minute: mi ? Number(mi) : 0,
      second: s ? Number(s) : 0,
      millis: fractionToMillis(frac),
      offsetMinutes: zone ? offsetToMinutes(zone) : 0,
    },
    value,
  );
  return result.ok ? { ok: true, iso: result.iso, precision } : result;
}

// RFC 3339 §5.6 date-time, as JSON Schema's `format: date-time` requires (offset mandatory).
const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(value: unknown): InstantResult {
  if (typeof value !== 'string')
    return { ok: false, message: 'must be an RFC 3339 date-time string' };
  const fast = fhirInstantFastPath(value);
  if (fast !== undefined) return { ok: true, iso: fast };
  return parseRfc3339General(value);
}

/** `parseRfc3339` without the fast path (exported for the equivalence test). */
export function parseRfc3339General(value: string): InstantResult {
  const m = rfc3339.exec(value);
  if (!m) {
    return {
      ok: false,
      message: `'${value}' is not an RFC 3339 date-time (e.g. 2020-02-05T07:25:00-08:00)`,
    };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  return instantFromParts(
    {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s),
      millis: fractionToMillis(frac),
      offsetMinutes: offsetToMinutes(zone ?? 'Z'),
    },
    value,
  );
}

// Apple Health export.xml writes "2019-06-11 15:00:00 +0200".
const appleDate = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

export function parseAppleHealthDate(value: unknown): InstantResult {
  if (typeof value !== 'string') return { ok: false, message: 'date is missing' };
  const m = appleDate.exec(value);
  if (!m)
    return {
      ok: false,
      message: `'${value}' is not an Apple Health date (YYYY-MM-DD hh:mm:ss ±hhmm)`,
    };
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  return instantFromParts(
    {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s),
      millis: 0,
      offsetMinutes: (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)),
    },
    value,
  );
}

/** Whole seconds between two ISO instants. */
export const secondsBetween = (startIso: string, endIso: string): number =>
  (Date.parse(endIso) - Date.parse(startIso)) / 1000;
