import type { Channel, MessagePriority, MessagePurpose } from '@careloop/core';

export type Bilingual = { 'zh-CN': string; en: string };

/** One message on its way out through one channel (one attempt of one delivery). */
export interface OutboundMessage {
  memberId: string;
  messageId: string;
  deliveryId: string;
  channel: Channel;
  priority: MessagePriority;
  purpose: MessagePurpose;
  body: Bilingual;
  /** ISO instant the message was created. */
  createdAt: string;
  /**
   * Stable for every attempt of this delivery: a provider that honours `Idempotency-Key` sends it
   * once even when our first attempt succeeded but its answer was lost.
   */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface PushSubscriptionKeys {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The recipient as a channel sees it: only what sending needs. */
export interface RecipientMember {
  id: string;
  externalRef: string;
  locale: 'zh-CN' | 'en';
  timeZone: string;
  /** Email address, E.164 phone number or WeChat openid for this channel; null when none. */
  address: string | null;
  /** The member's Web Push subscriptions (web-push only). */
  pushSubscriptions: readonly PushSubscriptionKeys[];
}

export type SendResult =
  | {
      ok: true;
      providerId?: string;
      /** Addresses the provider says are gone for good (an expired push subscription). */
      staleAddresses?: readonly string[];
    }
  | {
      ok: false;
      /** True when the same send may succeed later (timeouts, 429, 5xx); false for bad input. */
      retryable: boolean;
      /** What went wrong, without secrets or the member's address. */
      error: string;
      staleAddresses?: readonly string[];
    };

/** A way out to the member. Adapters do IO only; retries, fallback and state live in the sender. */
export interface ChannelAdapter {
  readonly channel: Channel;
  send(message: OutboundMessage, member: RecipientMember): Promise<SendResult>;
  close?(): Promise<void>;
}

/** Picks the member's language for a bilingual text. */
export function textFor(body: Bilingual, locale: RecipientMember['locale']): string {
  return locale === 'en' ? body.en : body['zh-CN'];
}
