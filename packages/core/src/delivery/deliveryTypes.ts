/**
 * The contact-policy ledger's vocabulary: what a program asks to send, what we know about the member,
 * what was already decided, and the decision itself. One ledger for every program and channel.
 */

/** Priority classes, highest first: when the daily budget is tight, lower classes defer first. */
export type MessagePriority = 'red-flag' | 'clinical' | 'care' | 'engagement' | 'marketing';

export const messagePriorities: readonly MessagePriority[] = [
  'red-flag',
  'clinical',
  'care',
  'engagement',
  'marketing',
];

export type Channel = 'in-app' | 'web-push' | 'email' | 'sms' | 'wechat' | 'webhook';

export type MessagePurpose =
  'reminder' | 'reinforcement' | 'alert' | 'education' | 'promotion' | 'summary';

export interface DeliveryRequest {
  priority: MessagePriority;
  channel: Channel;
  /** Equivalent messages share it (e.g. `htn-bp-reminder:2026-03-08`). */
  dedupeKey?: string | null;
  /** True for promotions; never allowed inside a care message (only priority 'marketing'). */
  promotional?: boolean;
  /** 'reinforcement' messages follow a key behaviour and only make sense right after it. */
  purpose?: MessagePurpose;
}

export interface DeliveryMember {
  /** IANA zone; "a day" and quiet hours are the member's local ones. */
  timeZone: string;
  /** true = consented; false = opted out; absent = never asked (see decision 0004 for in-app). */
  channelConsent: Partial<Record<Channel, boolean>>;
  marketingConsent: boolean;
  /** 'HH:mm' local; null/absent = the policy default; start === end = no quiet hours. */
  quietHours?: { start: string; end: string } | null;
  /** Learned from open history (learnBestSendHour), 0–23 local, or null. */
  bestSendHour?: number | null;
}

/** One row of the ledger: every decision is stored, with its reason, and shown to operators. */
export interface LedgerEntry {
  /** ISO instant of the decision. */
  at: string;
  priority: MessagePriority;
  channel: Channel;
  outcome: 'sent' | 'deferred' | 'suppressed';
  dedupeKey?: string | null;
  reason?: string | null;
  /** Lets the policy tell a reinforcement apart (one over-cap reinforcement per key behaviour). */
  purpose?: MessagePurpose | null;
}

export interface DeliveryPolicyConfig {
  /** Care messages (every priority, red flags included) per member per local day. */
  dailyCareCap: number;
  /** Default quiet hours, 'HH:mm' local; a member's own setting overrides them. */
  quietHours: { start: string; end: string };
  /** Days without interaction after which the frequency is halved. */
  silentDaysBeforeBackoff: number;
  /** A reinforcement must go out within this many hours of the key behaviour. */
  reinforcementWindowHours: number;
  /** A message with the same dedupeKey sent within this many hours is a duplicate. */
  dedupeWindowHours: number;
}

/** The "3-rule" of seed 003: 3 per day, back off after 3 silent days, reinforce within 3 h. */
export const defaultDeliveryPolicy: DeliveryPolicyConfig = {
  dailyCareCap: 3,
  quietHours: { start: '22:00', end: '08:00' },
  silentDaysBeforeBackoff: 3,
  reinforcementWindowHours: 3,
  dedupeWindowHours: 24,
};

export type DeliveryReason =
  | 'daily-cap'
  | 'quiet-hours'
  | 'silent-member-backoff'
  | 'duplicate'
  | 'no-channel-consent'
  | 'no-marketing-consent'
  | 'promotion-in-care'
  | 'reinforcement-window-closed';

export type DeliveryDecision =
  | {
      action: 'send';
      countsTowardCap: boolean;
      /** The channel to use: the requested one, or a red flag's fallback when it lacks consent. */
      channel: Channel;
      note?: string;
    }
  | { action: 'defer'; until: string /* ISO instant */; reason: DeliveryReason; detail: string }
  | { action: 'suppress'; reason: DeliveryReason; detail: string };

export interface DeliveryContext {
  member: DeliveryMember;
  /** The member's ledger, any order; only rows near `now` matter (the last ~3 local days). */
  history: readonly LedgerEntry[];
  /** Last open / click / action / reading by the member (ISO); null = none on record. */
  lastInteractionAt: string | null;
  /** Last key behaviour (a reading, a completed task) that a reinforcement answers. */
  lastKeyBehaviourAt?: string | null;
  now: Date;
  policy?: DeliveryPolicyConfig;
}
