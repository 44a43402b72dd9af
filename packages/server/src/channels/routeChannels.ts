import { hasChannelConsent, type Channel, type MessagePriority } from '@careloop/core';

export const allChannels: readonly Channel[] = [
  'in-app',
  'web-push',
  'email',
  'sms',
  'wechat',
  'webhook',
];

const channelSet: ReadonlySet<string> = new Set(allChannels);

export function isChannel(s: string): s is Channel {
  return channelSet.has(s);
}

/** Red flags reach for the most immediate channel first (the contact policy's fallback order). */
export const redFlagChannelOrder: readonly Channel[] = ['sms', 'wechat', 'web-push', 'email'];

export interface RouteInput {
  /** What the program step asked for first (messages.channel). */
  requested: Channel;
  priority: MessagePriority;
  /** members.channel_preferences, most preferred first (unknown names are ignored). */
  preferences: readonly string[];
  /** members.consents.channels. */
  consent: Partial<Record<Channel, boolean>>;
  /** Outside channels the member can be reached on: an address or a push subscription on file. */
  reachable: ReadonlySet<Channel>;
}

export interface Route {
  /** Where the message goes: the first channel the member prefers, consented to and is reachable on. */
  primary: Channel;
  /**
   * Red flags only: the outside channels to push it through, in order; the first is tried, the
   * rest are the fallback when it fails. The red flag itself always lands in the in-app inbox.
   */
  redFlagChain: Channel[];
}

/**
 * Chooses the channel: the member's own preference order first, then the program's requested
 * channel, then (red flags) the most immediate channels; every candidate needs the member's consent
 * and an address. The in-app inbox is the fallback when no outside channel qualifies.
 */
export function routeMessage(input: RouteInput): Route {
  const member = { channelConsent: input.consent };
  const eligible = (c: Channel) =>
    hasChannelConsent({ ...member, timeZone: 'UTC', marketingConsent: false }, c) &&
    (c === 'in-app' || c === 'webhook' || input.reachable.has(c));
  const ordered: Channel[] = [];
  const add = (c: Channel) => {
    if (!ordered.includes(c) && eligible(c)) ordered.push(c);
  };
  for (const p of input.preferences) if (isChannel(p)) add(p);
  add(input.requested);
  if (input.priority === 'red-flag') for (const c of redFlagChannelOrder) add(c);
  const primary = ordered[0] ?? 'in-app';
  return {
    primary,
    redFlagChain: input.priority === 'red-flag' ? ordered.filter((c) => c !== 'in-app') : [],
  };
}
