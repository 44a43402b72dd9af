import { DateTime } from 'luxon';
import {
  decideDelivery,
  hasChannelConsent,
  ledgerEntryFor,
  type Channel,
  type DeliveryDecision,
  type DeliveryMember,
  type DeliveryRequest,
  type LedgerEntry,
  type MessagePurpose,
} from '../delivery/index.ts';
import type { CareProgram, FactValue, FactValues } from './careProgram.ts';
import { createEnrollment, isEligible } from './enrollment.ts';
import { matchTriggers } from './matchTriggers.ts';
import { nextScheduledFirings } from './nextScheduledFirings.ts';
import type { LocalizedText } from './programDefinition.ts';
import type {
  EnrollmentState,
  Place,
  ProgramContext,
  ProgramEffect,
  ProgramEvent,
  ProgramMember,
  RunResult,
  TriggerFiring,
} from './programRuntime.ts';
import { runSteps } from './runSteps.ts';

/** A member to preview a program for: profile facts, what happens to them, and their consents. */
export interface PreviewFixture {
  member: ProgramMember &
    Partial<Pick<DeliveryMember, 'channelConsent' | 'marketingConsent' | 'quietHours'>>;
  facts: FactValues;
  /** Simulated events; `facts` on an event update the profile from then on (e.g. a new latest.sbp). */
  events?: (ProgramEvent & { facts?: FactValues })[];
  /**
   * Facts that advance with the member's calendar from the start: `{"surgery.daysSince": "day",
   * "pregnancy.week": "week"}` adds one at each local midnight (or each 7 days).
   */
  ticking?: Record<string, 'day' | 'week'>;
  places?: Place[];
}

export interface PreviewOptions {
  /** First instant of the preview; the enrollment starts here unless `enrolledAt` says otherwise. */
  start: Date;
  days: number;
  enrolledAt?: Date;
  /** Uniform [0, 1) for random splits; pass a seeded generator for a repeatable preview. */
  random: () => number;
  /** Apply the contact policy (default true). */
  applyPolicy?: boolean;
}

export type PreviewEntry =
  | {
      at: string;
      day: number;
      kind: 'message';
      stepId: string;
      priority: string;
      purpose: string;
      channel: string;
      text: LocalizedText;
      /** The contact policy's decision; absent when the policy is off. */
      delivery: DeliveryDecision | null;
      /** This is a deferred message being decided again. */
      retry: boolean;
    }
  | {
      at: string;
      day: number;
      kind: 'member-task';
      stepId: string;
      title: LocalizedText;
      dueAt: string;
      points: number;
      completedBy: string | null;
    }
  | { at: string; day: number; kind: 'task-completed'; stepId: string; points: number }
  | {
      at: string;
      day: number;
      kind: 'care-team-task';
      stepId: string;
      role: string;
      priority: string;
      slaMinutes: number;
      title: LocalizedText;
    }
  | { at: string; day: number; kind: 'goal'; stepId: string; goal: string }
  | { at: string; day: number; kind: 'cancelled'; stepId: string; flows: string[] }
  | { at: string; day: number; kind: 'exit'; reason: string }
  /** A deferred message whose moment passed before it could go out: dropped, not sent late. */
  | { at: string; day: number; kind: 'expired'; stepId: string; expiresAt: string }
  | { at: string; day: number; kind: 'event'; event: ProgramEvent }
  | { at: string; day: number; kind: 'skipped'; triggerId: string | null; reason: string };

export interface PreviewResult {
  eligible: boolean;
  entries: PreviewEntry[];
  state: EnrollmentState;
}

type Pending =
  | { at: number; rank: 0; kind: 'event'; event: ProgramEvent & { facts?: FactValues } }
  | { at: number; rank: 1; kind: 'firing'; firing: TriggerFiring }
  | { at: number; rank: 2; kind: 'resume'; flowId: string }
  | {
      at: number;
      rank: 3;
      kind: 'redeliver';
      effect: Extract<ProgramEffect, { kind: 'message' }>;
      tries: number;
    };

/** Events that show the member is there (for the policy's silent-member backoff). */
const interactionKinds: ReadonlySet<string> = new Set([
  'observation',
  'task-done',
  'app-open',
  'message-opened',
  'medication-taken',
  'report',
  'consultation-finished',
]);
/** Key behaviours a reinforcement may answer within hours. */
const keyBehaviourKinds: ReadonlySet<string> = new Set([
  'observation',
  'task-done',
  'medication-taken',
]);
const policyPurposes: ReadonlySet<string> = new Set([
  'reminder',
  'reinforcement',
  'alert',
  'education',
  'promotion',
  'summary',
]);
const maxRedeliveries = 5;

/** A small seeded generator (mulberry32) so previews with splits are repeatable. */
export function seededPreviewRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Simulates a program for one member over days: the messages and tasks they would get, in order,
 * with the contact policy's decision on each message (sent, deferred and re-decided later, or
 * suppressed, with the reason). Pure: a preview of `careloop program preview`, not a side effect.
 */
export function previewProgram(
  program: CareProgram,
  fixture: PreviewFixture,
  opts: PreviewOptions,
): PreviewResult {
  const zone = fixture.member.timeZone;
  const startMs = opts.start.getTime();
  const endMs = DateTime.fromJSDate(opts.start, { zone }).plus({ days: opts.days }).toMillis();
  const firstDay = DateTime.fromJSDate(opts.start, { zone }).startOf('day');
  const dayOf = (ms: number): number =>
    Math.floor(DateTime.fromMillis(ms, { zone }).startOf('day').diff(firstDay, 'days').days + 0.5) +
    1;
  const enrolledAt = opts.enrolledAt ?? opts.start;
  let facts: FactValues = { ...fixture.facts };
  let state = createEnrollment(program, enrolledAt);
  const entries: PreviewEntry[] = [];

  if (!isEligible(program, facts, opts.start)) {
    return { eligible: false, entries, state };
  }

  const deliveryMember: DeliveryMember = {
    timeZone: zone,
    channelConsent: fixture.member.channelConsent ?? {},
    marketingConsent: fixture.member.marketingConsent ?? false,
    quietHours: fixture.member.quietHours ?? null,
  };
  const ledger: LedgerEntry[] = [];
  let lastInteractionAt: string | null = enrolledAt.toISOString();
  let lastKeyBehaviourAt: string | null = null;
  const openTasks: { stepId: string; indicator: string; dueAt: number; points: number }[] = [];

  const queue: Pending[] = (fixture.events ?? [])
    .map((event): Pending => ({ at: Date.parse(event.at), rank: 0, kind: 'event', event }))
    .filter((p) => p.at >= startMs && p.at < endMs);
  const done = new Set<string>();
  const ticking = Object.entries(fixture.ticking ?? {});
  /** The facts at an instant: the current ones with ticking facts advanced to that day. */
  const factsAt = (ms: number): FactValues => {
    if (ticking.length === 0) return facts;
    const days = dayOf(ms) - 1;
    const out: Record<string, FactValue> = { ...facts };
    for (const [key, unit] of ticking) {
      const base = fixture.facts[key];
      if (typeof base === 'number')
        out[key] = base + (unit === 'day' ? days : Math.floor(days / 7));
    }
    return out;
  };
  const ctxAt = (ms: number): ProgramContext => ({
    now: new Date(ms),
    member: fixture.member,
    facts: factsAt(ms),
    random: opts.random,
    places: fixture.places ?? [],
  });
  const iso = (ms: number): string => new Date(ms).toISOString();

  const deliver = (
    effect: Extract<ProgramEffect, { kind: 'message' }>,
    ms: number,
    tries: number,
  ): void => {
    const channel: Channel =
      (effect.channels.find((c) => hasChannelConsent(deliveryMember, c as Channel)) as
        Channel | undefined) ?? (effect.channels[0] as Channel);
    let decision: DeliveryDecision | null = null;
    if (opts.applyPolicy !== false) {
      const request: DeliveryRequest = {
        priority: effect.priority,
        channel,
        dedupeKey: effect.dedupeKey,
        promotional: effect.purpose === 'promotion',
        ...(policyPurposes.has(effect.purpose)
          ? { purpose: effect.purpose as MessagePurpose }
          : {}),
      };
      decision = decideDelivery(request, {
        member: deliveryMember,
        history: ledger,
        lastInteractionAt,
        lastKeyBehaviourAt,
        now: new Date(ms),
      });
      ledger.push(ledgerEntryFor(request, decision, new Date(ms)));
    }
    entries.push({
      at: iso(ms),
      day: dayOf(ms),
      kind: 'message',
      stepId: effect.stepId,
      priority: effect.priority,
      purpose: effect.purpose,
      channel: decision?.action === 'send' ? decision.channel : channel,
      text: effect.text,
      delivery: decision,
      retry: tries > 0,
    });
    if (decision?.action === 'defer' && tries < maxRedeliveries) {
      const until = Date.parse(decision.until);
      if (effect.expiresAt !== null && Date.parse(effect.expiresAt) <= until) {
        // Deferred past its moment: the runner drops it rather than delivering it late.
        entries.push({
          at: iso(ms),
          day: dayOf(ms),
          kind: 'expired',
          stepId: effect.stepId,
          expiresAt: effect.expiresAt,
        });
      } else if (until < endMs) {
        queue.push({ at: until, rank: 3, kind: 'redeliver', effect, tries: tries + 1 });
      }
    }
  };

  const apply = (result: RunResult, ms: number, triggerId: string | null): void => {
    state = result.state;
    if (result.skipped)
      entries.push({
        at: iso(ms),
        day: dayOf(ms),
        kind: 'skipped',
        triggerId,
        reason: result.skipped,
      });
    for (const effect of result.effects) {
      const at = iso(ms);
      const day = dayOf(ms);
      switch (effect.kind) {
        case 'message':
          deliver(effect, ms, 0);
          break;
        case 'member-task':
          entries.push({
            at,
            day,
            kind: 'member-task',
            stepId: effect.stepId,
            title: effect.title,
            dueAt: effect.dueAt,
            points: effect.points,
            completedBy: effect.completedBy?.indicator ?? null,
          });
          if (effect.completedBy) {
            openTasks.push({
              stepId: effect.stepId,
              indicator: effect.completedBy.indicator,
              dueAt: Date.parse(effect.dueAt),
              points: effect.points,
            });
          }
          break;
        case 'care-team-task':
          entries.push({
            at,
            day,
            kind: 'care-team-task',
            stepId: effect.stepId,
            role: effect.role,
            priority: effect.priority,
            slaMinutes: effect.slaMinutes,
            title: effect.title,
          });
          break;
        case 'wait':
          queue.push({
            at: Date.parse(effect.until),
            rank: 2,
            kind: 'resume',
            flowId: effect.flowId,
          });
          break;
        case 'goal':
          entries.push({ at, day, kind: 'goal', stepId: effect.stepId, goal: effect.goal });
          break;
        case 'cancel':
          for (const flowId of effect.cancelled) {
            const i = queue.findIndex((p) => p.kind === 'resume' && p.flowId === flowId);
            if (i >= 0) queue.splice(i, 1);
          }
          entries.push({
            at,
            day,
            kind: 'cancelled',
            stepId: effect.stepId,
            flows: effect.cancelled,
          });
          break;
        case 'exit':
          entries.push({ at, day, kind: 'exit', reason: effect.reason });
          break;
      }
    }
  };

  let cursor = startMs;
  for (let guard = 0; guard < 100_000 && state.status === 'active'; guard++) {
    // Time-driven firings move as the state changes (absence deadlines): recompute each turn.
    const scheduled = nextScheduledFirings(
      program,
      state,
      fixture.member,
      new Date(cursor),
      new Date(endMs),
    ).find((f) => !done.has(f.flowId));
    const candidates: Pending[] = [...queue];
    if (scheduled)
      candidates.push({ at: Date.parse(scheduled.at), rank: 1, kind: 'firing', firing: scheduled });
    if (candidates.length === 0) break;
    candidates.sort((a, b) => a.at - b.at || a.rank - b.rank);
    const item = candidates[0]!;
    if (item.at >= endMs) break;
    const qi = queue.indexOf(item);
    if (qi >= 0) queue.splice(qi, 1);
    cursor = Math.max(cursor, item.at);
    const ms = item.at;
    switch (item.kind) {
      case 'event': {
        const { facts: patch, ...event } = item.event;
        if (patch) facts = { ...facts, ...patch };
        entries.push({ at: iso(ms), day: dayOf(ms), kind: 'event', event });
        if (interactionKinds.has(event.kind)) lastInteractionAt = iso(ms);
        if (keyBehaviourKinds.has(event.kind)) lastKeyBehaviourAt = iso(ms);
        const matched = matchTriggers(program, state, event, ctxAt(ms));
        state = matched.state;
        for (const firing of matched.firings) {
          queue.push({ at: Math.max(Date.parse(firing.at), ms), rank: 1, kind: 'firing', firing });
        }
        // A reading completes open tasks it answers; completing one is itself an event.
        if (event.kind === 'observation') {
          for (const t of [...openTasks]) {
            if (t.indicator !== event.indicator || t.dueAt < ms) continue;
            openTasks.splice(openTasks.indexOf(t), 1);
            entries.push({
              at: iso(ms),
              day: dayOf(ms),
              kind: 'task-completed',
              stepId: t.stepId,
              points: t.points,
            });
            queue.push({
              at: ms,
              rank: 0,
              kind: 'event',
              event: { kind: 'task-done', at: iso(ms), programId: program.id, stepId: t.stepId },
            });
          }
        }
        break;
      }
      case 'firing':
        done.add(item.firing.flowId);
        apply(
          runSteps(program, state, { firing: item.firing }, ctxAt(ms)),
          ms,
          item.firing.triggerId,
        );
        break;
      case 'resume':
        apply(runSteps(program, state, { resume: item.flowId }, ctxAt(ms)), ms, null);
        break;
      case 'redeliver':
        deliver(item.effect, ms, item.tries);
        break;
    }
  }
  return { eligible: true, entries, state };
}
