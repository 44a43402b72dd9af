import { IANAZone } from 'luxon';

/**
 * Local calendar days as integers (days since 1970-01-01 in the member's zone). "Separate days",
 * windows and daily buckets are all counted in the member's time zone. Asking Intl for every
 * reading would dominate ingest cost, so offsets are memoised per UTC day: a day whose offset is
 * the same at its first and last millisecond has that offset throughout (no zone changes its offset
 * twice within 24 hours); a day with a transition (DST) is memoised per quarter hour instead, the
 * granularity of every real transition.
 */
const msPerDay = 86_400_000;
const quarterHour = 900_000;
const zones = new Map<string, IANAZone | null>();
const offsets = new Map<string, Map<number, number>>();
/** Per zone: UTC day number → the offset of the whole day, or NaN when it changes that day. */
const dayOffsets = new Map<string, Map<number, number>>();

function zoneFor(name: string): IANAZone | null {
  let z = zones.get(name);
  if (z === undefined) {
    const created = IANAZone.create(name);
    z = created.isValid ? created : null;
    zones.set(name, z);
  }
  return z;
}

/** Minutes east of UTC at instant `ms` in `timeZone`; an unknown zone counts as UTC. */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const zone = zoneFor(timeZone);
  if (!zone) return 0;
  let perDay = dayOffsets.get(timeZone);
  if (!perDay) {
    perDay = new Map();
    dayOffsets.set(timeZone, perDay);
  }
  const day = Math.floor(ms / msPerDay);
  let whole = perDay.get(day);
  if (whole === undefined) {
    const start = day * msPerDay;
    const first = zone.offset(start);
    whole = first === zone.offset(start + msPerDay - 1) ? first : NaN;
    if (perDay.size > 100_000) perDay.clear();
    perDay.set(day, whole);
  }
  if (whole === whole) return whole;
  let perZone = offsets.get(timeZone);
  if (!perZone) {
    perZone = new Map();
    offsets.set(timeZone, perZone);
  }
  const key = Math.floor(ms / quarterHour);
  let off = perZone.get(key);
  if (off === undefined) {
    off = zone.offset(ms);
    if (perZone.size > 100_000) perZone.clear();
    perZone.set(key, off);
  }
  return off;
}

export function isKnownTimeZone(timeZone: string): boolean {
  return zoneFor(timeZone) !== null;
}

export function localDayNumber(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffsetMinutes(ms, timeZone) * 60_000) / msPerDay);
}

/** 'YYYY-MM-DD' of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** Day number of a 'YYYY-MM-DD' date (or the date part of an ISO instant). */
export function isoDateToDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(ms) ? Math.floor(ms / msPerDay) : null;
}

/** Month index (year × 12 + month − 1) of a day number. */
export function dayToMonth(day: number): number {
  if (Number.isInteger(day) && day > -100_000_000 && day < 100_000_000) {
    // Civil from days (H. Hinnant, "chrono-compatible low-level date algorithms"), no Date object.
    const z = day + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return year * 12 + month - 1;
  }
  const d = new Date(day * msPerDay);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Completed years between a birth date and a local day; null when the birth date is unknown. */
export function ageOnDay(birthDate: string | null, day: number): number | null {
  if (!birthDate) return null;
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!b) return null;
  const d = new Date(day * msPerDay);
  const y = d.getUTCFullYear();
  const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  const bmd = Number(b[2]) * 100 + Number(b[3]);
  const age = y - Number(b[1]) - (md < bmd ? 1 : 0);
  return age >= 0 ? age : null;
}

/** Monday-based week index of a day number (day 0, 1970-01-01, was a Thursday). */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** The Monday (day number) that starts a week index. */
export function weekStartDay(week: number): number {
  return week * 7 - 3;
}
