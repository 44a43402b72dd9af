import { addCalendarDays, calendarDaysBetween, memberLocalDate } from './localDays.ts';

/**
 * Streaks (打卡): consecutive LOCAL days, in the member's time zone, on which they did at least one
 * health action (recorded a reading, completed a task).
 *
 * Grace rule: life happens, and a streak that dies on one missed day teaches members to give up
 * (seed 002's 七日劫). A single missed day between two active days is bridged by a grace day, at
 * most once in any `graceEveryDays` consecutive days (default 7: one per week). Two missed days in
 * a row always end the streak. Grace days bridge the streak but are not counted in its length.
 *
 * Today is not over: a streak whose last active day was yesterday is still alive ('pending'); one
 * whose last active day was the day before yesterday is 'at-risk' when a grace day is available
 * for yesterday (act today to keep it) and 'broken' otherwise.
 */

export interface StreakRules {
  /** At most one grace day in any this many consecutive days; 0 turns grace off. */
  graceEveryDays: number;
}

export const defaultStreakRules: StreakRules = { graceEveryDays: 7 };

export type StreakState = 'none' | 'active-today' | 'pending' | 'at-risk' | 'broken';

export interface Streak {
  /** Active days in the current streak (0 when broken or none). */
  current: number;
  /** Local date the current streak began, or null. */
  startedOn: string | null;
  /** The member's last active local date, or null. */
  lastActiveOn: string | null;
  state: StreakState;
  /** Grace days used inside the current streak (local dates). */
  graceDays: string[];
  /** The longest streak ever, in active days. */
  longest: number;
  /** Local date the longest streak began (the latest one when tied). */
  longestStartedOn: string | null;
}

interface Run {
  start: string;
  last: string;
  days: number;
  graceDays: string[];
}

function graceAvailable(run: Run, missedDay: string, rules: StreakRules): boolean {
  if (rules.graceEveryDays <= 0) return false;
  const lastGrace = run.graceDays[run.graceDays.length - 1];
  return (
    lastGrace === undefined || calendarDaysBetween(lastGrace, missedDay) >= rules.graceEveryDays
  );
}

/**
 * The streak on local date `today` from the member's active local dates (any order, duplicates
 * allowed; dates after today are ignored: a clock or data error must not extend a streak).
 */
export function computeStreak(
  activeDates: readonly string[],
  today: string,
  rules: StreakRules = defaultStreakRules,
): Streak {
  const dates = [...new Set(activeDates)].filter((d) => calendarDaysBetween(d, today) >= 0).sort();
  const none: Streak = {
    current: 0,
    startedOn: null,
    lastActiveOn: null,
    state: 'none',
    graceDays: [],
    longest: 0,
    longestStartedOn: null,
  };
  const first = dates[0];
  if (first === undefined) return none;

  let run: Run = { start: first, last: first, days: 1, graceDays: [] };
  let longest = { days: 1, start: first };
  for (const d of dates.slice(1)) {
    const missed = calendarDaysBetween(run.last, d) - 1;
    if (missed === 0) {
      run.days++;
      run.last = d;
    } else if (missed === 1 && graceAvailable(run, addCalendarDays(run.last, 1), rules)) {
      run.graceDays.push(addCalendarDays(run.last, 1));
      run.days++;
      run.last = d;
    } else run = { start: d, last: d, days: 1, graceDays: [] };
    if (run.days >= longest.days) longest = { days: run.days, start: run.start };
  }

  const sinceLast = calendarDaysBetween(run.last, today);
  let state: StreakState;
  if (sinceLast === 0) state = 'active-today';
  else if (sinceLast === 1) state = 'pending';
  else if (sinceLast === 2 && graceAvailable(run, addCalendarDays(run.last, 1), rules))
    state = 'at-risk';
  else state = 'broken';
  const alive = state !== 'broken';
  return {
    current: alive ? run.days : 0,
    startedOn: alive ? run.start : null,
    lastActiveOn: run.last,
    state,
    graceDays: alive ? run.graceDays : [],
    longest: longest.days,
    longestStartedOn: longest.start,
  };
}

/** The streak at instant `now` from the instants of the member's health actions. */
export function streakAt(
  actionInstants: readonly (string | Date)[],
  now: Date,
  timeZone: string,
  rules: StreakRules = defaultStreakRules,
): Streak {
  return computeStreak(
    actionInstants.map((a) => memberLocalDate(a, timeZone)),
    memberLocalDate(now, timeZone),
    rules,
  );
}
