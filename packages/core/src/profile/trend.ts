/**
 * Trend statistics: the Mann–Kendall test for a monotonic trend with the Theil–Sen slope (both
 * robust to outliers and uneven spacing, which home readings and checkups have), per Hirsch, Slack &
 * Smith (1982) and Sen (1968). Not a two-point difference.
 */
export interface TrendPoint {
  /** Time in any unit (the slope is per that unit). */
  x: number;
  y: number;
}

export interface TrendResult {
  n: number;
  /** Mann–Kendall S statistic. */
  s: number;
  /** Normal-approximation z (continuity-corrected, tie-corrected variance). */
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Theil–Sen slope (median of pairwise slopes), per unit of x. */
  slope: number;
  direction: 'rising' | 'falling' | 'stable';
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Mann–Kendall trend test with Theil–Sen slope. `alpha` is the significance level for calling a
 * direction; below `minPoints` the series is too short and null is returned.
 */
export function mannKendall(
  points: readonly TrendPoint[],
  alpha = 0.05,
  minPoints = 6,
): TrendResult | null {
  const pts = [...points].sort((a, b) => a.x - b.x);
  const n = pts.length;
  if (n < minPoints) return null;
  let s = 0;
  // Typed: its numeric sort orders like (a, b) => a - b for numbers that are not NaN.
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n - 1; i++) {
    const pi = pts[i] as TrendPoint;
    for (let j = i + 1; j < n; j++) {
      const pj = pts[j] as TrendPoint;
      const dy = pj.y - pi.y;
      s += dy > 0 ? 1 : dy < 0 ? -1 : 0;
      const dx = pj.x - pi.x;
      if (dx !== 0) slopes[m++] = dy / dx;
    }
  }
  // Tie correction of the variance: groups of equal y values.
  const counts = new Map<number, number>();
  for (const p of pts) counts.set(p.y, (counts.get(p.y) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) if (t > 1) ties += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const sd = Math.sqrt(variance);
  const z = sd === 0 ? 0 : s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0;
  const p = 2 * (1 - normalCdf(Math.abs(z)));
  const used = slopes.subarray(0, m);
  const slope = median(
    used.some(Number.isNaN) ? Array.from(used).sort((a, b) => a - b) : used.sort(),
  );
  const direction = p < alpha ? (s > 0 ? 'rising' : 'falling') : 'stable';
  return { n, s, z, p, slope, direction };
}

/** Share (0–1) of values inside [low, high] (either bound optional). */
export function timeInRange(values: readonly number[], low?: number, high?: number): number | null {
  if (values.length === 0) return null;
  let k = 0;
  for (const v of values)
    if ((low === undefined || v >= low) && (high === undefined || v <= high)) k++;
  return k / values.length;
}
