import nodemailer, { type Transporter } from 'nodemailer';
import type {
  ChannelAdapter,
  OutboundMessage,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
import { textFor } from './ChannelAdapter.ts';
import type { EmailConfig } from './channelConfig.ts';
import { networkFailure, redactError } from './sendErrors.ts';

const subjects: Record<'red-flag' | 'default', { 'zh-CN': string; en: string }> = {
  'red-flag': { 'zh-CN': '重要健康提示', en: 'Important health notice' },
  default: { 'zh-CN': 'CareLoop 健康提醒', en: 'A note from your CareLoop care team' },
};

const footer = {
  'zh-CN':
    '您收到这封邮件，是因为您在 CareLoop 中选择了邮件接收健康提醒。可随时在应用的“通知设置”中更改。',
  en: 'You receive this because you chose email for CareLoop care messages. Change it any time under notification settings in the app.',
};

/**
 * Email over SMTP (nodemailer, pooled connections). 4xx replies and network errors are retried;
 * 5xx replies (unknown mailbox, rejected) are final. The Message-ID is derived from the delivery's
 * idempotency key, so the copies a retry might produce share one id and mail clients thread them.
 */
export class EmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;
  readonly #transport: Transporter;

  constructor(
    readonly config: EmailConfig,
    readonly timeoutMs: number,
  ) {
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.tls === 'implicit',
      requireTLS: config.tls === 'starttls',
      ignoreTLS: config.tls === 'none',
      ...(config.user && config.password
        ? { auth: { user: config.user, pass: config.password.reveal() } }
        : {}),
      pool: true,
      maxConnections: 5,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      logger: false,
    });
  }

  async send(message: OutboundMessage, member: RecipientMember): Promise<SendResult> {
    if (!member.address) return { ok: false, retryable: false, error: 'email: no address on file' };
    const locale = member.locale;
    const subject = (message.priority === 'red-flag' ? subjects['red-flag'] : subjects.default)[
      locale
    ];
    const domain = this.config.from.replace(/.*@/, '').replace(/>.*/, '') || 'careloop.local';
    try {
      const info = (await this.#transport.sendMail({
        from: this.config.from,
        to: member.address,
        subject,
        text: `${textFor(message.body, locale)}\n\n--\n${footer[locale]}\n`,
        messageId: `<${message.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${domain}>`,
        headers: { 'X-CareLoop-Message': message.messageId },
        // Sets X-Priority, X-MSMail-Priority and Importance, which mail clients show.
        priority: message.priority === 'red-flag' ? 'high' : 'normal',
      })) as { messageId?: string; rejected?: unknown[] };
      if (Array.isArray(info.rejected) && info.rejected.length > 0)
        return { ok: false, retryable: false, error: 'email: recipient rejected by the server' };
      return info.messageId ? { ok: true, providerId: info.messageId } : { ok: true };
    } catch (err) {
      const e = err as {
        responseCode?: number;
        response?: string;
        code?: string;
        message?: string;
      };
      if (typeof e.responseCode === 'number')
        return {
          ok: false,
          retryable: e.responseCode < 500,
          error: redactError(`email: SMTP ${e.responseCode} ${e.response ?? ''}`.trim()),
        };
      // A refused login is a configuration problem: retried, so messages survive until it is fixed.
      if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')
        return {
          ok: false,
          retryable: false,
          error: redactError(`email: ${e.code} ${e.message ?? ''}`),
        };
      return networkFailure('email', err);
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
