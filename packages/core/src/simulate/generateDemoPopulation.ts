import type { ObservationInput } from '../model/types.ts';
import type { DemoMember, DemoPopulationOptions } from './demoMember.ts';
import type { MemberActivity } from './memberReadings.ts';
import { CalendarCache } from './localCalendar.ts';
import { planMember } from './memberPlan.ts';
import { memberObservations } from './memberReadings.ts';

const WEEK_MS = 7 * 86_400_000;

/** Checks the options and names the field that is wrong; returns the window in epoch ms. */
function checkOptions(opts: DemoPopulationOptions): { startMs: number; endMs: number } {
  if (!Number.isSafeInteger(opts.seed))
    throw new RangeError(`opts.seed: must be a safe integer, got ${String(opts.seed)}`);
  if (!Number.isSafeInteger(opts.members) || opts.members < 0) {
    throw new RangeError(
      `opts.members: must be a non-negative integer, got ${String(opts.members)}`,
    );
  }
  const startMs = opts.start instanceof Date ? opts.start.getTime() : Number.NaN;
  const endMs = opts.end instanceof Date ? opts.end.getTime() : Number.NaN;
  if (!Number.isFinite(startMs)) throw new RangeError('opts.start: must be a valid Date');
  if (!Number.isFinite(endMs)) throw new RangeError('opts.end: must be a valid Date');
  if (endMs <= startMs) throw new RangeError('opts.end: must be after opts.start');
  return { startMs, endMs };
}

/**
 * A deterministic demo population: personas, names, time zones, conditions, medication plans and
 * months of readings between `start` and `end`. Everything comes from `seed`: the same options give
 * byte-identical output, and the first n members of a larger population are the population of n.
 */
export function generateDemoPopulation(opts: DemoPopulationOptions): DemoMember[] {
  const window = checkOptions(opts);
  const calendars = new CalendarCache(window.startMs, window.endMs);
  const population: DemoMember[] = [];
  for (let i = 0; i < opts.members; i++) {
    const plan = planMember(opts.seed, i, calendars);
    const observations: ObservationInput[] = [];
    const readings = memberObservations(plan, opts.seed, window);
    let step = readings.next();
    while (!step.done) {
      observations.push(step.value);
      step = readings.next();
    }
    const activity: MemberActivity = step.value;
    const weeks = Math.max(1, (window.endMs - plan.signupAtMs) / WEEK_MS);
    population.push({
      member: {
        externalRef: plan.ref,
        name: plan.name.text,
        gender: plan.gender,
        birthDate: plan.birthDate,
        timeZone: plan.timeZone,
        locale: plan.locale,
      },
      nameParts: { family: plan.name.family, given: plan.name.given },
      persona: plan.persona,
      conditions: plan.conditions,
      medications: plan.medications,
      observations,
      engagement: {
        signupAt: new Date(plan.signupAtMs).toISOString(),
        lastActiveAt: new Date(activity.lastActiveMs).toISOString(),
        appOpensPerWeek:
          Math.round(((activity.activeDays * plan.opensPerActiveDay) / weeks) * 10) / 10,
        activeDays: activity.activeDays,
      },
      redFlag:
        plan.redFlag && activity.redFlagMs !== null
          ? { kind: plan.redFlag.kind, at: new Date(activity.redFlagMs).toISOString() }
          : null,
    });
  }
  return population;
}

/**
 * Streams the population's observations member by member without keeping them: memory stays flat
 * however many members a benchmark asks for. Without `perMemberPerDay` the stream is exactly the
 * observations of `generateDemoPopulation` with the same options, in the same order. With it, every
 * member yields exactly that many observations on each local day inside the window (their own
 * readings first, padded with wearable heart-rate samples), so a benchmark knows its row count:
 * about members × days × perMemberPerDay. Dense streams reuse the idempotency-key scheme, so do
 * not load one into a database that holds the plain population of the same seed.
 */
export function* generateObservations(
  opts: DemoPopulationOptions & { perMemberPerDay?: number },
): Generator<ObservationInput, void, undefined> {
  const window = checkOptions(opts);
  const dense = opts.perMemberPerDay;
  if (dense !== undefined && (!Number.isSafeInteger(dense) || dense < 1 || dense > 1440)) {
    throw new RangeError(
      `opts.perMemberPerDay: must be an integer from 1 to 1440, got ${String(dense)}`,
    );
  }
  const calendars = new CalendarCache(window.startMs, window.endMs);
  for (let i = 0; i < opts.members; i++) {
    yield* memberObservations(planMember(opts.seed, i, calendars), opts.seed, window, dense);
  }
}
