import type { CareProgram, CompiledTrigger } from './careProgram.ts';
import type { EventFilter } from './programDefinition.ts';
import type {
  EnrollmentState,
  FlowVars,
  ProgramContext,
  ProgramEvent,
  TriggerFiring,
  TriggerMemory,
} from './programRuntime.ts';
import { addDuration, localMinuteOfDay, parseTimeOfDay } from './programTime.ts';

/** Events that count as health activity (absence `activity: health`). */
const healthActivity: ReadonlySet<ProgramEvent['kind']> = new Set([
  'observation',
  'medication-taken',
  'task-done',
  'report',
]);

/** Leaving the radius by this factor re-arms a location trigger, so GPS jitter at the edge is quiet. */
const locationHysteresis = 1.5;

function matchesFilter(program: CareProgram, f: EventFilter, e: ProgramEvent): boolean {
  if (f.on !== e.kind) return false;
  switch (e.kind) {
    case 'observation':
      return f.indicator === undefined || f.indicator === e.indicator;
    case 'red-flag':
      return f.flag === undefined || f.flag === e.flag;
    case 'task-done':
      return (
        f.task === undefined ||
        (f.task === e.stepId && (e.programId === undefined || e.programId === program.id))
      );
    default:
      return true;
  }
}

function varsOf(e: ProgramEvent): FlowVars {
  switch (e.kind) {
    case 'observation':
      return { 'reading.value': e.value, 'reading.indicator': e.indicator };
    case 'medication-taken':
      return e.medication ? { 'medication.name': e.medication } : {};
    default:
      return {};
  }
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(
  a: { lat: number; lon: number },
  b: { lat: number; lon: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const firingAt = (t: CompiledTrigger, at: string, vars: FlowVars): TriggerFiring => ({
  triggerId: t.id,
  at,
  flowId: `${t.id}@${at}`,
  vars,
});

/**
 * Which triggers an event fires, and the trigger memory it updates (absence clocks restart,
 * thresholds disarm and re-arm, location presence). Relative triggers come back with a later `at`
 * for the runner to schedule. Guards and cooldowns are checked when the firing runs (runSteps).
 * Thresholds on an indicator read the event's value; thresholds on a fact read `ctx.facts` as of
 * the event (every event but a location ping, since any of them may come with updated facts).
 */
export function matchTriggers(
  program: CareProgram,
  state: EnrollmentState,
  event: ProgramEvent,
  ctx: ProgramContext,
): { firings: TriggerFiring[]; state: EnrollmentState } {
  if (state.status !== 'active') return { firings: [], state };
  const zone = ctx.member.timeZone;
  const firings: TriggerFiring[] = [];
  const memory: Record<string, TriggerMemory> = { ...state.triggers };
  const update = (id: string, patch: TriggerMemory): void => {
    memory[id] = { ...memory[id], ...patch };
  };

  for (const t of program.triggers) {
    const def = t.def;
    switch (def.kind) {
      case 'event':
        if (matchesFilter(program, def, event)) firings.push(firingAt(t, event.at, varsOf(event)));
        break;
      case 'relative': {
        if (!matchesFilter(program, def.after, event) || !t.delay) break;
        const between = def.after.between;
        if (between) {
          const minute = localMinuteOfDay(new Date(event.at), zone);
          const from = parseTimeOfDay(between[0]) ?? 0;
          const to = parseTimeOfDay(between[1]) ?? 0;
          const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
          if (!inside) break;
        }
        const at = addDuration(new Date(event.at), t.delay, zone).toISOString();
        firings.push({ triggerId: t.id, at, flowId: `${t.id}@${event.at}`, vars: varsOf(event) });
        break;
      }
      case 'absence': {
        const counts =
          'indicator' in def.of
            ? event.kind === 'observation' && event.indicator === def.of.indicator
            : def.of.activity === 'health'
              ? healthActivity.has(event.kind)
              : event.kind !== 'location';
        if (!counts) break;
        const last = memory[t.id]?.lastSeenAt;
        const at = new Date(event.at);
        if (last === undefined || Date.parse(last) < at.getTime()) {
          update(t.id, { lastSeenAt: at.toISOString(), absenceFirings: 0 });
        }
        break;
      }
      case 'threshold': {
        let value: number | null = null;
        if (def.indicator !== undefined) {
          if (event.kind === 'observation' && event.indicator === def.indicator)
            value = event.value;
        } else if (def.fact !== undefined && event.kind !== 'location') {
          const v = ctx.facts[def.fact];
          if (typeof v === 'number') value = v;
        }
        if (value === null) break;
        const armed = memory[t.id]?.armed ?? true;
        const crossed =
          def.above !== undefined ? value >= def.above : value < (def.below ?? -Infinity);
        const reset = def.above !== undefined ? value < def.reset : value >= def.reset;
        if (armed && crossed) {
          update(t.id, { armed: false });
          firings.push(
            firingAt(t, event.at, {
              'reading.value': value,
              'reading.indicator': def.indicator ?? def.fact ?? '',
            }),
          );
        } else if (!armed && reset) {
          update(t.id, { armed: true });
        }
        break;
      }
      case 'location': {
        if (event.kind !== 'location') break;
        let nearest: { name: string; km: number } | null = null;
        for (const p of ctx.places ?? []) {
          if (p.kind !== def.near) continue;
          const km = distanceKm(event, p);
          if (!nearest || km < nearest.km) nearest = { name: p.name, km };
        }
        const inside = memory[t.id]?.inside ?? false;
        if (nearest && nearest.km <= def.withinKm && !inside) {
          update(t.id, { inside: true });
          firings.push(
            firingAt(t, event.at, {
              'place.name': nearest.name,
              'place.distanceKm': Math.round(nearest.km * 10) / 10,
            }),
          );
        } else if (inside && (!nearest || nearest.km > def.withinKm * locationHysteresis)) {
          update(t.id, { inside: false });
        }
        break;
      }
      case 'schedule':
      case 'date':
        break;
    }
  }
  return { firings, state: { ...state, triggers: memory } };
}
