import { DateTime } from 'luxon';
import type {
  ChannelAdapter,
  OutboundMessage,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
import { textFor } from './ChannelAdapter.ts';
import type { WeChatConfig } from './channelConfig.ts';
import { isFailure, postJson, providerIdFrom, statusFailure } from './postJson.ts';
import { gatewayHeaders } from './smsAdapter.ts';
import { redactError } from './sendErrors.ts';

// WeChat errcodes worth another try: system busy, rate limited, access token expired (the relay
// refreshes it). Anything else (43101: the member has not subscribed / refused) is final.
const retryableErrcodes = new Set([-1, 45009, 40001, 42001]);

/**
 * WeChat subscription messages (订阅消息) through the deployment's relay, which holds the
 * mini-program access token. The body is the one WeChat's subscribeMessage.send takes, so a relay
 * can forward it as is; "thing" fields are limited to 20 characters, so the full text waits on the
 * mini-program page the message opens.
 *
 *   POST CARELOOP_WECHAT_GATEWAY_URL   (Authorization: Bearer CARELOOP_WECHAT_GATEWAY_TOKEN)
 *   { "touser": "<openid>", "template_id": "…", "page": "pages/inbox/index?messageId=42",
 *     "lang": "zh_CN", "data": { "thing1": { "value": "…20 chars" }, "time2": { "value": "2026-03-10 10:00" } },
 *     "reference": "<idempotency key>" }
 *
 * Answer: 2xx and `{ "errcode": 0, "msgid": … }` (or no errcode) = accepted.
 */
export class WeChatAdapter implements ChannelAdapter {
  readonly channel = 'wechat' as const;
  constructor(
    readonly config: WeChatConfig,
    readonly timeoutMs: number,
  ) {}

  async send(message: OutboundMessage, member: RecipientMember): Promise<SendResult> {
    if (!member.address) return { ok: false, retryable: false, error: 'wechat: no openid on file' };
    const text = textFor(message.body, member.locale);
    const sep = this.config.page.includes('?') ? '&' : '?';
    const body = JSON.stringify({
      touser: member.address,
      template_id: this.config.templateId,
      page: `${this.config.page}${sep}messageId=${encodeURIComponent(message.messageId)}`,
      lang: member.locale === 'en' ? 'en_US' : 'zh_CN',
      data: {
        thing1: { value: truncate(text, 20) },
        time2: {
          value: DateTime.fromISO(message.createdAt, { zone: member.timeZone }).toFormat(
            'yyyy-MM-dd HH:mm',
          ),
        },
      },
      reference: message.idempotencyKey,
    });
    const r = await postJson(
      'wechat',
      this.config.url,
      body,
      gatewayHeaders(this.config, message),
      this.timeoutMs,
    );
    if (isFailure(r)) return r;
    if (r.status < 200 || r.status >= 300) return statusFailure('wechat', r);
    const j = r.json as { errcode?: unknown; errmsg?: unknown } | null;
    if (j && typeof j.errcode === 'number' && j.errcode !== 0)
      return {
        ok: false,
        retryable: retryableErrcodes.has(j.errcode),
        error: redactError(
          `wechat: errcode ${j.errcode}${typeof j.errmsg === 'string' ? ` (${j.errmsg})` : ''}`,
        ),
      };
    const id = providerIdFrom(r);
    return id ? { ok: true, providerId: id } : { ok: true };
  }
}

/** Cuts by code points (never half a surrogate pair), marking the cut with an ellipsis. */
function truncate(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
