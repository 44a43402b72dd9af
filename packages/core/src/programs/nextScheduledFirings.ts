import { DateTime } from 'luxon';
import type { CareProgram, CompiledTrigger } from './careProgram.ts';
import type { DateTriggerDefinition } from './programDefinition.ts';
import type {
  EnrollmentState,
  FlowVars,
  ProgramMember,
  TriggerFiring,
  TriggerMemory,
} from './programRuntime.ts';
import { addDuration, parseTimeOfDay } from './programTime.ts';
import { rruleOccurrences } from './recurrence.ts';

/**
 * When an absence trigger fires next: the silence (from the last matching activity, or the
 * enrollment) reaches `for`, then each `backoff` gap in turn; null once they are used up.
 */
export function absenceDeadline(
  trigger: CompiledTrigger,
  memory: TriggerMemory | undefined,
  enrolledAt: string,
  zone: string,
): Date | null {
  if (trigger.def.kind !== 'absence' || !trigger.delay) return null;
  const fired = memory?.absenceFirings ?? 0;
  if (fired > trigger.backoff.length) return null;
  let t = addDuration(new Date(memory?.lastSeenAt ?? enrolledAt), trigger.delay, zone);
  for (let i = 0; i < fired; i++) t = addDuration(t, trigger.backoff[i]!, zone);
  return t;
}

const inWindow = (t: Date, from: Date, to: Date): boolean =>
  t.getTime() >= from.getTime() && t.getTime() < to.getTime();

function atLocal(date: DateTime, timeOfDay: string): DateTime {
  const minutes = parseTimeOfDay(timeOfDay) ?? 0;
  return date.startOf('day').set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
}

/** yyyy-MM-dd in a given year; 29 February falls on the 28th in common years. */
function sameDayInYear(isoDate: string, year: number, zone: string): DateTime | null {
  const d = DateTime.fromISO(isoDate, { zone });
  if (!d.isValid) return null;
  const day = d.month === 2 && d.day === 29 && !DateTime.local(year).isInLeapYear ? 28 : d.day;
  return DateTime.fromObject({ year, month: d.month, day }, { zone });
}

function dateFirings(
  t: CompiledTrigger,
  def: DateTriggerDefinition,
  state: EnrollmentState,
  member: ProgramMember,
  from: Date,
  to: Date,
): TriggerFiring[] {
  const zone = member.timeZone;
  const offset = def.offsetDays ?? 0;
  const out: TriggerFiring[] = [];
  const push = (day: DateTime, vars: FlowVars, idPart = ''): void => {
    const at = atLocal(day.plus({ days: offset }), def.at).toJSDate();
    if (inWindow(at, from, to)) {
      out.push({
        triggerId: t.id,
        at: at.toISOString(),
        flowId: `${t.id}${idPart}@${at.toISOString()}`,
        vars,
      });
    }
  };
  // Offsets reach a year either way: look one year beyond the window on both sides.
  const y0 = DateTime.fromJSDate(from, { zone }).year - 1;
  const y1 = DateTime.fromJSDate(to, { zone }).year + 1;
  switch (def.date) {
    case 'birthday': {
      if (!member.birthDate) break;
      for (let y = y0; y <= y1; y++) {
        const d = sameDayInYear(member.birthDate, y, zone);
        if (d) push(d, {});
      }
      break;
    }
    case 'enrollment-anniversary': {
      const enrolled = DateTime.fromISO(state.enrolledAt, { zone });
      const enrolledDate = enrolled.toISODate() ?? '';
      for (let y = Math.max(y0, enrolled.year + 1); y <= y1; y++) {
        const d = sameDayInYear(enrolledDate, y, zone);
        if (d) push(d, { 'enrollment.years': y - enrolled.year });
      }
      break;
    }
    case 'package-expiry': {
      for (const p of member.packages ?? []) {
        const d = DateTime.fromISO(p.expiresOn, { zone });
        if (!d.isValid) continue;
        const vars = {
          'package.name': p.name,
          'package.expiresOn': p.expiresOn,
          'package.daysLeft': -offset,
        };
        push(d, vars, `:${p.id}`);
      }
      break;
    }
  }
  return out;
}

/**
 * Time-driven firings in [from, to): schedule triggers (RRULE on the member's wall clock, or each
 * active medication's dose times), calendar dates and absence deadlines. Sorted by time. The runner
 * turns them into durable timers; recompute after every event (absence deadlines move).
 */
export function nextScheduledFirings(
  program: CareProgram,
  state: EnrollmentState,
  member: ProgramMember,
  from: Date,
  to: Date,
): TriggerFiring[] {
  if (state.status !== 'active') return [];
  const zone = member.timeZone;
  const anchor = new Date(state.enrolledAt);
  const out: TriggerFiring[] = [];
  for (const t of program.triggers) {
    const def = t.def;
    switch (def.kind) {
      case 'schedule':
        if (def.rrule !== undefined) {
          for (const at of rruleOccurrences(def.rrule, zone, anchor, from, to)) {
            out.push({
              triggerId: t.id,
              at: at.toISOString(),
              flowId: `${t.id}@${at.toISOString()}`,
              vars: {},
            });
          }
        }
        if (def.medications) {
          for (const m of member.medications ?? []) {
            if (!m.rrule || (m.status && m.status !== 'active')) continue;
            let times: Date[];
            try {
              times = rruleOccurrences(m.rrule, zone, anchor, from, to);
            } catch {
              continue; // an order with an unreadable schedule is the ingest's problem, not a reminder
            }
            for (const at of times) {
              out.push({
                triggerId: t.id,
                at: at.toISOString(),
                flowId: `${t.id}:${m.id}@${at.toISOString()}`,
                vars: {
                  'medication.name': m.name,
                  'medication.dosage': m.dosageText || { 'zh-CN': '按医嘱', en: 'as prescribed' },
                },
              });
            }
          }
        }
        break;
      case 'date':
        out.push(...dateFirings(t, def, state, member, from, to));
        break;
      case 'absence': {
        const at = absenceDeadline(t, state.triggers[t.id], state.enrolledAt, zone);
        if (at && inWindow(at, from, to)) {
          out.push({
            triggerId: t.id,
            at: at.toISOString(),
            flowId: `${t.id}@${at.toISOString()}`,
            vars: {},
          });
        }
        break;
      }
      default:
        break;
    }
  }
  const monthsOf = new Map(program.triggers.map((t) => [t.id, t.def.months]));
  return out
    .filter((f) => {
      const months = monthsOf.get(f.triggerId);
      return !months || months.includes(DateTime.fromISO(f.at, { zone }).month);
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.flowId.localeCompare(b.flowId));
}
