import * as rruleModule from 'rrule';
import type { Options as RRuleOptions, Weekday } from 'rrule';
import type { ValidationIssue } from '../model/types.ts';
import { parseFhirDateTime } from './dateTimes.ts';

// rrule reaches Node's ESM loader as a UMD bundle (everything under `default`) and bundlers as an
// ES module (named exports): take whichever this runtime gave us.
const { RRule } =
  (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

export type TimingRruleResult =
  | { ok: true; rrule: string | null; warnings: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Clock times (local hour) for FHIR event-timing codes (`Timing.repeat.when`). FHIR leaves the
 * exact times to the institution; these are conventional daytime dose times, documented in the
 * ingest README so a clinic can see what a reminder will assume.
 */
export const eventTimingHours: Readonly<Record<string, readonly number[]>> = {
  WAKE: [7],
  MORN: [8],
  'MORN.early': [6],
  'MORN.late': [10],
  NOON: [12],
  AFT: [14],
  'AFT.early': [13],
  'AFT.late': [16],
  EVE: [18],
  'EVE.early': [17],
  'EVE.late': [20],
  NIGHT: [22],
  PHS: [21],
  HS: [21],
  C: [8, 12, 18],
  CM: [8],
  CD: [12],
  CV: [18],
  AC: [7, 11, 17],
  ACM: [7],
  ACD: [11],
  ACV: [17],
  PC: [9, 13, 19],
  PCM: [9],
  PCD: [13],
  PCV: [19],
};

/** Dose times when a daily frequency comes without times: evenly spread over the waking day. */
export const defaultDailyDoseHours: Readonly<Record<number, readonly number[]>> = {
  1: [8],
  2: [8, 20],
  3: [8, 14, 20],
  4: [8, 12, 16, 20],
};

interface Repeat {
  frequency?: number;
  period?: number;
  periodUnit?: string;
  dayOfWeek?: string[];
  timeOfDay?: string[];
  when?: string[];
  count?: number;
}

/** HL7 v3 GTSAbbreviation codes FHIR suggests for Timing.code (R4 valueset timing-abbreviation). */
const timingAbbreviations: Readonly<Record<string, Repeat>> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  AM: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  PM: { frequency: 1, period: 1, periodUnit: 'd', when: ['AFT'] },
  BED: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' },
  Q1H: { frequency: 1, period: 1, periodUnit: 'h' },
  Q2H: { frequency: 1, period: 2, periodUnit: 'h' },
  Q3H: { frequency: 1, period: 3, periodUnit: 'h' },
  Q4H: { frequency: 1, period: 4, periodUnit: 'h' },
  Q6H: { frequency: 1, period: 6, periodUnit: 'h' },
  Q8H: { frequency: 1, period: 8, periodUnit: 'h' },
  WK: { frequency: 1, period: 1, periodUnit: 'wk' },
  MO: { frequency: 1, period: 1, periodUnit: 'mo' },
};

const weekdays: Readonly<Record<string, Weekday>> = {
  mon: RRule.MO,
  tue: RRule.TU,
  wed: RRule.WE,
  thu: RRule.TH,
  fri: RRule.FR,
  sat: RRule.SA,
  sun: RRule.SU,
};

const periodUnits = ['s', 'min', 'h', 'd', 'wk', 'mo', 'a'];
const timeOfDayPattern = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and type-checks Timing.repeat; every wrong field becomes an issue. */
function readRepeat(raw: Record<string, unknown>, path: string, issues: ValidationIssue[]): Repeat {
  const repeat: Repeat = {};
  const positive = (key: 'frequency' | 'period' | 'count', integer: boolean): void => {
    const v = raw[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !(v > 0) || (integer && !Number.isInteger(v))) {
      issues.push({
        path: `${path}.${key}`,
        message: `must be a positive ${integer ? 'integer' : 'number'}`,
      });
    } else repeat[key] = v;
  };
  positive('frequency', true);
  positive('period', false);
  positive('count', true);
  if (raw.periodUnit !== undefined) {
    if (typeof raw.periodUnit !== 'string' || !periodUnits.includes(raw.periodUnit)) {
      issues.push({
        path: `${path}.periodUnit`,
        message: `must be one of ${periodUnits.join(', ')}`,
      });
    } else repeat.periodUnit = raw.periodUnit;
  }
  const codes = (
    key: 'dayOfWeek' | 'timeOfDay' | 'when',
    valid: (s: string) => boolean,
    what: string,
  ): void => {
    const v = raw[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      issues.push({ path: `${path}.${key}`, message: 'must be an array' });
      return;
    }
    v.forEach((item, i) => {
      if (typeof item !== 'string' || !valid(item)) {
        issues.push({
          path: `${path}.${key}[${i}]`,
          message: `${JSON.stringify(item)} is not ${what}`,
        });
      }
    });
    repeat[key] = v.filter((item): item is string => typeof item === 'string' && valid(item));
  };
  codes('dayOfWeek', (s) => s in weekdays, 'a day code (mon…sun)');
  codes('timeOfDay', (s) => timeOfDayPattern.test(s), 'a time of day (hh:mm:ss)');
  codes('when', (s) => s.length > 0, 'an event-timing code');
  return repeat;
}

/** BYHOUR × BYMINUTE is a cartesian product: times only fit one rule if they form one. */
function clockTimes(
  times: readonly { hour: number; minute: number }[],
): { byhour: number[]; byminute: number[] } | null {
  const byhour = [...new Set(times.map((t) => t.hour))].sort((a, b) => a - b);
  const byminute = [...new Set(times.map((t) => t.minute))].sort((a, b) => a - b);
  const distinct = new Set(times.map((t) => `${t.hour}:${t.minute}`)).size;
  return byhour.length * byminute.length === distinct ? { byhour, byminute } : null;
}

/**
 * Turns a FHIR Timing (dosageInstruction[].timing) into an RFC 5545 RRULE value
 * (`FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0`, without the `RRULE:` prefix; the start comes from the
 * plan). Structurally wrong timings are rejected; valid ones no single RRULE can express (three
 * times a week on unnamed days, 08:30 and 20:00) give `rrule: null` with a warning.
 */
export function timingToRrule(timing: unknown, path: string): TimingRruleResult {
  if (timing === undefined || timing === null) return { ok: true, rrule: null, warnings: [] };
  if (!isRecord(timing))
    return { ok: false, issues: [{ path, message: 'timing must be an object' }] };
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const unexpressible = (message: string): TimingRruleResult => ({
    ok: true,
    rrule: null,
    warnings: [...warnings, { path, message: `${message}: stored without a reminder schedule` }],
  });

  let repeat: Repeat;
  if (timing.repeat !== undefined) {
    if (!isRecord(timing.repeat))
      return { ok: false, issues: [{ path: `${path}.repeat`, message: 'must be an object' }] };
    repeat = readRepeat(timing.repeat, `${path}.repeat`, issues);
    for (const key of ['frequencyMax', 'periodMax']) {
      if (timing.repeat[key] !== undefined) {
        warnings.push({
          path: `${path}.repeat.${key}`,
          message: `${key} ignored: scheduled at the lower bound`,
        });
      }
    }
  } else {
    const codings =
      isRecord(timing.code) && Array.isArray(timing.code.coding) ? timing.code.coding : [];
    const code = codings
      .map((c) => (isRecord(c) && typeof c.code === 'string' ? c.code : ''))
      .find((c) => c in timingAbbreviations);
    if (code === undefined)
      return unexpressible('timing has no repeat and no known abbreviation code (BID, TID, Q6H…)');
    repeat = { ...timingAbbreviations[code] };
  }
  let until: Date | undefined;
  const bounds = isRecord(timing.repeat) ? timing.repeat.boundsPeriod : undefined;
  if (isRecord(bounds) && bounds.end !== undefined) {
    const end = parseFhirDateTime(bounds.end);
    if (end.ok) until = new Date(end.iso);
    else issues.push({ path: `${path}.repeat.boundsPeriod.end`, message: end.message });
  }
  if (issues.length > 0) return { ok: false, issues };

  const frequency = repeat.frequency ?? 1;
  const period = repeat.period ?? 1;
  const unit = repeat.periodUnit ?? (repeat.timeOfDay || repeat.when ? 'd' : undefined);
  if (unit === undefined) return unexpressible('timing has no periodUnit, timeOfDay or when');

  // Clock times: explicit times first, then event codes, then the daily default for the frequency.
  const explicit = (repeat.timeOfDay ?? []).map((t) => {
    const [h, m] = t.split(':').map(Number);
    return { hour: h ?? 0, minute: m ?? 0 };
  });
  const fromEvents: { hour: number; minute: number }[] = [];
  for (const code of repeat.when ?? []) {
    const hours = eventTimingHours[code];
    if (!hours) return unexpressible(`event timing '${code}' has no clock time`);
    fromEvents.push(...hours.map((hour) => ({ hour, minute: 0 })));
  }
  let times = explicit.length > 0 ? explicit : fromEvents;

  const options: Partial<RRuleOptions> = {};
  const days = (repeat.dayOfWeek ?? [])
    .map((d) => weekdays[d])
    .filter((d): d is Weekday => d !== undefined);
  switch (unit) {
    case 'd':
    case 'wk': {
      if (unit === 'd' && days.length > 0 && period !== 1)
        return unexpressible('every N days on given weekdays');
      if (unit === 'd' && frequency > 1 && period !== 1)
        return unexpressible(`${frequency} times per ${period} days`);
      if (unit === 'wk' && days.length === 0 && frequency > 1) {
        return unexpressible(`${frequency} times per week on unnamed days`);
      }
      options.freq = days.length > 0 || unit === 'wk' ? RRule.WEEKLY : RRule.DAILY;
      if (days.length > 0) options.byweekday = days;
      if (unit === 'wk' || days.length === 0) options.interval = period;
      const dosesPerDay = unit === 'd' ? frequency : 1;
      if (times.length === 0) {
        const defaults = defaultDailyDoseHours[dosesPerDay];
        if (!defaults) {
          if (days.length === 0 && 24 % dosesPerDay === 0) {
            return finish(
              { freq: RRule.HOURLY, interval: 24 / dosesPerDay },
              repeat.count,
              until,
              path,
              warnings,
            );
          }
          return unexpressible(`${dosesPerDay} doses a day`);
        }
        times = defaults.map((hour) => ({ hour, minute: 0 }));
        warnings.push({ path, message: `no dose times given: assumed ${formatTimes(times)}` });
      }
      break;
    }
    case 'h':
    case 'min': {
      const minutes = ((unit === 'h' ? 60 : 1) * period) / frequency;
      if (!Number.isInteger(minutes)) return unexpressible(`a dose every ${minutes} minutes`);
      if (minutes % 60 === 0) {
        options.freq = RRule.HOURLY;
        options.interval = minutes / 60;
      } else {
        options.freq = RRule.MINUTELY;
        options.interval = minutes;
      }
      if (days.length > 0) options.byweekday = days;
      times = [];
      break;
    }
    case 'mo':
    case 'a': {
      if (frequency > 1)
        return unexpressible(
          `${frequency} times per ${period} ${unit === 'mo' ? 'month(s)' : 'year(s)'}`,
        );
      options.freq = unit === 'mo' ? RRule.MONTHLY : RRule.YEARLY;
      options.interval = period;
      break;
    }
    default:
      return unexpressible(`period unit '${unit}' is not a medication schedule`);
  }
  if (options.interval !== undefined && !Number.isInteger(options.interval)) {
    return unexpressible(`a period of ${options.interval} ${unit}`);
  }
  if (times.length > 0) {
    const byClock = clockTimes(times);
    if (!byClock) return unexpressible(`dose times ${formatTimes(times)} do not fit one rule`);
    options.byhour = byClock.byhour;
    options.byminute = byClock.byminute;
  }
  return finish(options, repeat.count, until, path, warnings);
}

const formatTimes = (times: readonly { hour: number; minute: number }[]): string =>
  times
    .map((t) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`)
    .join(', ');

/** Whether a rule parses back with a frequency and yields a dose from `probeStart` (memoised). */
const yieldsCache = new Map<string, boolean>();
function ruleYields(rrule: string, probeStart: number): boolean {
  const key = `${probeStart}|${rrule}`;
  let yields = yieldsCache.get(key);
  if (yields === undefined) {
    const parsed = RRule.parseString(rrule);
    const occurrences = new RRule({ ...parsed, dtstart: new Date(probeStart) }).all(
      (_, i) => i < 2,
    );
    yields = parsed.freq !== undefined && occurrences.length > 0;
    if (yieldsCache.size >= 1000) yieldsCache.clear();
    yieldsCache.set(key, yields);
  }
  return yields;
}

/** Serialises with rrule, then proves the rule parses back and yields occurrences. */
function finish(
  options: Partial<RRuleOptions>,
  count: number | undefined,
  until: Date | undefined,
  path: string,
  warnings: ValidationIssue[],
): TimingRruleResult {
  const full: Partial<RRuleOptions> = { ...options };
  if (full.interval === 1) delete full.interval;
  if (count !== undefined) full.count = count;
  if (until !== undefined) full.until = until;
  const rrule = RRule.optionsToString(full).replace(/^RRULE:/, '');
  // Probe from a fixed start (a year before UNTIL when there is one): the rule must yield a dose.
  const probeStart = until ? until.getTime() - 366 * 86_400_000 : Date.UTC(2020, 0, 1);
  if (!ruleYields(rrule, probeStart)) {
    return {
      ok: true,
      rrule: null,
      warnings: [
        ...warnings,
        {
          path,
          message: `rule ${rrule} yields no occurrences: stored without a reminder schedule`,
        },
      ],
    };
  }
  return { ok: true, rrule, warnings };
}
