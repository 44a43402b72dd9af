import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ObservationInput } from '../model/types.ts';
import { generateDemoPopulation, generateObservations } from './generateDemoPopulation.ts';

const start = new Date('2024-02-29T16:00:00Z'); // 2024-03-01 00:00 Asia/Shanghai
const end = new Date('2024-04-30T16:00:00Z'); // 2024-05-01 00:00 Asia/Shanghai: 61 local days
const opts = { seed: 7, members: 40, start, end };

describe('generateObservations', () => {
  it('streams exactly the observations of generateDemoPopulation, in order', () => {
    const streamed = [...generateObservations(opts)];
    const population = generateDemoPopulation(opts).flatMap((m) => m.observations);
    expect(streamed.length).toBe(population.length);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(population));
  });

  it('is lazy: the first readings of a huge population arrive without generating the rest', () => {
    const huge = generateObservations({
      seed: 1,
      members: 5_000_000,
      start: new Date('2015-01-01T00:00:00Z'),
      end: new Date('2025-01-01T00:00:00Z'),
      perMemberPerDay: 100,
    });
    const first: ObservationInput[] = [];
    for (const o of huge) {
      first.push(o);
      if (first.length === 1000) break;
    }
    expect(first).toHaveLength(1000);
    expect(new Set(first.map((o) => o.memberRef))).toEqual(new Set(['demo-0001']));
  });

  it('with perMemberPerDay yields exactly that many per member on every full local day', () => {
    const perDay = 24;
    const dense = [...generateObservations({ ...opts, perMemberPerDay: perDay })];
    const population = generateDemoPopulation(opts);
    const zoneOf = new Map(population.map((m) => [m.member.externalRef, m.member.timeZone]));
    const perMemberDay = new Map<string, number>();
    for (const o of dense) {
      // Interval data (steps, sleep) counts on the local day it ends.
      const at = o.effectiveEnd ?? o.effectiveAt;
      const day = DateTime.fromISO(at)
        .setZone(zoneOf.get(o.memberRef) ?? 'UTC')
        .minus({ milliseconds: o.effectiveEnd ? 1 : 0 });
      const key = `${o.memberRef}|${day.toISODate()}`;
      perMemberDay.set(key, (perMemberDay.get(key) ?? 0) + 1);
    }
    // Shanghai members: the window is 61 whole local days, each with exactly perDay observations.
    const shanghai = population
      .filter((m) => m.member.timeZone === 'Asia/Shanghai')
      .map((m) => m.member.externalRef);
    expect(shanghai.length).toBeGreaterThan(30);
    for (const ref of shanghai) {
      const counts = [...perMemberDay.entries()]
        .filter(([k]) => k.startsWith(`${ref}|`))
        .map(([, n]) => n);
      expect(counts).toHaveLength(61);
      expect(new Set(counts)).toEqual(new Set([perDay]));
    }
    // Other zones see partial days at the edges: never more than perDay a day, total within bounds.
    expect(Math.max(...perMemberDay.values())).toBe(perDay);
    expect(dense.length).toBeLessThanOrEqual(40 * 62 * perDay);
    expect(dense.length).toBeGreaterThanOrEqual(40 * 60 * perDay);
  });

  it('keeps BP halves together, keys unique and every value inside the window in dense mode', () => {
    const dense = [...generateObservations({ ...opts, members: 20, perMemberPerDay: 3 })];
    const panels = new Map<string, number>();
    for (const o of dense)
      if (o.panelKey) panels.set(o.panelKey, (panels.get(o.panelKey) ?? 0) + 1);
    expect(panels.size).toBeGreaterThan(100);
    expect(new Set(panels.values())).toEqual(new Set([2]));
    expect(new Set(dense.map((o) => o.idempotencyKey)).size).toBe(dense.length);
    const padding = dense.filter((o) => o.indicator === 'heart_rate');
    expect(padding.length).toBeGreaterThan(0);
    // Padding and resting rates never cross the heart-rate red flags (< 40 or > 130 /min).
    for (const o of padding) {
      expect(o.value).toBeGreaterThanOrEqual(48);
      expect(o.value).toBeLessThanOrEqual(125);
    }
    for (const o of dense) {
      expect(o.effectiveAt >= start.toISOString() && o.effectiveAt < end.toISOString()).toBe(true);
    }
  });

  it('rejects a bad density, naming the field', () => {
    expect(() => generateObservations({ ...opts, perMemberPerDay: 0 }).next()).toThrow(
      /opts\.perMemberPerDay/,
    );
    expect(() => generateObservations({ ...opts, perMemberPerDay: 2.5 }).next()).toThrow(
      /opts\.perMemberPerDay/,
    );
    expect(() => generateObservations({ ...opts, members: Number.NaN }).next()).toThrow(
      /opts\.members/,
    );
  });
});
