import { IANAZone } from 'luxon';

/**
 * Luxon asks Intl for a zone's UTC offset on every DateTime it builds in that zone
 * (formatToParts, ~4 µs), and the contact policy builds a dozen per decision: without a cache that
 * is most of the dispatcher's CPU (profiled: 60 % of decideDelivery). The offset at an instant is a
 * pure function of (zone, instant), and since 1970 every tz transition falls on a whole UTC minute,
 * so one cached value per zone and minute is exact. Earlier instants go to Intl as before.
 */
const minuteMs = 60_000;
const maxEntriesPerZone = 200_000;

type OffsetFn = (this: IANAZone, ts: number) => number;

let installed = false;

/** Idempotent; process-wide (every luxon user in the process, core included, gets the cache). */
export function installZoneOffsetCache(): void {
  if (installed) return;
  installed = true;
  const proto = IANAZone.prototype as unknown as { offset: OffsetFn };
  const intlOffset = proto.offset;
  const caches = new WeakMap<IANAZone, Map<number, number>>();
  proto.offset = function cachedOffset(this: IANAZone, ts: number): number {
    if (!(ts >= 0) || !Number.isFinite(ts)) return intlOffset.call(this, ts);
    let cache = caches.get(this);
    if (!cache) caches.set(this, (cache = new Map()));
    const minute = Math.floor(ts / minuteMs);
    let offset = cache.get(minute);
    if (offset === undefined) {
      offset = intlOffset.call(this, minute * minuteMs);
      if (cache.size >= maxEntriesPerZone) cache.clear();
      cache.set(minute, offset);
    }
    return offset;
  };
}
