import { DateTime } from 'luxon';
import type { ValidationIssue } from '../model/types.ts';
import {
  defaultDeliveryPolicy,
  type Channel,
  type DeliveryContext,
  type DeliveryDecision,
  type DeliveryMember,
  type DeliveryPolicyConfig,
  type DeliveryReason,
  type DeliveryRequest,
  type LedgerEntry,
  type MessagePriority,
} from './deliveryTypes.ts';
import {
  firstAllowedOfDay,
  inZone,
  isQuiet,
  localDate,
  nudgeToBestHour,
  quietEnd,
  toQuietWindow,
  type QuietWindow,
} from './localWindow.ts';

const hourMs = 3_600_000;

/** A red flag on a channel without consent falls back to the most immediate consented channel. */
const redFlagFallbackOrder: readonly Channel[] = ['sms', 'wechat', 'web-push', 'in-app', 'email'];

/** Classes whose send time is flexible: a deferral may move them to the member's best send hour. */
const flexibleTiming: ReadonlySet<MessagePriority> = new Set(['care', 'engagement', 'marketing']);

/** Classes that a silent member gets at most once per two local days while backed off. */
const backedOffClasses: ReadonlySet<MessagePriority> = new Set(['engagement', 'marketing']);

/**
 * In-app is the member's own inbox inside the app they installed: allowed unless they opted out.
 * Every channel that reaches outside the app needs an explicit yes.
 */
export function hasChannelConsent(member: DeliveryMember, channel: Channel): boolean {
  const consent = member.channelConsent[channel];
  return channel === 'in-app' ? consent !== false : consent === true;
}

export function validateDeliveryMember(member: DeliveryMember): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!DateTime.local({ zone: member.timeZone }).isValid) {
    issues.push({ path: 'timeZone', message: `unknown IANA time zone '${member.timeZone}'` });
  }
  if (member.quietHours) {
    const w = toQuietWindow(member.quietHours, 'quietHours');
    if (typeof w === 'string') {
      const cut = w.indexOf(': ');
      issues.push({ path: w.slice(0, cut), message: w.slice(cut + 2) });
    }
  }
  const best = member.bestSendHour;
  if (best !== null && best !== undefined && !(Number.isInteger(best) && best >= 0 && best <= 23)) {
    issues.push({ path: 'bestSendHour', message: `expected an integer 0–23, got ${best}` });
  }
  return issues;
}

function assertValid(member: DeliveryMember, policy: DeliveryPolicyConfig): QuietWindow {
  const issues = validateDeliveryMember(member);
  if (issues.length > 0) {
    throw new RangeError(
      `invalid delivery member: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  const w = toQuietWindow(member.quietHours ?? policy.quietHours, 'quietHours');
  if (typeof w === 'string') throw new RangeError(`invalid delivery policy: ${w}`);
  return w;
}

function isoOf(t: DateTime): string {
  return t.toUTC().toISO() ?? '';
}

function describeLocal(t: DateTime): string {
  return `${t.toFormat('yyyy-MM-dd HH:mm')} ${t.zoneName}`;
}

/**
 * The contact policy: one decision per message, with a reason an operator can read. Pure — the
 * ledger (`history`) and the clock come in; the caller stores the outcome (see ledgerEntryFor).
 *
 * Order: request integrity and consent first (these suppress), then the reinforcement window, then
 * red flags (always sent), then dedupe, the daily cap, the silent-member backoff and quiet hours
 * (these defer). A deferral names the first instant the message could go; the dispatcher decides
 * again at that instant, so a member who interacts meanwhile leaves the backoff at once.
 */
export function decideDelivery(request: DeliveryRequest, ctx: DeliveryContext): DeliveryDecision {
  const policy = ctx.policy ?? defaultDeliveryPolicy;
  const { member } = ctx;
  const quiet = assertValid(member, policy);
  const zone = member.timeZone;
  const nowMs = ctx.now.getTime();
  const now = DateTime.fromMillis(nowMs, { zone });
  const isRedFlag = request.priority === 'red-flag';

  // Integrity: a promotion may only travel as a marketing message, under its own consent.
  const isPromotion = request.promotional === true || request.purpose === 'promotion';
  if (isPromotion && request.priority !== 'marketing') {
    return {
      action: 'suppress',
      reason: 'promotion-in-care',
      detail: `a promotion cannot be sent with priority '${request.priority}'; send it as 'marketing' under marketing consent`,
    };
  }
  if (request.priority === 'marketing' && !member.marketingConsent) {
    return {
      action: 'suppress',
      reason: 'no-marketing-consent',
      detail: 'the member has not consented to marketing messages',
    };
  }

  let channel = request.channel;
  let fallbackNote: string | undefined;
  if (!hasChannelConsent(member, channel)) {
    if (!isRedFlag) {
      return {
        action: 'suppress',
        reason: 'no-channel-consent',
        detail: `no consent for channel '${channel}'${member.channelConsent[channel] === false ? ' (member opted out)' : ''}`,
      };
    }
    channel = redFlagFallbackOrder.find((c) => hasChannelConsent(member, c)) ?? 'in-app';
    fallbackNote = `red flag: no consent for '${request.channel}', sent via '${channel}' instead`;
  }

  if (isRedFlag) {
    // Never deferred or suppressed; it still uses the day's budget (decision 0004).
    return {
      action: 'send',
      countsTowardCap: true,
      channel,
      note: fallbackNote ?? 'red flag: exempt from cap, quiet hours, backoff and dedupe',
    };
  }

  const keyBehaviourMs = ctx.lastKeyBehaviourAt ? Date.parse(ctx.lastKeyBehaviourAt) : NaN;
  const windowEndMs = keyBehaviourMs + policy.reinforcementWindowHours * hourMs;
  const isReinforcement = request.purpose === 'reinforcement';
  if (isReinforcement) {
    if (Number.isNaN(keyBehaviourMs) || keyBehaviourMs > nowMs || nowMs > windowEndMs) {
      return {
        action: 'suppress',
        reason: 'reinforcement-window-closed',
        detail: Number.isNaN(keyBehaviourMs)
          ? 'no key behaviour on record to reinforce'
          : `the key behaviour at ${ctx.lastKeyBehaviourAt} is outside the ${policy.reinforcementWindowHours} h reinforcement window`,
      };
    }
  }

  if (request.dedupeKey) {
    const sinceMs = nowMs - policy.dedupeWindowHours * hourMs;
    const earlier = ctx.history.find(
      (e) =>
        e.outcome === 'sent' &&
        e.dedupeKey === request.dedupeKey &&
        Date.parse(e.at) > sinceMs &&
        Date.parse(e.at) <= nowMs,
    );
    if (earlier) {
      return {
        action: 'suppress',
        reason: 'duplicate',
        detail: `an equivalent message ('${request.dedupeKey}') was sent at ${earlier.at}, within ${policy.dedupeWindowHours} h`,
      };
    }
  }

  const best = flexibleTiming.has(request.priority) ? (member.bestSendHour ?? null) : null;

  // A reinforcement that cannot go out before its window closes has lost its point: drop it.
  const defer = (until: DateTime, reason: DeliveryReason, detail: string): DeliveryDecision =>
    isReinforcement && until.toMillis() > windowEndMs
      ? {
          action: 'suppress',
          reason: 'reinforcement-window-closed',
          detail: `${detail}; that is after the ${policy.reinforcementWindowHours} h reinforcement window closes (${reason})`,
        }
      : { action: 'defer', until: isoOf(until), reason, detail };

  const today = localDate(now);
  const sentLocal = ctx.history
    .filter((e) => e.outcome === 'sent')
    .map((e) => ({ entry: e, local: inZone(e.at, zone) }))
    .filter((x) => x.local.isValid && x.local.toMillis() <= nowMs);
  const sentToday = sentLocal.filter((x) => localDate(x.local) === today);
  // Only a deferral needs the next window; most decisions send, so work it out on demand.
  const nextMorning = (): DateTime => firstAllowedOfDay(now.plus({ days: 1 }), quiet, best);

  // One over-cap reinforcement per key behaviour: the member has just acted, the reward is due now.
  const reinforcementExempt =
    isReinforcement &&
    !sentLocal.some(
      (x) => x.entry.purpose === 'reinforcement' && x.local.toMillis() >= keyBehaviourMs,
    );

  const lastActivityMs = Math.max(
    ctx.lastInteractionAt ? Date.parse(ctx.lastInteractionAt) : NaN,
    Number.isNaN(keyBehaviourMs) ? -Infinity : keyBehaviourMs,
  );
  const silentForMs = nowMs - lastActivityMs;
  const isSilent =
    Number.isFinite(lastActivityMs) && silentForMs >= policy.silentDaysBeforeBackoff * 24 * hourMs;

  if (!reinforcementExempt) {
    if (sentToday.length >= policy.dailyCareCap) {
      const until = nextMorning();
      return defer(
        until,
        'daily-cap',
        `${sentToday.length} of ${policy.dailyCareCap} messages already sent on ${today} (${zone}); next window ${describeLocal(until)}`,
      );
    }
    if (isSilent) {
      const silentDays = Math.floor(silentForMs / (24 * hourMs));
      const halvedCap = Math.ceil(policy.dailyCareCap / 2);
      if (sentToday.length >= halvedCap) {
        const until = nextMorning();
        return defer(
          until,
          'silent-member-backoff',
          `no interaction for ${silentDays} days: daily cap halved to ${halvedCap}, ${sentToday.length} already sent on ${today}; next window ${describeLocal(until)}`,
        );
      }
      if (backedOffClasses.has(request.priority)) {
        const yesterday = localDate(now.minus({ days: 1 }));
        const recent = sentLocal
          .filter((x) => backedOffClasses.has(x.entry.priority))
          .filter((x) => localDate(x.local) === today || localDate(x.local) === yesterday)
          .sort((a, b) => b.local.toMillis() - a.local.toMillis())[0];
        if (recent) {
          const until = firstAllowedOfDay(recent.local.plus({ days: 2 }), quiet, best);
          return defer(
            until,
            'silent-member-backoff',
            `no interaction for ${silentDays} days: at most one engagement/marketing message per two days, last on ${localDate(recent.local)}; next window ${describeLocal(until)}`,
          );
        }
      }
    }
  }

  if (isQuiet(now, quiet)) {
    const until = nudgeToBestHour(quietEnd(now, quiet), quiet, best);
    return defer(
      until,
      'quiet-hours',
      `${describeLocal(now)} is inside quiet hours; next window ${describeLocal(until)}`,
    );
  }

  const overCap = sentToday.length >= policy.dailyCareCap;
  const note =
    reinforcementExempt && overCap
      ? 'reinforcement over the daily cap: the member has just acted'
      : reinforcementExempt && isSilent
        ? 'reinforcement during backoff: the member has just acted'
        : fallbackNote;
  return { action: 'send', countsTowardCap: true, channel, ...(note ? { note } : {}) };
}

/** The ledger row to store for a decision (operators see every deferral and suppression). */
export function ledgerEntryFor(
  request: DeliveryRequest,
  decision: DeliveryDecision,
  now: Date,
): LedgerEntry {
  const base = {
    at: now.toISOString(),
    priority: request.priority,
    dedupeKey: request.dedupeKey ?? null,
    purpose: request.purpose ?? null,
  };
  switch (decision.action) {
    case 'send':
      return { ...base, channel: decision.channel, outcome: 'sent', reason: decision.note ?? null };
    case 'defer':
      return {
        ...base,
        channel: request.channel,
        outcome: 'deferred',
        reason: `${decision.reason}: ${decision.detail}`,
      };
    case 'suppress':
      return {
        ...base,
        channel: request.channel,
        outcome: 'suppressed',
        reason: `${decision.reason}: ${decision.detail}`,
      };
  }
}

/**
 * The oldest ledger row decideDelivery can still need: the dedupe window, or two full local days
 * before today for the cap and the two-day backoff (72 h covers them in every zone). Load the
 * member's rows from this instant on.
 */
export function historyNeededSince(
  now: Date,
  policy: DeliveryPolicyConfig = defaultDeliveryPolicy,
): string {
  const hours = Math.max(policy.dedupeWindowHours, 72);
  return new Date(now.getTime() - hours * hourMs).toISOString();
}
