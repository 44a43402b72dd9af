import type {
  ChannelAdapter,
  OutboundMessage,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
import type { WebhookConfig } from './channelConfig.ts';
import { isFailure, postJson, providerIdFrom, statusFailure } from './postJson.ts';
import { signWebhook, signatureHeader, timestampHeader } from './webhookSignature.ts';

/**
 * A signed webhook to the integrator's system (their own app backend delivers the message):
 *
 *   POST CARELOOP_WEBHOOK_URL
 *   X-CareLoop-Timestamp: <unix seconds>
 *   X-CareLoop-Signature: v1=<hex HMAC-SHA256(CARELOOP_WEBHOOK_SECRET, "<timestamp>.<body>")>
 *   Idempotency-Key: <the same for every attempt of this delivery>
 *   { "type": "message", "id": "<idempotency key>", "attempt": 1,
 *     "member": { "id": "<uuid>", "externalRef": "…" },
 *     "message": { "id": "42", "priority": "care", "purpose": "reminder", "locale": "zh-CN",
 *                  "text": { "zh-CN": "…", "en": "…" }, "createdAt": "…" } }
 */
export class WebhookAdapter implements ChannelAdapter {
  readonly channel = 'webhook' as const;
  constructor(
    readonly config: WebhookConfig,
    readonly timeoutMs: number,
    /** The sender's clock (seconds in the signature). */
    readonly now: () => Date,
  ) {}

  async send(message: OutboundMessage, member: RecipientMember): Promise<SendResult> {
    const body = JSON.stringify({
      type: 'message',
      id: message.idempotencyKey,
      attempt: message.attempt,
      member: { id: member.id, externalRef: member.externalRef },
      message: {
        id: message.messageId,
        priority: message.priority,
        purpose: message.purpose,
        locale: member.locale,
        text: message.body,
        createdAt: message.createdAt,
      },
    });
    const ts = Math.floor(this.now().getTime() / 1000);
    const r = await postJson(
      'webhook',
      this.config.url,
      body,
      {
        'content-type': 'application/json; charset=utf-8',
        [timestampHeader]: String(ts),
        [signatureHeader]: signWebhook(this.config.secret.reveal(), ts, body),
        'idempotency-key': message.idempotencyKey,
      },
      this.timeoutMs,
    );
    if (isFailure(r)) return r;
    if (r.status < 200 || r.status >= 300) return statusFailure('webhook', r);
    const id = providerIdFrom(r);
    return id ? { ok: true, providerId: id } : { ok: true };
  }
}
