import type { DayBucket, IndicatorSummary, MonthBucket, Reading, WeekBucket } from './state.ts';
import { retention } from './state.ts';
import { dayToMonth, weekOfDay } from './localDay.ts';

/** Total order of readings: time, then id (so merging is independent of arrival order). */
export function compareReadings(a: Reading, b: Reading): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function insertSorted<T>(list: T[], item: T, cmp: (a: T, b: T) => number): void {
  let i = list.length;
  while (i > 0 && cmp(list[i - 1] as T, item) > 0) i--;
  list.splice(i, 0, item);
}

/** Index of the bucket with key `key` or the insertion point (as -(i+1)). Buckets are ascending. */
function findBucket<B>(list: readonly B[], key: number, keyOf: (b: B) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  // Most readings land in the newest bucket: check it first.
  if (hi >= 0 && keyOf(list[hi] as B) === key) return hi;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keyOf(list[mid] as B);
    if (k === key) return mid;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -(lo + 1);
}

/** The part of a reading that evidence needs (panel key and setting matter only for the latest). */
function evidenceReading(r: Reading): Reading {
  return { id: r.id, code: r.code, v: r.v, at: r.at, t: r.t, d: r.d };
}

const hasExtras = (r: Reading): boolean =>
  r.s !== undefined || r.p !== undefined || r.ov !== undefined || r.ou !== undefined;

const dayOf = (b: DayBucket): number => b.d;
const weekOf = (b: WeekBucket): number => b.w;
const monthOf = (b: MonthBucket): number => b.m;

/**
 * Buckets with a key above these were created by the current update, so it may change them in
 * place instead of copying (the others can be shared with the stored state: copy-on-write).
 */
export interface FreshFrom {
  d: number;
  w: number;
  m: number;
}

/** Every bucket of a new summary is fresh. */
export const allFresh: FreshFrom = { d: -Infinity, w: -Infinity, m: -Infinity };
/** No bucket is fresh: every change copies (the safe default). */
const noneFresh: FreshFrom = { d: Infinity, w: Infinity, m: Infinity };

/** The bounds for a stored summary: only buckets after its newest ones are fresh. */
export function freshFrom(s: IndicatorSummary): FreshFrom {
  return {
    d: s.days[s.days.length - 1]?.d ?? -Infinity,
    w: s.weeks[s.weeks.length - 1]?.w ?? -Infinity,
    m: s.months[s.months.length - 1]?.m ?? -Infinity,
  };
}

/** A copy the current update may mutate (copy-on-write of the stored summary). */
export function writableSummary(s: IndicatorSummary): IndicatorSummary {
  return {
    ...s,
    days: s.days.slice(),
    weeks: s.weeks.slice(),
    months: s.months.slice(),
    history: s.history?.slice(),
  };
}

export function newSummary(r: Reading, keepHistory: boolean): IndicatorSummary {
  return {
    n: 0,
    latest: r,
    days: [],
    weeks: [],
    months: [],
    history: keepHistory ? [] : undefined,
  };
}

/**
 * Adds one reading to a writable summary (no pruning: `pruneSummary` runs once per update, and
 * must: a fresh day bucket may hold the whole reading as its `last` until then).
 */
export function addReading(
  s: IndicatorSummary,
  r: Reading,
  inTarget: boolean,
  fresh: FreshFrom = noneFresh,
): void {
  s.n++;
  if (compareReadings(r, s.latest) > 0) s.latest = r;
  const v = r.v;
  const di = findBucket(s.days, r.d, dayOf);
  if (di >= 0) {
    const b = s.days[di] as DayBucket;
    if (r.d > fresh.d) {
      b.n++;
      b.sum += v;
      b.min = Math.min(b.min, v);
      b.max = Math.max(b.max, v);
      if (inTarget) b.inT++;
      if (!b.last || compareReadings(r, b.last) > 0) b.last = r;
    } else {
      s.days[di] = {
        d: b.d,
        n: b.n + 1,
        sum: b.sum + v,
        min: Math.min(b.min, v),
        max: Math.max(b.max, v),
        inT: b.inT + (inTarget ? 1 : 0),
        last: !b.last || compareReadings(r, b.last) > 0 ? evidenceReading(r) : b.last,
      };
    }
  } else {
    const bucket: DayBucket = {
      d: r.d,
      n: 1,
      sum: v,
      min: v,
      max: v,
      inT: inTarget ? 1 : 0,
      last: r.d > fresh.d ? r : evidenceReading(r),
    };
    if (-(di + 1) === s.days.length) s.days.push(bucket);
    else s.days.splice(-(di + 1), 0, bucket);
  }
  const w = weekOfDay(r.d);
  const wi = findBucket(s.weeks, w, weekOf);
  const newDay = di < 0 ? 1 : 0;
  if (wi >= 0) {
    const b = s.weeks[wi] as WeekBucket;
    if (w > fresh.w) {
      b.n++;
      b.sum += v;
      b.nd += newDay;
    } else s.weeks[wi] = { w, n: b.n + 1, sum: b.sum + v, nd: b.nd + newDay };
  } else {
    s.weeks.splice(-(wi + 1), 0, { w, n: 1, sum: v, nd: 1 });
  }
  const m = dayToMonth(r.d);
  const mi = findBucket(s.months, m, monthOf);
  if (mi >= 0) {
    const b = s.months[mi] as MonthBucket;
    if (m > fresh.m) {
      b.n++;
      b.sum += v;
    } else s.months[mi] = { m, n: b.n + 1, sum: b.sum + v };
  } else {
    s.months.splice(-(mi + 1), 0, { m, n: 1, sum: v });
  }
  if (s.history) insertSorted(s.history, r, compareReadings);
}

export function pruneSummary(s: IndicatorSummary): void {
  const newestDay = s.days[s.days.length - 1]?.d;
  if (newestDay !== undefined) {
    const cut = newestDay - retention.days;
    let k = 0;
    while (k < s.days.length && (s.days[k] as DayBucket).d < cut) k++;
    if (k > 0) s.days.splice(0, k);
    // Older days only feed counts; their evidence reading is not needed any more.
    const evidenceCut = newestDay - retention.dayEvidence;
    for (let i = 0; i < s.days.length; i++) {
      const b = s.days[i] as DayBucket;
      if (b.d < evidenceCut) {
        if (b.last) s.days[i] = { d: b.d, n: b.n, sum: b.sum, min: b.min, max: b.max, inT: b.inT };
      } else if (b.last && hasExtras(b.last)) {
        // A fresh bucket's whole reading → the evidence part (what addReading used to copy).
        s.days[i] = { ...b, last: evidenceReading(b.last) };
      }
    }
  }
  const newestWeek = s.weeks[s.weeks.length - 1]?.w;
  if (newestWeek !== undefined) {
    const cut = newestWeek - retention.weeks;
    let k = 0;
    while (k < s.weeks.length && (s.weeks[k] as WeekBucket).w < cut) k++;
    if (k > 0) s.weeks.splice(0, k);
  }
  const newestMonth = s.months[s.months.length - 1]?.m;
  if (newestMonth !== undefined) {
    const cut = newestMonth - retention.months;
    let k = 0;
    while (k < s.months.length && (s.months[k] as MonthBucket).m < cut) k++;
    if (k > 0) s.months.splice(0, k);
  }
  if (s.history && s.history.length > retention.history)
    s.history.splice(0, s.history.length - retention.history);
}

/**
 * Distinct-key event lists (e.g. days with a reading in range): keeps the first and last K keys
 * with the earliest reading of each key. The kept set depends only on the set of readings seen,
 * never on arrival order, so incremental updates equal a rebuild.
 */
export function mergeEvent(
  list: Reading[],
  r: Reading,
  keyOf: (r: Reading) => string,
  k: number = retention.eventDays,
): Reading[] {
  const key = keyOf(r);
  const out = list.slice();
  const i = out.findIndex((x) => keyOf(x) === key);
  if (i >= 0) {
    if (compareReadings(r, out[i] as Reading) < 0) out[i] = r;
    return out;
  }
  insertSorted(out, r, (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return a.d - b.d || (ka < kb ? -1 : ka > kb ? 1 : 0);
  });
  if (out.length > 2 * k) out.splice(k, out.length - 2 * k);
  return out;
}

export const dayKey = (r: Reading): string => String(r.d);

/**
 * `mergeEvent(list, r, dayKey, k)` done in place on a list the caller owns (one copy per update
 * instead of one per reading). Day numbers are integers, so equal keys are equal numbers.
 */
export function mergeDayEventInPlace(
  out: Reading[],
  r: Reading,
  k: number = retention.eventDays,
): void {
  for (let i = 0; i < out.length; i++) {
    const x = out[i] as Reading;
    if (x.d === r.d) {
      if (compareReadings(r, x) < 0) out[i] = r;
      return;
    }
  }
  let i = out.length;
  while (i > 0 && (out[i - 1] as Reading).d > r.d) i--;
  out.splice(i, 0, r);
  if (out.length > 2 * k) out.splice(k, out.length - 2 * k);
}
