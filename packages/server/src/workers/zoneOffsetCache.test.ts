import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { installZoneOffsetCache } from './zoneOffsetCache.ts';

// DST transitions (tzdb): New York 2026-03-08 02:00 EST → EDT (07:00Z) and 2026-11-01 02:00 EDT →
// EST (06:00Z); Berlin 2026-03-29 01:00Z; Lord Howe's half-hour shift 2026-04-05 01:45 (+11 → +10:30,
// 14:30Z the day before); Kathmandu +05:45 without DST.
const transitions: [string, string][] = [
  ['America/New_York', '2026-03-08T07:00:00Z'],
  ['America/New_York', '2026-11-01T06:00:00Z'],
  ['Europe/Berlin', '2026-03-29T01:00:00Z'],
  ['Australia/Lord_Howe', '2026-04-04T14:30:00Z'],
  ['Asia/Kathmandu', '2026-03-10T00:00:00Z'],
];
const offsets = (zone: string, around: string): number[] => {
  const t = Date.parse(around);
  const out: number[] = [];
  for (const d of [-3_600_000, -60_001, -60_000, -1_000, -1, 0, 1, 999, 59_999, 60_000, 3_600_000])
    out.push(DateTime.fromMillis(t + d, { zone }).offset);
  return out;
};

describe('zone offset cache', () => {
  it('gives the same offsets as Intl at and around DST transitions, in every zone tested', () => {
    const before = transitions.map(([zone, at]) => offsets(zone, at));
    // The offsets do change across the transitions: the comparison below can fail.
    expect(before[0]!.at(0)).toBe(-300);
    expect(before[0]!.at(-1)).toBe(-240);
    expect(before[3]!.at(0)).toBe(660);
    expect(before[3]!.at(-1)).toBe(630);
    installZoneOffsetCache();
    installZoneOffsetCache(); // idempotent
    for (let pass = 0; pass < 2; pass++) {
      expect(transitions.map(([zone, at]) => offsets(zone, at))).toEqual(before);
    }
  });
});
