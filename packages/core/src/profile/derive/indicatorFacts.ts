import type { Evidence, ProfileFact } from '../../model/types.ts';
import { indicatorById, type Indicator } from '../../clinical/indicators.ts';
import type { DeriveContext } from '../facts.ts';
import { readingEvidence, round, ruleFact } from '../facts.ts';
import type { DayBucket, IndicatorSummary, Reading, WeekBucket } from '../state.ts';
import { targetRanges, trendRule, yearOverYearRule } from '../targets.ts';
import { mannKendall } from '../trend.ts';
import { dayToIso, weekOfDay, weekStartDay } from '../localDay.ts';

/** Indicators whose readings add up over a day (steps, sleep): their daily figure is the total. */
export const dailyTotalIndicators: ReadonlySet<string> = new Set(['steps', 'sleep_duration']);

/** Completed weeks the trend of frequent indicators looks back over (~90 days). */
const trendWeeks = 13;
const windowEvidenceCap = 5;

export function latestFact(ind: Indicator, s: IndicatorSummary): ProfileFact {
  const r = s.latest;
  return {
    key: `latest.${ind.id}`,
    kind: 'value',
    value: r.v,
    unit: ind.unit,
    ruleId: null,
    citation: null,
    evidence: [readingEvidence(r, ind.unit)],
    label: {
      'zh-CN': `最近一次${ind.name['zh-CN']}：${r.v} ${ind.displayUnit}（${r.at.slice(0, 10)}）`,
      en: `Latest ${ind.name.en.toLowerCase()}: ${r.v} ${ind.displayUnit} (${r.at.slice(0, 10)})`,
    },
  };
}

function bucketsIn(s: IndicatorSummary, from: number, to: number): DayBucket[] {
  return s.days.filter((b) => b.d >= from && b.d <= to);
}

/** A week's figure: mean of readings, or for daily totals (steps) the mean daily total. */
function weeklyValue(id: string, b: WeekBucket): number {
  return dailyTotalIndicators.has(id) ? b.sum / b.nd : b.sum / b.n;
}

/** Evidence for a window: the latest reading of each day, most recent first, capped. */
function windowEvidence(buckets: readonly DayBucket[], unit: string): Evidence[] {
  const out: Evidence[] = [];
  for (let i = buckets.length - 1; i >= 0 && out.length < windowEvidenceCap; i--) {
    const last = (buckets[i] as DayBucket).last;
    if (last) out.push(readingEvidence(last, unit));
  }
  return out;
}

function averageFact(
  ind: Indicator,
  s: IndicatorSummary,
  today: number,
  days: 7 | 30,
): ProfileFact | null {
  const buckets = bucketsIn(s, today - days + 1, today);
  if (buckets.length === 0) return null;
  const total = dailyTotalIndicators.has(ind.id);
  let n = 0;
  let sum = 0;
  for (const b of buckets) {
    n += b.n;
    sum += b.sum;
  }
  const mean = total ? sum / buckets.length : sum / n;
  const value = round(mean, ind.precision + 1);
  const what = total
    ? {
        'zh-CN': `${buckets.length} 天的日均值`,
        en: `daily mean over ${buckets.length} days with data`,
      }
    : {
        'zh-CN': `${buckets.length} 天内 ${n} 次读数的平均值`,
        en: `mean of ${n} reading${n === 1 ? '' : 's'} on ${buckets.length} day${buckets.length === 1 ? '' : 's'}`,
      };
  return {
    key: `avg${days}.${ind.id}`,
    kind: 'average',
    value,
    unit: ind.unit,
    ruleId: null,
    citation: null,
    evidence: windowEvidence(buckets, ind.unit),
    label: {
      'zh-CN': `近${days}天${ind.name['zh-CN']}：${value} ${ind.displayUnit}（${what['zh-CN']}；证据为最近 5 天每天最后一次读数）`,
      en: `${days}-day ${ind.name.en.toLowerCase()}: ${value} ${ind.displayUnit} (${what.en}; evidence: the last reading of each of the 5 most recent days)`,
    },
  };
}

function timeInRangeFact(ind: Indicator, s: IndicatorSummary, today: number): ProfileFact | null {
  const target = targetRanges[ind.id];
  if (!target) return null;
  const buckets = bucketsIn(s, today - 29, today);
  let n = 0;
  let inT = 0;
  for (const b of buckets) {
    n += b.n;
    inT += b.inT;
  }
  if (n === 0) return null;
  const pct = round((100 * inT) / n, 1);
  const range = `${target.low ?? ''}${target.low !== undefined && target.high !== undefined ? '–' : target.high !== undefined ? '≤' : '≥'}${target.high ?? ''}`;
  return ruleFact(
    `tir30.${ind.id}`,
    'average',
    pct,
    target.rule,
    windowEvidence(buckets, ind.unit),
    {
      'zh-CN': `近30天${ind.name['zh-CN']}在目标范围 (${range} ${ind.displayUnit}) 内的比例：${pct}%（${inT}/${n}）`,
      en: `${ind.name.en} in target range (${range} ${ind.displayUnit}) over 30 days: ${pct}% (${inT}/${n})`,
    },
    '%',
  );
}

const directionText = {
  rising: { 'zh-CN': '上升', en: 'rising' },
  falling: { 'zh-CN': '下降', en: 'falling' },
  stable: { 'zh-CN': '无显著变化', en: 'no significant trend' },
} as const;

/**
 * Frequent indicators: weekly means of the 13 completed weeks before this one. Weekly means damp
 * the serial correlation of daily home readings, which would otherwise overstate significance.
 */
export function vitalTrendFact(
  ind: Indicator,
  s: IndicatorSummary,
  today: number,
): ProfileFact | null {
  const current = weekOfDay(today);
  const weeks = s.weeks.filter((b) => b.w >= current - trendWeeks && b.w < current);
  const res = mannKendall(weeks.map((b) => ({ x: b.w, y: weeklyValue(ind.id, b) })));
  if (!res) return null;
  const perWeek = round(res.slope, ind.precision + 1);
  const from = dayToIso(weekStartDay((weeks[0] as WeekBucket).w));
  const to = dayToIso(weekStartDay((weeks[weeks.length - 1] as WeekBucket).w) + 6);
  const evidence = windowEvidence(bucketsIn(s, today - 30, weekStartDay(current) - 1), ind.unit);
  return ruleFact(`trend.${ind.id}`, 'trend', res.direction, trendRule, evidence, {
    'zh-CN': `${ind.name['zh-CN']}趋势（${from} 至 ${to}，${res.n} 周的周均值）：${directionText[res.direction]['zh-CN']}，每周 ${perWeek} ${ind.displayUnit}（p = ${round(res.p, 3)}）`,
    en: `${ind.name.en} trend (${from} to ${to}, weekly means of ${res.n} weeks): ${directionText[res.direction].en}, ${perWeek} ${ind.displayUnit}/week (Mann–Kendall p = ${round(res.p, 3)})`,
  });
}

/** Sparse indicators (labs, body measures): every retained result, slope per year. */
export function labTrendFact(ind: Indicator, history: readonly Reading[]): ProfileFact | null {
  const res = mannKendall(
    history.map((r) => ({ x: r.t / (365.25 * 86_400_000), y: r.v })),
    0.05,
    5,
  );
  if (!res) return null;
  const perYear = round(res.slope, ind.precision + 1);
  const ev = history
    .slice(-10)
    .reverse()
    .map((r) => readingEvidence(r, ind.unit));
  return ruleFact(`trend.${ind.id}`, 'trend', res.direction, trendRule, ev, {
    'zh-CN': `${ind.name['zh-CN']}历次结果趋势（${res.n} 次）：${directionText[res.direction]['zh-CN']}，每年 ${perYear} ${ind.displayUnit}（p = ${round(res.p, 3)}）`,
    en: `${ind.name.en} across ${res.n} results: ${directionText[res.direction].en}, ${perYear} ${ind.displayUnit}/year (Mann–Kendall p = ${round(res.p, 3)})`,
  });
}

/** Latest result against the one closest to 12 months before it (9–15 months). */
export function yearOverYearFact(ind: Indicator, history: readonly Reading[]): ProfileFact | null {
  const latest = history[history.length - 1];
  if (!latest) return null;
  const month = 30.44 * 86_400_000;
  let best: Reading | undefined;
  for (const r of history) {
    const gap = latest.t - r.t;
    if (gap < 9 * month || gap > 15 * month) continue;
    if (!best || Math.abs(gap - 12 * month) < Math.abs(latest.t - best.t - 12 * month)) best = r;
  }
  if (!best) return null;
  const delta = round(latest.v - best.v, ind.precision + 1);
  const pct = best.v !== 0 ? round((100 * (latest.v - best.v)) / best.v, 1) : null;
  return ruleFact(
    `yoy.${ind.id}`,
    'trend',
    delta,
    yearOverYearRule,
    [readingEvidence(latest, ind.unit), readingEvidence(best, ind.unit)],
    {
      'zh-CN': `${ind.name['zh-CN']}与约一年前相比：${best.v} → ${latest.v} ${ind.displayUnit}（${delta >= 0 ? '+' : ''}${delta}${pct !== null ? `，${pct}%` : ''}）`,
      en: `${ind.name.en} vs about a year earlier: ${best.v} → ${latest.v} ${ind.displayUnit} (${delta >= 0 ? '+' : ''}${delta}${pct !== null ? `, ${pct}%` : ''})`,
    },
    ind.unit,
  );
}

export function indicatorLatestFacts(ctx: DeriveContext, id: string): ProfileFact[] {
  const ind = indicatorById(id);
  const s = ctx.state.indicators[id];
  return ind && s ? [latestFact(ind, s)] : [];
}

/** Averages are for things measured often (vitals, activity, weight); a lab's 7-day mean means nothing. */
export function hasAverages(ind: Indicator): boolean {
  return (
    ind.category === 'vital' ||
    ind.category === 'activity' ||
    ind.id === 'weight' ||
    ind.id === 'waist' ||
    ind.id === 'bmi'
  );
}

export function indicatorWindowFacts(ctx: DeriveContext, id: string): ProfileFact[] {
  const ind = indicatorById(id);
  const s = ctx.state.indicators[id];
  if (!ind || !s || !hasAverages(ind)) return [];
  const out: ProfileFact[] = [];
  for (const f of [
    averageFact(ind, s, ctx.today, 7),
    averageFact(ind, s, ctx.today, 30),
    timeInRangeFact(ind, s, ctx.today),
  ])
    if (f) out.push(f);
  return out;
}

export function indicatorTrendFacts(ctx: DeriveContext, id: string): ProfileFact[] {
  const ind = indicatorById(id);
  const s = ctx.state.indicators[id];
  if (!ind || !s) return [];
  const out: ProfileFact[] = [];
  if (s.history) {
    const t = labTrendFact(ind, s.history);
    if (t) out.push(t);
    const y = yearOverYearFact(ind, s.history);
    if (y) out.push(y);
  } else {
    const t = vitalTrendFact(ind, s, ctx.today);
    if (t) out.push(t);
  }
  return out;
}
