import { DateTime } from 'luxon';
import type { CareProgram, CompiledStep } from './careProgram.ts';
import { assertSameVersion } from './enrollment.ts';
import { absenceDeadline } from './nextScheduledFirings.ts';
import type { LocalizedText, Locale } from './programDefinition.ts';
import type {
  EnrollmentState,
  FlowVars,
  ProgramContext,
  ProgramEffect,
  RunResult,
  RunStart,
} from './programRuntime.ts';
import { addDuration, localDateOf, nextLocalTime } from './programTime.ts';
import { renderLocalized, type TemplateValue } from './templateText.ts';

/** No program can legitimately run this many steps in one go (flows are acyclic); a bug guard. */
const maxStepsPerRun = 10_000;

const isLocalized = (v: unknown): v is LocalizedText =>
  typeof v === 'object' && v !== null && 'zh-CN' in v && 'en' in v;

/** Day of the enrollment in the member's calendar, 1 on the day of enrolling. */
export function enrollmentDay(enrolledAt: string, now: Date, zone: string): number {
  const start = DateTime.fromISO(enrolledAt, { zone }).startOf('day');
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  return Math.round(today.diff(start, 'days').days) + 1;
}

/**
 * Runs one flow of a program as far as it goes without waiting: from a trigger firing, a finished
 * wait, or a given step. Pure: the clock, randomness, facts and member come in `ctx`; the effects
 * (messages, tasks, timers, exit) go out for the runner to carry out, with idempotency keys, and the
 * next enrollment state comes back.
 */
export function runSteps(
  program: CareProgram,
  state: EnrollmentState,
  start: RunStart,
  ctx: ProgramContext,
): RunResult {
  assertSameVersion(program, state);
  const skip = (why: string): RunResult => ({ effects: [], state, skipped: why });
  if (state.status !== 'active')
    return skip(`the enrollment has exited (${state.exitReason ?? 'no reason'})`);
  const zone = ctx.member.timeZone;
  const now = ctx.now;
  let next: EnrollmentState = {
    ...state,
    triggers: { ...state.triggers },
    variables: { ...state.variables },
  };

  let stepId: string;
  let flowId: string;
  let vars: FlowVars;
  let conditionContext: unknown;
  const context = (): unknown => {
    if (conditionContext === undefined) {
      const day = enrollmentDay(state.enrolledAt, now, zone);
      const goals: Record<string, number> = {};
      for (const [k, v] of Object.entries(next.variables)) {
        if (k.startsWith('goal.') && typeof v === 'string') goals[k.slice(5)] = Date.parse(v);
      }
      conditionContext = program.toConditionContext(ctx.facts, now, {
        day,
        week: Math.floor((day - 1) / 7) + 1,
        goals,
      });
    }
    return conditionContext;
  };

  if ('firing' in start) {
    const { firing } = start;
    const trigger = program.triggers.find((t) => t.id === firing.triggerId);
    if (!trigger) return skip(`unknown trigger '${firing.triggerId}' in ${program.key}`);
    const memory = state.triggers[trigger.id];
    if (trigger.def.kind === 'absence') {
      const due = absenceDeadline(trigger, memory, state.enrolledAt, zone);
      if (!due || due.getTime() !== Date.parse(firing.at)) {
        return skip(
          `stale absence timer for '${trigger.id}': the member has been active since it was set`,
        );
      }
    }
    if (trigger.cooldown && memory?.lastFiredAt) {
      const quietUntil = addDuration(new Date(memory.lastFiredAt), trigger.cooldown, zone);
      if (Date.parse(firing.at) < quietUntil.getTime()) {
        return skip(`trigger '${trigger.id}' is cooling down until ${quietUntil.toISOString()}`);
      }
    }
    const months = trigger.def.months;
    if (months && !months.includes(DateTime.fromISO(firing.at, { zone }).month)) {
      return skip(`trigger '${trigger.id}' only fires in months ${months.join(', ')}`);
    }
    if (trigger.when && !trigger.when.evaluate(context())) {
      return skip(`guard of trigger '${trigger.id}' is false: ${trigger.when.source}`);
    }
    next.triggers[trigger.id] = {
      ...memory,
      lastFiredAt: new Date(firing.at).toISOString(),
      ...(trigger.def.kind === 'absence'
        ? { absenceFirings: (memory?.absenceFirings ?? 0) + 1 }
        : {}),
    };
    stepId = trigger.startStepId;
    flowId = firing.flowId;
    vars = firing.vars;
  } else if ('resume' in start) {
    const waiting = state.waiting.find((w) => w.flowId === start.resume);
    if (!waiting) return skip(`no flow '${start.resume}' is waiting (already resumed?)`);
    if (Date.parse(waiting.until) > now.getTime()) {
      return skip(`flow '${start.resume}' waits until ${waiting.until}`);
    }
    next.waiting = state.waiting.filter((w) => w !== waiting);
    stepId = waiting.stepId;
    flowId = waiting.flowId;
    vars = waiting.vars;
  } else {
    if (!program.steps.has(start.stepId))
      return skip(`unknown step '${start.stepId}' in ${program.key}`);
    stepId = start.stepId;
    flowId = start.flowId;
    vars = start.vars ?? {};
  }

  const effects: ProgramEffect[] = [];
  const keyOf = (id: string): string => `${program.key}:${flowId}:${id}`;
  const exit = (reason: string, atStep: string | null): RunResult => {
    effects.push({
      kind: 'exit',
      key: keyOf(atStep ?? 'exit-criteria'),
      stepId: atStep,
      flowId,
      reason,
    });
    next = { ...next, status: 'exited', exitReason: reason, waiting: [] };
    return { effects, state: next, skipped: null };
  };

  if (program.exit && program.exit.evaluate(context())) {
    return exit(`exit criteria met: ${program.exit?.source ?? ''}`, null);
  }

  const day = enrollmentDay(state.enrolledAt, now, zone);
  const lookup = (name: string, locale: Locale): TemplateValue => {
    const v = vars[name];
    if (v !== undefined) return isLocalized(v) ? v[locale] : v;
    switch (name) {
      case 'member.name':
        return ctx.member.name ?? null;
      case 'enrollment.day':
        return day;
      case 'enrollment.week':
        return Math.floor((day - 1) / 7) + 1;
      default: {
        const value = ctx.facts[name];
        // Timestamps read as the member's local date, not an ISO instant.
        if (typeof value === 'string' && program.factType(name) === 'timestamp') {
          const t = Date.parse(value);
          return Number.isNaN(t) ? value : localDateOf(new Date(t), zone);
        }
        return value;
      }
    }
  };

  /** The text of a message or task; null when a content series has run out. */
  const textOf = (step: {
    text?: LocalizedText;
    title?: LocalizedText;
    template?: string;
    content?: { series: string; part: string };
  }): LocalizedText | null => {
    let raw: LocalizedText | undefined = step.text ?? step.title;
    if (step.template !== undefined) raw = program.templates[step.template];
    if (step.content) {
      const week = Math.floor((day - 1) / 7);
      raw = program.content[step.content.series]?.[week]?.[step.content.part];
    }
    return raw ? renderLocalized(raw, lookup) : null;
  };

  let pointer: string | null = stepId;
  for (let executed = 0; pointer !== null; executed++) {
    if (executed > maxStepsPerRun)
      throw new Error(`${program.key}: flow ${flowId} ran away at step ${pointer}`);
    const step: CompiledStep | undefined = program.steps.get(pointer);
    if (!step) throw new Error(`${program.key}: no step '${pointer}'`);
    pointer = step.next;
    switch (step.kind) {
      case 'message': {
        const text = textOf(step.def);
        if (!text) break;
        effects.push({
          kind: 'message',
          key: keyOf(step.id),
          stepId: step.id,
          flowId,
          priority: step.def.priority,
          purpose: step.def.purpose,
          channels: [...step.def.channels],
          text,
          expiresAt: step.expiresAfter
            ? addDuration(now, step.expiresAfter, zone).toISOString()
            : null,
          dedupeKey:
            step.def.dedupe === 'per-firing'
              ? `${program.id}:${step.id}:${flowId}`
              : `${program.id}:${step.id}:${localDateOf(now, zone)}`,
        });
        break;
      }
      case 'member-task': {
        const title = textOf(step.def);
        if (!title) break;
        const due = step.def.due;
        const dueAt =
          'by' in due
            ? nextLocalTime(now, due.by, zone)
            : addDuration(now, step.within ?? { days: 1 }, zone);
        effects.push({
          kind: 'member-task',
          key: keyOf(step.id),
          stepId: step.id,
          flowId,
          title,
          dueAt: dueAt.toISOString(),
          points: step.def.points,
          completedBy:
            typeof step.def.completedBy === 'object'
              ? { indicator: step.def.completedBy.indicator }
              : null,
        });
        break;
      }
      case 'care-team-task': {
        const title = textOf(step.def);
        if (!title) break;
        effects.push({
          kind: 'care-team-task',
          key: keyOf(step.id),
          stepId: step.id,
          flowId,
          role: step.def.role,
          slaMinutes: step.def.slaMinutes,
          priority: step.def.priority,
          title,
          dueAt: new Date(now.getTime() + step.def.slaMinutes * 60_000).toISOString(),
        });
        break;
      }
      case 'wait': {
        if (step.next === null) break;
        const until =
          step.until !== null
            ? nextLocalTime(now, step.until, zone)
            : addDuration(now, step.duration ?? { minutes: 0 }, zone);
        if (until.getTime() <= now.getTime()) break;
        effects.push({
          kind: 'wait',
          key: keyOf(step.id),
          stepId: step.id,
          flowId,
          until: until.toISOString(),
        });
        next = {
          ...next,
          waiting: [
            ...next.waiting,
            { flowId, stepId: step.next, until: until.toISOString(), vars },
          ],
        };
        pointer = null;
        break;
      }
      case 'branch': {
        const chosen = step.cases.find((c) => c.when.evaluate(context()));
        if (chosen) pointer = chosen.target;
        else if (step.elseTarget !== null) pointer = step.elseTarget;
        break;
      }
      case 'split': {
        const variable = `split.${step.id}`;
        const assigned = next.variables[variable];
        let arm = step.arms.find((a) => a.name === assigned);
        if (!arm) {
          const total = step.arms.reduce((s, a) => s + a.weight, 0);
          let r = ctx.random() * total;
          arm = step.arms.find((a) => (r -= a.weight) < 0) ?? step.arms[step.arms.length - 1]!;
          next.variables[variable] = arm.name;
        }
        pointer = arm.target;
        break;
      }
      case 'goto':
        pointer = step.target;
        break;
      case 'cancel': {
        const cancelled = next.waiting.filter(
          (w) =>
            w.flowId !== flowId && step.sequences.has(program.steps.get(w.stepId)?.sequence ?? ''),
        );
        if (cancelled.length === 0) break;
        next = { ...next, waiting: next.waiting.filter((w) => !cancelled.includes(w)) };
        effects.push({
          kind: 'cancel',
          key: keyOf(step.id),
          stepId: step.id,
          flowId,
          cancelled: cancelled.map((w) => w.flowId),
        });
        break;
      }
      case 'goal':
        next.variables[`goal.${step.def.goal}`] = now.toISOString();
        conditionContext = undefined; // later conditions in this run see the goal
        effects.push({
          kind: 'goal',
          key: keyOf(step.id),
          stepId: step.id,
          flowId,
          goal: step.def.goal,
        });
        if (step.def.exit) return exit(`goal reached: ${step.def.goal}`, step.id);
        break;
      case 'exit':
        return exit(step.def.reason, step.id);
    }
  }
  return { effects, state: next, skipped: null };
}
