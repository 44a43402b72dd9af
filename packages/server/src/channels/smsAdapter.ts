import type {
  ChannelAdapter,
  OutboundMessage,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
import { textFor } from './ChannelAdapter.ts';
import type { GatewayConfig } from './channelConfig.ts';
import { isFailure, postJson, providerIdFrom, statusFailure } from './postJson.ts';

/**
 * SMS through the deployment's HTTP gateway (decision 0007 documents the contract):
 *
 *   POST CARELOOP_SMS_GATEWAY_URL
 *   Authorization: Bearer CARELOOP_SMS_GATEWAY_TOKEN
 *   Idempotency-Key: <the same for every attempt of this delivery>
 *   { "to": "+8613800000000", "text": "…", "locale": "zh-CN", "priority": "care",
 *     "reference": "<idempotency key>" }
 *
 * 2xx = accepted (its JSON `id`/`messageId` becomes the provider id for delivery receipts);
 * 408/429/5xx and network errors are retried; other answers are final.
 */
export class SmsAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;
  constructor(
    readonly config: GatewayConfig,
    readonly timeoutMs: number,
  ) {}

  async send(message: OutboundMessage, member: RecipientMember): Promise<SendResult> {
    if (!member.address)
      return { ok: false, retryable: false, error: 'sms: no phone number on file' };
    const body = JSON.stringify({
      to: member.address,
      text: textFor(message.body, member.locale),
      locale: member.locale,
      priority: message.priority,
      reference: message.idempotencyKey,
    });
    const r = await postJson(
      'sms',
      this.config.url,
      body,
      gatewayHeaders(this.config, message),
      this.timeoutMs,
    );
    if (isFailure(r)) return r;
    if (r.status < 200 || r.status >= 300) return statusFailure('sms', r);
    const id = providerIdFrom(r);
    return id ? { ok: true, providerId: id } : { ok: true };
  }
}

export function gatewayHeaders(
  config: GatewayConfig,
  message: OutboundMessage,
): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    authorization: `Bearer ${config.token.reveal()}`,
    'idempotency-key': message.idempotencyKey,
    'x-careloop-attempt': String(message.attempt),
  };
}
