import type { ObservationInput } from '../model/types.ts';
import {
  hypertensionConfirmation,
  inHypertensiveRange,
  type BpSetting,
} from '../clinical/bloodPressureClass.ts';
import type { BpDay, BpState, Confirmation, Reading } from './state.ts';
import { retention } from './state.ts';
import { compareReadings, mergeDayEventInPlace } from './summaries.ts';

/**
 * Where a BP reading was taken: the source's own `setting`, else inferred from the source kind
 * (a member's device or self-entry is a home reading; clinics and checkup centres measure in the office).
 */
export function bpSettingOf(o: Pick<ObservationInput, 'setting' | 'sourceKind'>): BpSetting {
  if (o.setting) return o.setting;
  return o.sourceKind === 'device' || o.sourceKind === 'self' ? 'home' : 'office';
}

export interface BpHalf {
  r: Reading;
  which: 'sbp' | 'dbp';
}

/** Pairs systolic and diastolic halves by panel key, else by identical effective time. */
export function pairBpHalves(halves: readonly BpHalf[]): { s?: Reading; d?: Reading }[] {
  // Groups in order of first appearance; looked up by panel key or by time (no key strings built).
  const groups: { s?: Reading; d?: Reading }[] = [];
  const byPanel = new Map<string, { s?: Reading; d?: Reading }>();
  const byTime = new Map<number, { s?: Reading; d?: Reading }>();
  for (const h of halves) {
    const p = h.r.p;
    let g = p ? byPanel.get(p) : byTime.get(h.r.t);
    if (!g) {
      g = {};
      groups.push(g);
      if (p) byPanel.set(p, g);
      else byTime.set(h.r.t, g);
    }
    if (h.which === 'sbp') {
      if (!g.s || compareReadings(h.r, g.s) > 0) g.s = h.r;
    } else if (!g.d || compareReadings(h.r, g.d) > 0) g.d = h.r;
  }
  return groups;
}

/** Mutates `out` (a copy owned by the current update). */
function addToDay(out: BpDay[], r: Reading, which: 'sbp' | 'dbp'): void {
  let i = -1;
  for (let k = out.length - 1; k >= 0; k--) {
    const d = (out[k] as BpDay).d;
    if (d === r.d) {
      i = k;
      break;
    }
    if (d < r.d) break;
  }
  if (i < 0) {
    let j = out.length;
    while (j > 0 && (out[j - 1] as BpDay).d > r.d) j--;
    out.splice(j, 0, { d: r.d, nS: 0, sumS: 0, nD: 0, sumD: 0, ev: [] });
    i = j;
  }
  const b = out[i] as BpDay;
  // One evidence reading per day (the latest systolic) keeps the stored state small: the last of
  // [...b.ev, r] stably sorted, i.e. the last of its greatest elements.
  if (which === 'sbp') {
    let latest = r;
    for (let k = b.ev.length - 1; k >= 0; k--) {
      const e = b.ev[k] as Reading;
      if (compareReadings(e, latest) > 0) latest = e;
    }
    out[i] = { d: b.d, nS: b.nS + 1, sumS: b.sumS + r.v, nD: b.nD, sumD: b.sumD, ev: [latest] };
  } else {
    out[i] = { d: b.d, nS: b.nS, sumS: b.sumS, nD: b.nD + 1, sumD: b.sumD + r.v, ev: b.ev };
  }
}

interface WindowMeans {
  nDays: number;
  meanS: number | null;
  meanD: number | null;
  /** The window is days[lo, hi). */
  lo: number;
  hi: number;
}

/**
 * Mean-based confirmation over days [from, to]: home needs ≥ 3 days with readings. `days` are
 * ascending by day (as addToDay keeps them), so the window is one run found by binary search.
 */
function windowMeans(days: readonly BpDay[], from: number, to: number): WindowMeans {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as BpDay).d < from) lo = mid + 1;
    else hi = mid;
  }
  let nDays = 0;
  let nS = 0;
  let sumS = 0;
  let nD = 0;
  let sumD = 0;
  let i = lo;
  for (; i < days.length; i++) {
    const b = days[i] as BpDay;
    if (b.d > to) break;
    nDays++;
    nS += b.nS;
    sumS += b.sumS;
    nD += b.nD;
    sumD += b.sumD;
  }
  return { nDays, meanS: nS ? sumS / nS : null, meanD: nD ? sumD / nD : null, lo, hi: i };
}

/** The last ten evidence readings of a window (collected only when it confirms). */
function windowEvidence(days: readonly BpDay[], w: WindowMeans): Reading[] {
  const ev: Reading[] = [];
  for (let i = w.lo; i < w.hi; i++) ev.push(...(days[i] as BpDay).ev);
  return ev.slice(-10);
}

export function homeWindow(days: readonly BpDay[], end: number): Confirmation | null {
  const from = end - hypertensionConfirmation.homeSpanDays + 1;
  const w = windowMeans(days, from, end);
  if (w.nDays < hypertensionConfirmation.homeDays) return null;
  if (!inHypertensiveRange('home', w.meanS, w.meanD)) return null;
  return {
    evidence: windowEvidence(days, w),
    meanS: w.meanS ?? undefined,
    meanD: w.meanD ?? undefined,
    from,
    to: end,
  };
}

export function ambulatoryDay(days: readonly BpDay[], day: number): Confirmation | null {
  const w = windowMeans(days, day, day);
  if (w.nDays === 0 || !inHypertensiveRange('ambulatory', w.meanS, w.meanD)) return null;
  return {
    evidence: windowEvidence(days, w),
    meanS: w.meanS ?? undefined,
    meanD: w.meanD ?? undefined,
    from: day,
    to: day,
  };
}

/**
 * Mean-based windows latch once closed (a later day has data, so the window's data are complete);
 * the window ending on the newest day stays open and is evaluated at read time.
 */
function latch(
  days: readonly BpDay[],
  fromEnd: number,
  evaluate: (days: readonly BpDay[], end: number) => Confirmation | null,
  current: Confirmation | undefined,
): Confirmation | undefined {
  const newest = days[days.length - 1]?.d;
  if (newest === undefined) return current;
  let best = current;
  for (const b of days) {
    if (b.d < fromEnd || b.d >= newest) continue;
    if (best?.to !== undefined && b.d >= best.to) break;
    const c = evaluate(days, b.d);
    if (c) {
      best = c;
      break;
    }
  }
  return best;
}

export interface BpBatch {
  halves: BpHalf[];
}

/** Merges a batch of BP halves into the BP state (copy-on-write), then latches and prunes. */
export function mergeBloodPressure(
  prev: BpState,
  halves: readonly BpHalf[],
  latestSbp?: Reading,
  latestDbp?: Reading,
): BpState {
  const bp: BpState = {
    ...prev,
    homeDays: prev.homeDays.slice(),
    ambulatoryDays: prev.ambulatoryDays.slice(),
  };
  const prevHomeNewest = prev.homeDays[prev.homeDays.length - 1]?.d;
  const prevAmbNewest = prev.ambulatoryDays[prev.ambulatoryDays.length - 1]?.d;
  let minHome = Infinity;
  let minAmb = Infinity;
  // Copied on first change, then merged into in place.
  let elevatedDays: Reading[] | undefined;
  let officeDays: Reading[] | undefined;
  for (const h of halves) {
    const r = h.r;
    const setting = r.s ?? 'office';
    const sbp = h.which === 'sbp' ? r.v : null;
    const dbp = h.which === 'dbp' ? r.v : null;
    if (inHypertensiveRange(setting, sbp, dbp)) {
      elevatedDays ??= bp.elevatedDays.slice();
      mergeDayEventInPlace(elevatedDays, r);
      if (setting === 'office') {
        officeDays ??= bp.officeDays.slice();
        mergeDayEventInPlace(officeDays, r);
      }
    }
    if (setting === 'home') {
      addToDay(bp.homeDays, r, h.which);
      minHome = Math.min(minHome, r.d);
    } else if (setting === 'ambulatory') {
      addToDay(bp.ambulatoryDays, r, h.which);
      minAmb = Math.min(minAmb, r.d);
    }
  }
  if (elevatedDays) bp.elevatedDays = elevatedDays;
  if (officeDays) bp.officeDays = officeDays;
  // Latest complete pair: from this batch, or the halves of one panel split across batches.
  const pairs = pairBpHalves(halves);
  if (
    latestSbp &&
    latestDbp &&
    ((latestSbp.p && latestSbp.p === latestDbp.p) || latestSbp.t === latestDbp.t)
  ) {
    pairs.push({ s: latestSbp, d: latestDbp });
  }
  for (const p of pairs) {
    if (!p.s || !p.d) continue;
    const cur = bp.lastPair;
    if (!cur || compareReadings(p.s, cur.s) > 0) bp.lastPair = { s: p.s, d: p.d };
  }
  if (minHome < Infinity) {
    bp.homeConfirmed = latch(
      bp.homeDays,
      Math.min(minHome, prevHomeNewest ?? minHome),
      homeWindow,
      bp.homeConfirmed,
    );
    const newest = (bp.homeDays[bp.homeDays.length - 1] as BpDay).d;
    bp.homeDays = bp.homeDays.filter((b) => b.d >= newest - retention.bpDays);
  }
  if (minAmb < Infinity) {
    bp.ambulatoryConfirmed = latch(
      bp.ambulatoryDays,
      Math.min(minAmb, prevAmbNewest ?? minAmb),
      ambulatoryDay,
      bp.ambulatoryConfirmed,
    );
    const newest = (bp.ambulatoryDays[bp.ambulatoryDays.length - 1] as BpDay).d;
    bp.ambulatoryDays = bp.ambulatoryDays.filter((b) => b.d >= newest - retention.bpDays);
  }
  return bp;
}

/** Open (newest-day) windows, evaluated at read time. */
export function openHomeWindow(bp: BpState): Confirmation | null {
  const newest = bp.homeDays[bp.homeDays.length - 1]?.d;
  return newest === undefined ? null : homeWindow(bp.homeDays, newest);
}

export function openAmbulatoryDay(bp: BpState): Confirmation | null {
  const newest = bp.ambulatoryDays[bp.ambulatoryDays.length - 1]?.d;
  return newest === undefined ? null : ambulatoryDay(bp.ambulatoryDays, newest);
}
