import { describe, expect, it } from 'vitest';
import { isoInstant } from './isoInstant.ts';
import { seededRng } from './rng.ts';

describe('isoInstant', () => {
  it('formats exactly like Date.prototype.toISOString', () => {
    const rng = seededRng(1);
    const lo = Date.UTC(1950, 0, 1);
    const hi = Date.UTC(2100, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(lo + (hi - lo) * rng.next());
      expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('handles day boundaries and alternating days (cache collisions)', () => {
    const day = Date.UTC(2024, 1, 29);
    for (const ms of [day - 1, day, day + 1, day + 86_399_999, day + 16 * 86_400_000, day, 0, -1]) {
      expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
