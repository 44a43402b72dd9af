import { DateTime, Duration, type DurationLikeObject } from 'luxon';

/**
 * Durations and local times of programs. Days and weeks are calendar days in the member's time
 * zone ("3 days later" keeps the wall-clock time across a DST change); minutes and hours are exact.
 */

const shorthand = /^([0-9]+)(m|h|d|w)$/;
const shorthandUnit = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;

/** Parses `30m`, `3h`, `3d`, `2w` or an ISO 8601 duration (`PT3H`, `P3D`); null when invalid. */
export function parseProgramDuration(text: string): DurationLikeObject | null {
  const m = shorthand.exec(text);
  if (m) {
    const n = Number(m[1]);
    const unit = shorthandUnit[m[2] as keyof typeof shorthandUnit];
    return n > 0 ? { [unit]: n } : null;
  }
  if (!text.startsWith('P')) return null;
  const d = Duration.fromISO(text);
  if (!d.isValid || d.toMillis() <= 0) return null;
  return d.toObject();
}

/** `instant + duration`, calendar units counted in `zone`. */
export function addDuration(instant: Date, duration: DurationLikeObject, zone: string): Date {
  return DateTime.fromJSDate(instant, { zone }).plus(duration).toJSDate();
}

/** `HH:mm` → minutes after local midnight, or null. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The first instant at or after `from` whose local time in `zone` is `HH:mm`. */
export function nextLocalTime(from: Date, timeOfDay: string, zone: string): Date {
  const minutes = parseTimeOfDay(timeOfDay);
  if (minutes === null) throw new RangeError(`invalid time of day '${timeOfDay}'`);
  const local = DateTime.fromJSDate(from, { zone });
  let candidate = local
    .startOf('day')
    .set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  if (candidate.toMillis() < local.toMillis()) {
    candidate = local
      .startOf('day')
      .plus({ days: 1 })
      .set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  }
  return candidate.toJSDate();
}

/** Minutes after local midnight of an instant in `zone`. */
export function localMinuteOfDay(instant: Date, zone: string): number {
  const t = DateTime.fromJSDate(instant, { zone });
  return t.hour * 60 + t.minute;
}

/** `yyyy-MM-dd` of an instant in `zone`. */
export function localDateOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate() ?? '';
}

/** Whether `zone` is an IANA zone luxon knows. */
export function isValidZone(zone: string): boolean {
  return DateTime.local({ zone }).isValid;
}

export function iso(instant: Date): string {
  return instant.toISOString();
}
