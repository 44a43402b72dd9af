import { IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The member's local calendar over a generation window: day k is the k-th local date that overlaps
 * [start, end). Readings are placed at local wall-clock times ("07:10 before breakfast") and turned
 * into instants here. UTC offsets are looked up once per day (luxon's IANA zone), so the hot loop
 * is plain arithmetic. Daylight-saving changes happen between 01:00 and 03:00 local time, so wall
 * times from 03:00 on take the day's noon offset and earlier ones the previous day's.
 */
export class LocalCalendar {
  readonly timeZone: string;
  /** Number of local dates overlapping the window. */
  readonly days: number;
  /** Local midnight of day 0 written as if it were UTC (its UTC fields are the local wall clock). */
  private readonly day0Wall: number;
  /** UTC offset in minutes at local noon of day k, stored at index k + 1 (k = −1 … days). */
  private readonly offsets: Int32Array;
  private readonly weekday0: number;

  constructor(timeZone: string, startMs: number, endMs: number) {
    const zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new RangeError(`timeZone: '${timeZone}' is not an IANA time zone`);
    this.timeZone = timeZone;
    const wallOf = (ms: number): number => ms + zone.offset(ms) * MINUTE;
    this.day0Wall = Math.floor(wallOf(startMs) / DAY) * DAY;
    const lastWall = Math.floor(wallOf(endMs - 1) / DAY) * DAY;
    this.days = Math.max(0, Math.round((lastWall - this.day0Wall) / DAY) + 1);
    this.offsets = new Int32Array(this.days + 2);
    for (let k = -1; k <= this.days; k++) {
      const noonWall = this.day0Wall + k * DAY + 12 * 60 * MINUTE;
      const guess = zone.offset(noonWall);
      this.offsets[k + 1] = zone.offset(noonWall - guess * MINUTE);
    }
    this.weekday0 = new Date(this.day0Wall).getUTCDay();
  }

  /** Epoch ms of local wall time `minuteOfDay` on day k (negative minutes reach the evening before). */
  instant(k: number, minuteOfDay: number): number {
    const offsetDay = k + Math.floor((minuteOfDay - 180) / 1440);
    const i = offsetDay < -1 ? 0 : offsetDay > this.days ? this.days + 1 : offsetDay + 1;
    return this.day0Wall + k * DAY + minuteOfDay * MINUTE - (this.offsets[i] ?? 0) * MINUTE;
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(k: number): number {
    return (((this.weekday0 + k) % 7) + 7) % 7;
  }

  isWeekend(k: number): boolean {
    const w = this.weekday(k);
    return w === 0 || w === 6;
  }

  /** Day of the year, 0-based (for the seasonal swing of blood pressure). */
  dayOfYear(k: number): number {
    const wall = this.day0Wall + k * DAY;
    const jan1 = Date.UTC(new Date(wall).getUTCFullYear(), 0, 1);
    return Math.round((wall - jan1) / DAY);
  }

  /** The local date of day k, `YYYY-MM-DD`. */
  localDate(k: number): string {
    return new Date(this.day0Wall + k * DAY).toISOString().slice(0, 10);
  }
}

/** One calendar per time zone for a window, built on first use. */
export class CalendarCache {
  private readonly cache = new Map<string, LocalCalendar>();

  constructor(
    readonly startMs: number,
    readonly endMs: number,
  ) {}

  get(timeZone: string): LocalCalendar {
    let calendar = this.cache.get(timeZone);
    if (!calendar) {
      calendar = new LocalCalendar(timeZone, this.startMs, this.endMs);
      this.cache.set(timeZone, calendar);
    }
    return calendar;
  }
}
