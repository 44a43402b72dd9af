import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { StoredObservation } from '../model/types.ts';
import { dayToMonth, localDayNumber, zoneOffsetMinutes } from './localDay.ts';
import { bpReading, observationBuilder, seededRandom, testMember } from './observationFixtures.ts';
import type { Reading } from './state.ts';
import { dayKey, mergeDayEventInPlace, mergeEvent } from './summaries.ts';
import { updateProfile } from './updateProfile.ts';

/** The equivalence of the profile's fast paths with the obvious implementations they replace. */

describe('local days', () => {
  it('dayToMonth equals the Date-based month for every day from 1600 to 2400 and far out', () => {
    const viaDate = (day: number) => {
      const d = new Date(day * 86_400_000);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    };
    for (let day = -135_000; day <= 160_000; day++) {
      if (dayToMonth(day) !== viaDate(day))
        expect({ day, m: dayToMonth(day) }).toEqual(viaDate(day));
    }
    for (const day of [-99_999_999, -719_468, -719_469, 99_999_999, 2.5, -0.5, 1e9])
      expect(dayToMonth(day), String(day)).toEqual(viaDate(day));
  });

  it('zone offsets are exact around DST transitions, minute by minute', () => {
    const zones = [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe', // a 30-minute DST shift
      'America/Santiago',
      'Asia/Shanghai',
      'Asia/Kolkata',
    ];
    for (const name of zones) {
      const zone = IANAZone.create(name);
      // Find each transition of 2024–2026 by scanning hours, then check ±2 h of it minute by minute.
      const start = Date.UTC(2024, 0, 1);
      const end = Date.UTC(2027, 0, 1);
      const probes: number[] = [];
      for (let t = start; t < end; t += 3_600_000) {
        if (zone.offset(t) !== zone.offset(t + 3_600_000)) {
          for (let m = t - 2 * 3_600_000; m < t + 3 * 3_600_000; m += 60_000) probes.push(m);
        }
      }
      const rnd = seededRandom(name.length);
      for (let k = 0; k < 2000; k++) probes.push(start + Math.floor(rnd() * (end - start)));
      for (const ms of probes) {
        const expected = zone.offset(ms);
        if (zoneOffsetMinutes(ms, name) !== expected)
          expect({
            name,
            at: new Date(ms).toISOString(),
            off: zoneOffsetMinutes(ms, name),
          }).toEqual({ name, at: new Date(ms).toISOString(), off: expected });
        const day = Math.floor((ms + expected * 60_000) / 86_400_000);
        if (localDayNumber(ms, name) !== day) expect(localDayNumber(ms, name)).toBe(day);
      }
    }
    expect(zoneOffsetMinutes(Date.UTC(2026, 0, 1), 'Not/A_Zone')).toBe(0);
  });
});

describe('event lists', () => {
  it('mergeDayEventInPlace equals mergeEvent with dayKey', () => {
    const rnd = seededRandom(7);
    for (let run = 0; run < 200; run++) {
      let viaCopy: Reading[] = [];
      const inPlace: Reading[] = [];
      for (let i = 0; i < 40; i++) {
        const d = 19_000 + Math.floor(rnd() * 30);
        const t = d * 86_400_000 + Math.floor(rnd() * 4) * 3_600_000;
        const r: Reading = { id: String(Math.floor(rnd() * 50)), code: 'x', v: i, at: '', t, d };
        viaCopy = mergeEvent(viaCopy, r, dayKey);
        mergeDayEventInPlace(inPlace, r);
        expect(inPlace).toEqual(viaCopy);
      }
    }
  });
});

describe('incremental updates', () => {
  const deepFreeze = <T>(x: T): T => {
    if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
      Object.freeze(x);
      for (const v of Object.values(x)) deepFreeze(v);
    }
    return x;
  };

  it('never change the state they start from (buckets are copied or fresh)', () => {
    const rnd = seededRandom(3);
    const obs = observationBuilder('m1');
    const out: StoredObservation[] = [];
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let k = 0; k < 400; k++) {
      const at = new Date(start + Math.floor(rnd() * 120 * 24) * 3_600_000).toISOString();
      const kind = rnd();
      if (kind < 0.5) out.push(...bpReading(obs, 120 + Math.round(rnd() * 40), 85, at));
      else if (kind < 0.75) out.push(obs('weight', 70 + Math.round(rnd() * 50) / 10, at));
      else out.push(obs('glucose', 5 + Math.round(rnd() * 60) / 10, at, { sourceKind: 'device' }));
    }
    for (const timeZone of ['Asia/Shanghai', 'America/New_York']) {
      const member = testMember({ timeZone });
      let frozen = null;
      let copied = null;
      // Out of order on purpose: later batches reach back into days the state already has.
      for (let i = 0; i < out.length; i += 37) {
        const batch = out.slice(i, i + 37);
        const now = new Date(start + 130 * 86_400_000);
        const before = JSON.stringify(frozen);
        const a = updateProfile({ state: frozen, member, observations: batch, now });
        const b = updateProfile({ state: copied, member, observations: batch, now });
        expect(JSON.stringify(frozen)).toBe(before);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        frozen = deepFreeze(a.state);
        copied = JSON.parse(JSON.stringify(b.state));
      }
    }
  });
});
