import { IANAZone } from 'luxon';

/**
 * Local calendar days as integers (days since 1970-01-01 in the member's zone). "Separate days",
 * windows and daily buckets are all counted in the member's time zone. Offsets are memoised per
 * quarter hour because asking Intl for every reading would dominate ingest cost.
 */
const msPerDay = 86_400_000;
const quarterHour = 900_000;
const zones = new Map<string, IANAZone | null>();
const offsets = new Map<string, Map<number, number>>();

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
