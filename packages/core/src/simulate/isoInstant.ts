const DAY = 86_400_000;
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

// A small direct-mapped cache of date prefixes: a member's local day spans two UTC days.
const SLOTS = 16;
const cachedDays = new Float64Array(SLOTS).fill(Number.NaN);
const cachedPrefixes: string[] = new Array<string>(SLOTS).fill('');

/**
 * `new Date(ms).toISOString()`, about ten times faster: streams of readings stay on few days, so
 * the date part is formatted once per UTC day (cached) and the clock part from lookup tables.
 */
export function isoInstant(ms: number): string {
  const day = Math.floor(ms / DAY);
  const slot = day & (SLOTS - 1);
  let prefix = cachedPrefixes[slot] ?? '';
  if (cachedDays[slot] !== day) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    cachedDays[slot] = day;
    cachedPrefixes[slot] = prefix;
  }
  let rest = ms - day * DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = Math.floor(rest - s * 1000);
  return `${prefix}${twoDigits[h] ?? ''}:${twoDigits[m] ?? ''}:${twoDigits[s] ?? ''}.${threeDigits[milli] ?? ''}Z`;
}
