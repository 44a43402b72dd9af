import { DateTime } from 'luxon';
import * as rruleModule from 'rrule';

// rrule's CommonJS entry is a UMD bundle: under Node's ESM loader its exports only appear on
// `default`, while bundlers (and the type declarations) expose them as named exports.
const rrule = (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;
const { RRule } = rrule;

const frequencies = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
const tooFrequent = new Set(['MINUTELY', 'SECONDLY']);
const coarse = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY']);

type PartCheck = (value: string) => string | null;

const intList =
  (min: number, max: number, allowNegative = false): PartCheck =>
  (value) => {
    for (const v of value.split(',')) {
      if (!/^[+-]?[0-9]+$/.test(v)) return `'${v}' is not a whole number`;
      const n = Number(v);
      const abs = Math.abs(n);
      if ((n < 0 && !allowNegative) || abs < min || abs > max) {
        return `${v} is outside ${allowNegative ? `±${min}…${max}` : `${min}…${max}`}`;
      }
    }
    return null;
  };

const positiveInt: PartCheck = (value) =>
  /^[1-9][0-9]*$/.test(value) ? null : `'${value}' is not a positive whole number`;

const weekday = /^([+-]?[1-9][0-9]?)?(MO|TU|WE|TH|FR|SA|SU)$/;

const partChecks: Record<string, PartCheck> = {
  FREQ: (v) =>
    frequencies.includes(v) ? null : `unknown FREQ '${v}' (expected ${frequencies.join(', ')})`,
  INTERVAL: positiveInt,
  COUNT: positiveInt,
  UNTIL: (v) =>
    /^[0-9]{8}(T[0-9]{6}Z?)?$/.test(v) ? null : `UNTIL '${v}' is not a date (YYYYMMDD[THHMMSS])`,
  BYDAY: (v) => {
    const bad = v.split(',').find((d) => !weekday.test(d));
    return bad === undefined
      ? null
      : `unknown weekday '${bad}' (expected MO, TU, WE, TH, FR, SA, SU)`;
  },
  BYHOUR: intList(0, 23),
  BYMINUTE: intList(0, 59),
  BYSECOND: intList(0, 59),
  BYMONTH: intList(1, 12),
  BYMONTHDAY: intList(1, 31, true),
  BYYEARDAY: intList(1, 366, true),
  BYWEEKNO: intList(1, 53, true),
  BYSETPOS: intList(1, 366, true),
  WKST: (v) => (/^(MO|TU|WE|TH|FR|SA|SU)$/.test(v) ? null : `unknown WKST '${v}'`),
};

/** The RRULE line of a rule text that may carry a `DTSTART:` line and an `RRULE:` prefix. */
function ruleLine(text: string): { rule: string; hasDtstart: boolean } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const hasDtstart = lines.some((l) => l.startsWith('DTSTART'));
  const rule = lines.find((l) => !l.startsWith('DTSTART')) ?? '';
  return { rule: rule.replace(/^RRULE:/, ''), hasDtstart };
}

/**
 * Checks an RFC 5545 RRULE as a care-program schedule: known parts with valid values, a FREQ no
 * finer than hourly, and an explicit BYHOUR for daily or coarser rules (otherwise it would fire at
 * local midnight). Returns the problems; empty when the rule is usable.
 */
export function validateRrule(text: string, opts: { allowDtstart?: boolean } = {}): string[] {
  const { rule, hasDtstart } = ruleLine(text);
  const problems: string[] = [];
  if (hasDtstart && !opts.allowDtstart) {
    problems.push('DTSTART is not allowed: a program schedule starts at the enrollment');
  }
  if (rule === '') return [...problems, 'empty RRULE'];
  const seen = new Set<string>();
  for (const part of rule.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      problems.push(`'${part}' is not NAME=VALUE`);
      continue;
    }
    const name = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1).toUpperCase();
    const check = partChecks[name];
    if (!check) {
      problems.push(`unknown RRULE part '${name}'`);
      continue;
    }
    if (seen.has(name)) problems.push(`${name} appears twice`);
    seen.add(name);
    const problem = check(value);
    if (problem) problems.push(problem.includes(name) ? problem : `${name}: ${problem}`);
    if (name === 'FREQ' && tooFrequent.has(value)) {
      problems.push(`FREQ=${value} is too frequent for a care program`);
    }
  }
  const freq = /(?:^|;)FREQ=([A-Z]+)/i.exec(rule)?.[1]?.toUpperCase();
  if (!freq) problems.push('FREQ is missing');
  if (seen.has('COUNT') && seen.has('UNTIL')) problems.push('COUNT and UNTIL cannot both be given');
  if (freq && coarse.has(freq) && !seen.has('BYHOUR')) {
    problems.push(`FREQ=${freq} needs BYHOUR (and BYMINUTE) so it fires at a sensible local time`);
  }
  if (problems.length === 0) {
    try {
      new RRule(RRule.parseString(rule));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return problems;
}

/** Wall-clock components of a local time as a "floating" Date (UTC fields = local fields). */
const floating = (t: DateTime): Date =>
  new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));

/**
 * Occurrences of an RRULE in [from, to), evaluated on the member's wall clock: `FREQ=DAILY;BYHOUR=8`
 * is 08:00 local every day, before and after a DST change. The rule starts at `anchor` (local
 * midnight of that day) unless it carries its own DTSTART, read as local wall-clock time.
 * A local time that does not exist (spring-forward gap) moves forward by the gap; an ambiguous one
 * (fall-back) takes the earlier instant.
 */
export function rruleOccurrences(
  text: string,
  zone: string,
  anchor: Date,
  from: Date,
  to: Date,
): Date[] {
  if (to.getTime() <= from.getTime()) return [];
  const { rule } = ruleLine(text);
  const dtLine = /DTSTART(?:;[^:]*)?:([0-9]{8}(?:T[0-9]{6})?)Z?/.exec(text)?.[1];
  const options = RRule.parseString(rule);
  let dtstart: Date;
  if (dtLine) {
    const t = DateTime.fromFormat(dtLine, dtLine.length === 8 ? 'yyyyMMdd' : "yyyyMMdd'T'HHmmss", {
      zone: 'utc',
    });
    dtstart = t.toJSDate();
  } else {
    dtstart = floating(DateTime.fromJSDate(anchor, { zone }).startOf('day'));
  }
  const r = new RRule({ ...options, dtstart });
  // A day of margin on each side absorbs the zone offset; exact filtering happens on real instants.
  const lo = floating(DateTime.fromJSDate(from, { zone }).minus({ days: 1 }));
  const hi = floating(DateTime.fromJSDate(to, { zone }).plus({ days: 1 }));
  const out: Date[] = [];
  for (const f of r.between(lo, hi, true)) {
    const local = DateTime.fromObject(
      {
        year: f.getUTCFullYear(),
        month: f.getUTCMonth() + 1,
        day: f.getUTCDate(),
        hour: f.getUTCHours(),
        minute: f.getUTCMinutes(),
        second: f.getUTCSeconds(),
      },
      { zone },
    );
    const at = local.toJSDate();
    if (at.getTime() >= from.getTime() && at.getTime() < to.getTime()) out.push(at);
  }
  return out;
}
