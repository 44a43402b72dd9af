import webpush from 'web-push';
import type {
  ChannelAdapter,
  OutboundMessage,
  PushSubscriptionKeys,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
import { textFor } from './ChannelAdapter.ts';
import type { WebPushConfig } from './channelConfig.ts';
import { isFailure, postJson } from './postJson.ts';
import { isRetryableStatus, redactError } from './sendErrors.ts';

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291): the
 * `web-push` library encrypts the payload and signs the VAPID JWT; we POST it ourselves (fetch,
 * with our deadline) so the result maps onto the sender's retry rules. The payload is what the
 * service worker shows: a title, the text and where to open it.
 */
export class WebPushAdapter implements ChannelAdapter {
  readonly channel = 'web-push' as const;
  constructor(
    readonly config: WebPushConfig,
    readonly timeoutMs: number,
  ) {}

  async send(message: OutboundMessage, member: RecipientMember): Promise<SendResult> {
    if (member.pushSubscriptions.length === 0)
      return { ok: false, retryable: false, error: 'web-push: no push subscription on file' };
    const payload = JSON.stringify({
      title: titleFor(message, member.locale),
      body: textFor(message.body, member.locale),
      messageId: message.messageId,
      priority: message.priority,
      url: `/inbox?messageId=${encodeURIComponent(message.messageId)}`,
    });
    const stale: string[] = [];
    const errors: { retryable: boolean; error: string }[] = [];
    let providerId: string | undefined;
    let accepted = 0;
    // Every device the member signed in on gets it; one live device is a success.
    for (const sub of member.pushSubscriptions) {
      const r = await this.#sendOne(sub, payload, message);
      if (r.ok) {
        accepted++;
        providerId ??= r.providerId;
      } else {
        if (r.gone) stale.push(sub.endpoint);
        errors.push({ retryable: r.retryable, error: r.error });
      }
    }
    if (accepted > 0)
      return {
        ok: true,
        ...(providerId ? { providerId } : {}),
        ...(stale.length ? { staleAddresses: stale } : {}),
      };
    return {
      ok: false,
      retryable: errors.some((e) => e.retryable),
      error: errors.map((e) => e.error).join('; ') || 'web-push: not sent',
      ...(stale.length ? { staleAddresses: stale } : {}),
    };
  }

  async #sendOne(
    sub: PushSubscriptionKeys,
    payload: string,
    message: OutboundMessage,
  ): Promise<
    | { ok: true; providerId?: string }
    | { ok: false; retryable: boolean; gone: boolean; error: string }
  > {
    let details: webpush.RequestDetails;
    try {
      details = webpush.generateRequestDetails(sub, payload, {
        vapidDetails: {
          subject: this.config.subject,
          publicKey: this.config.publicKey,
          privateKey: this.config.privateKey.reveal(),
        },
        contentEncoding: 'aes128gcm',
        // Held by the push service for an offline device up to a day; urgent classes wake it.
        TTL: 86_400,
        urgency:
          message.priority === 'red-flag' || message.priority === 'clinical' ? 'high' : 'normal',
      });
    } catch (err) {
      // A subscription whose keys do not parse will never work.
      return {
        ok: false,
        retryable: false,
        gone: true,
        error: redactError(`web-push: invalid subscription (${(err as Error).message})`),
      };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
    const r = await postJson(
      'web-push',
      details.endpoint,
      details.body ?? new Uint8Array(),
      headers,
      this.timeoutMs,
    );
    if (isFailure(r)) return { ...r, gone: false };
    if (r.status >= 200 && r.status < 300) {
      const loc = r.headers.get('location');
      return loc ? { ok: true, providerId: loc.slice(0, 500) } : { ok: true };
    }
    // 404/410: the browser unsubscribed or the subscription expired; drop it.
    const gone = r.status === 404 || r.status === 410;
    return {
      ok: false,
      retryable: !gone && isRetryableStatus(r.status),
      gone,
      error: redactError(`web-push: HTTP ${r.status} from ${new URL(details.endpoint).host}`),
    };
  }
}

function titleFor(message: OutboundMessage, locale: RecipientMember['locale']): string {
  if (message.priority === 'red-flag')
    return locale === 'en' ? 'Important health notice' : '重要健康提示';
  return locale === 'en' ? 'CareLoop' : 'CareLoop 健康提醒';
}
