import { DateTime } from 'luxon';

/** Fewer opens than this say little about a habit: no best hour yet. */
export const minOpensForBestHour = 5;
/** Only the most recent opens count, so the hour follows a member whose routine changes. */
export const recentOpensForBestHour = 100;

/**
 * The local hour (0–23) at which this member most often opens messages, or null with too little
 * history. Each hour's score is twice its own opens plus its neighbours' (circular, so 23 h and 0 h
 * are neighbours): a habit spread over 19:40–20:20 still points at one hour. Ties go to the earlier
 * hour.
 */
export function learnBestSendHour(openTimes: readonly string[], timeZone: string): number | null {
  if (!DateTime.local({ zone: timeZone }).isValid) {
    throw new RangeError(`timeZone: unknown IANA time zone '${timeZone}'`);
  }
  const opens = openTimes
    .map((iso) => DateTime.fromISO(iso, { zone: timeZone }))
    .filter((t) => t.isValid)
    .sort((a, b) => a.toMillis() - b.toMillis())
    .slice(-recentOpensForBestHour);
  if (opens.length < minOpensForBestHour) return null;
  const counts = new Array<number>(24).fill(0);
  for (const t of opens) counts[t.hour] = (counts[t.hour] ?? 0) + 1;
  let bestHour = 0;
  let bestScore = -1;
  for (let h = 0; h < 24; h++) {
    const score = 2 * (counts[h] ?? 0) + (counts[(h + 23) % 24] ?? 0) + (counts[(h + 1) % 24] ?? 0);
    if (score > bestScore) {
      bestScore = score;
      bestHour = h;
    }
  }
  return bestHour;
}
