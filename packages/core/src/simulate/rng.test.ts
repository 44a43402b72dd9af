import { describe, expect, it } from 'vitest';
import {
  clampedNormal,
  deriveSeed,
  intBetween,
  normal,
  pickWeighted,
  seededRng,
  shuffled,
} from './rng.ts';

const take = (seed: number, n: number): number[] => {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('seededRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(take(7, 1000)).toEqual(take(7, 1000));
    expect(take(7, 10)).not.toEqual(take(8, 10));
    // Seeds beyond 32 bits and negative seeds are distinct seeds, not truncated aliases.
    expect(take(2 ** 40 + 7, 10)).not.toEqual(take(7, 10));
    expect(take(-7, 10)).not.toEqual(take(7, 10));
  });

  it('stays in [0, 1) and looks uniform (mean 0.5, variance 1/12)', () => {
    const xs = take(123, 200_000);
    expect(xs.reduce((m, x) => Math.min(m, x), 1)).toBeGreaterThanOrEqual(0);
    expect(xs.reduce((m, x) => Math.max(m, x), 0)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
    // Ten equal bins each hold about a tenth (chi-square with 9 df stays far below 50).
    const bins = new Array<number>(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]! += 1;
    const expected = xs.length / 10;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(50);
  });

  it('rejects seeds that are not safe integers, naming the field', () => {
    expect(() => seededRng(1.5)).toThrow(/seed/);
    expect(() => seededRng(Number.NaN)).toThrow(/seed/);
    expect(() => seededRng(2 ** 60)).toThrow(/seed/);
  });
});

describe('random helpers', () => {
  it('normal deviates have the asked mean and standard deviation', () => {
    const rng = seededRng(5);
    const xs = Array.from({ length: 100_000 }, () => normal(rng, 140, 8));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(140, 0);
    expect(sd).toBeGreaterThan(7.8);
    expect(sd).toBeLessThan(8.2);
  });

  it('clamped normals and integer draws stay inside their bounds, both ends reachable', () => {
    const rng = seededRng(9);
    const clamped = Array.from({ length: 5000 }, () => clampedNormal(rng, 0, 10, -5, 5));
    expect(Math.min(...clamped)).toBe(-5);
    expect(Math.max(...clamped)).toBe(5);
    const ints = new Set(Array.from({ length: 5000 }, () => intBetween(rng, 3, 6)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
  });

  it('weighted picks follow the weights', () => {
    const rng = seededRng(11);
    let a = 0;
    for (let i = 0; i < 20_000; i++)
      if (
        pickWeighted(rng, [
          ['a', 3],
          ['b', 1],
        ] as const) === 'a'
      )
        a++;
    expect(a / 20_000).toBeCloseTo(0.75, 1);
  });

  it('shuffles are permutations', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const out = shuffled(seededRng(3), items);
    expect(out).not.toEqual(items);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
  });

  it('derived seeds differ by label and are stable', () => {
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 2));
  });
});
