/**
 * Seeded randomness for the demo population. Core never calls Math.random: every random choice
 * comes from an `Rng` built from the caller's seed, so one seed always gives the same population.
 */

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

const TWO_32 = 4294967296;

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the whole word. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes a seed (any safe integer) and small integer labels into one 32-bit seed. */
export function deriveSeed(seed: number, ...labels: number[]): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ (Math.floor(seed / TWO_32) >>> 0));
  for (const label of labels) h = mix32((h + Math.imul(label | 0, 0x27d4eb2f) + 0x165667b1) | 0);
  return h;
}

/**
 * sfc32, Chris Doty-Humphrey's Small Fast Chaotic generator (PractRand-clean, 128-bit state, a few
 * integer operations per number): fast enough to stream millions of readings a second.
 */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = deriveSeed(seed, 1);
    this.b = deriveSeed(seed, 2);
    this.c = deriveSeed(seed, 3);
    this.d = 1;
    // The first outputs of a freshly seeded sfc32 are still correlated with the seed.
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / TWO_32;
  }
}

/** A deterministic generator: the same integer seed always yields the same sequence. */
export function seededRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed: must be a safe integer, got ${String(seed)}`);
  }
  return new Sfc32(seed);
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Integer uniform in [lo, hi], both inclusive. */
export function intBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor((hi - lo + 1) * rng.next());
}

export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

/** Normal deviate (Box–Muller). */
export function normal(rng: Rng, mean: number, sd: number): number {
  const u1 = 1 - rng.next(); // (0, 1]: log stays finite
  const u2 = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Normal deviate clamped to [lo, hi]: persona parameters stay clinically plausible. */
export function clampedNormal(rng: Rng, mean: number, sd: number, lo: number, hi: number): number {
  return clamp(normal(rng, mean, sd), lo, hi);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(items.length * rng.next())];
  if (item === undefined) throw new RangeError('pick: empty list');
  return item;
}

/** Picks from `[item, weight]` pairs with probability proportional to weight. */
export function pickWeighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rng.next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new RangeError('pickWeighted: empty list');
  return last[0];
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor((i + 1) * rng.next());
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
