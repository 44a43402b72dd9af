import { describe, expect, it } from 'vitest';
import { mannKendall, normalCdf, timeInRange } from './trend.ts';
import { seededRandom } from './observationFixtures.ts';

describe('Mann–Kendall test with Theil–Sen slope (Hirsch, Slack & Smith 1982; Sen 1968)', () => {
  it('normal CDF matches tables (Φ(1.96) = 0.975, Φ(0) = 0.5)', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(-1.645)).toBeCloseTo(0.05, 3);
  });

  it('a constructed series with slope 0.5/day plus noise: rising, slope recovered', () => {
    const rnd = seededRandom(42);
    const pts = Array.from({ length: 60 }, (_, i) => ({
      x: i,
      y: 130 + 0.5 * i + (rnd() - 0.5) * 6,
    }));
    const r = mannKendall(pts);
    expect(r?.direction).toBe('rising');
    expect(r?.slope).toBeGreaterThan(0.4);
    expect(r?.slope).toBeLessThan(0.6);
    expect(r?.p).toBeLessThan(0.001);
  });

  it('falling series, uneven spacing', () => {
    const xs = [0, 1, 3, 7, 8, 12, 20, 21];
    const r = mannKendall(xs.map((x) => ({ x, y: 8 - 0.1 * x })));
    expect(r?.direction).toBe('falling');
    expect(r?.slope).toBeCloseTo(-0.1, 10);
  });

  it('pure noise is stable; a constant series is stable with slope 0 (all ties)', () => {
    const rnd = seededRandom(7);
    const noise = mannKendall(Array.from({ length: 40 }, (_, i) => ({ x: i, y: rnd() })));
    expect(noise?.direction).toBe('stable');
    const flat = mannKendall(Array.from({ length: 10 }, (_, i) => ({ x: i, y: 5 })));
    expect(flat).toMatchObject({ s: 0, slope: 0, direction: 'stable' });
  });

  it('a two-point difference is not a trend: too few points → null', () => {
    expect(
      mannKendall([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNull();
  });

  it('S and p for a short monotone series: n = 6 gives S = 15, z = 14/√28.33, p ≈ 0.0085', () => {
    const r = mannKendall(Array.from({ length: 6 }, (_, i) => ({ x: i, y: i })));
    expect(r?.s).toBe(15);
    expect(r?.p).toBeCloseTo(2 * (1 - normalCdf(14 / Math.sqrt((6 * 5 * 17) / 18))), 10);
    expect(r?.p).toBeCloseTo(0.0085, 3);
  });

  it('time in range', () => {
    expect(timeInRange([3, 5, 7, 11], 3.9, 10)).toBe(0.5);
    expect(timeInRange([], 3.9, 10)).toBeNull();
  });
});
