import { inspect } from 'node:util';
import type { Channel } from '@careloop/core';
import { ConfigError } from '../config.ts';

/**
 * A credential read from the environment. It prints as `[secret]` everywhere (logs, JSON,
 * util.inspect), so a config object can be logged whole without leaking it; `reveal()` is the one
 * way to the value, used only where the credential is sent.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [inspect.custom](): string {
    return '[secret]';
  }
}

export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many may go at once after a quiet spell. */
  burst: number;
}

export interface WebPushConfig {
  publicKey: string;
  privateKey: Secret;
  /** `mailto:` or `https:` contact the push services may use. */
  subject: string;
  /** Accept http:// subscription endpoints (local test push services only). */
  allowHttpEndpoints: boolean;
}

export interface EmailConfig {
  host: string;
  port: number;
  /** implicit = TLS from the first byte (465); starttls = must upgrade (587); none = plain (local relays). */
  tls: 'implicit' | 'starttls' | 'none';
  user: string | null;
  password: Secret | null;
  from: string;
}

export interface GatewayConfig {
  url: string;
  token: Secret;
}

export interface WeChatConfig extends GatewayConfig {
  /** The subscription-message template the member subscribed to in the mini program. */
  templateId: string;
  /** Mini-program page the message opens; `messageId` is appended as a query parameter. */
  page: string;
}

export interface WebhookConfig {
  url: string;
  secret: Secret;
}

export interface ChannelConfig {
  /** Attempts per delivery before it goes to the dead-letter list. */
  maxAttempts: number;
  /** First retry delay; doubled each attempt up to retryMaxMs, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the sender looks for due retries; 0 = only when woken (new message, /ops tick). */
  pollMs: number;
  /** One send may take this long before it counts as a (retryable) timeout. */
  sendTimeoutMs: number;
  /** A claimed delivery not finished within this time may be claimed again by another sender. */
  leaseMs: number;
  /** Comment line sent on idle inbox streams so proxies keep them open. */
  sseHeartbeatMs: number;
  rateLimits: Record<Exclude<Channel, 'in-app'>, RateLimit>;
  webPush: WebPushConfig | null;
  email: EmailConfig | null;
  sms: GatewayConfig | null;
  wechat: WeChatConfig | null;
  webhook: WebhookConfig | null;
}

const defaultRates: ChannelConfig['rateLimits'] = {
  'web-push': { perSecond: 50, burst: 100 },
  email: { perSecond: 5, burst: 20 },
  sms: { perSecond: 10, burst: 20 },
  wechat: { perSecond: 20, burst: 40 },
  webhook: { perSecond: 50, burst: 100 },
};

const rateEnvName: Record<keyof ChannelConfig['rateLimits'], string> = {
  'web-push': 'WEB_PUSH',
  email: 'EMAIL',
  sms: 'SMS',
  wechat: 'WECHAT',
  webhook: 'WEBHOOK',
};

/** The defaults with no outside channel configured: the in-app inbox only. */
export function defaultChannelConfig(): ChannelConfig {
  return loadChannelConfig({});
}

/**
 * Reads the channel settings from the environment once, validating every variable; each problem
 * names its variable and never echoes a secret's value. A channel is on when its address variable
 * is set, and then all of its required variables must be set too.
 */
export function loadChannelConfig(env: Record<string, string | undefined>): ChannelConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const num = (name: string, def: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected a number from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = get(name);
    if (raw === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`);
    return def;
  };
  const url = (name: string): string | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      problems.push(`${name}: not a valid URL`);
      return undefined;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      problems.push(`${name}: expected an http:// or https:// URL, got ${u.protocol}`);
      return undefined;
    }
    // Credentials in a URL end up in logs and error messages; they belong in the *_TOKEN variable.
    if (u.username || u.password) {
      problems.push(`${name}: must not carry credentials; put them in the matching token variable`);
      return undefined;
    }
    return u.toString();
  };
  const secret = (name: string, minLength: number, needed: string): Secret | undefined => {
    const raw = get(name);
    if (raw === undefined) {
      problems.push(`${name}: required when ${needed} is set`);
      return undefined;
    }
    if (raw.length < minLength) {
      problems.push(`${name}: too short (at least ${minLength} characters)`);
      return undefined;
    }
    return new Secret(raw);
  };

  const rateLimits = { ...defaultRates };
  for (const channel of Object.keys(rateEnvName) as (keyof typeof rateEnvName)[]) {
    const prefix = `CARELOOP_${rateEnvName[channel]}`;
    rateLimits[channel] = {
      perSecond: num(`${prefix}_RATE_PER_SECOND`, defaultRates[channel].perSecond, 0.001, 100_000),
      burst: int(`${prefix}_BURST`, defaultRates[channel].burst, 1, 1_000_000),
    };
  }

  const retryBaseMs = int('CARELOOP_CHANNEL_RETRY_BASE_MS', 30_000, 1, 86_400_000);
  const retryMaxMs = int('CARELOOP_CHANNEL_RETRY_MAX_MS', 3_600_000, 1, 7 * 86_400_000);
  if (retryMaxMs < retryBaseMs)
    problems.push(
      'CARELOOP_CHANNEL_RETRY_MAX_MS: must not be below CARELOOP_CHANNEL_RETRY_BASE_MS',
    );
  const sendTimeoutMs = int('CARELOOP_CHANNEL_SEND_TIMEOUT_MS', 10_000, 100, 300_000);

  let webPush: WebPushConfig | null = null;
  const vapidPublic = get('CARELOOP_VAPID_PUBLIC_KEY');
  if (vapidPublic !== undefined) {
    const priv = secret('CARELOOP_VAPID_PRIVATE_KEY', 1, 'CARELOOP_VAPID_PUBLIC_KEY');
    const subject = get('CARELOOP_VAPID_SUBJECT');
    if (!isBase64UrlOfLength(vapidPublic, 65) || !vapidPublic.startsWith('B'))
      problems.push(
        'CARELOOP_VAPID_PUBLIC_KEY: expected an uncompressed P-256 public key, base64url (65 bytes)',
      );
    if (priv && !isBase64UrlOfLength(priv.reveal(), 32))
      problems.push(
        'CARELOOP_VAPID_PRIVATE_KEY: expected a P-256 private key, base64url (32 bytes)',
      );
    if (subject === undefined)
      problems.push(
        'CARELOOP_VAPID_SUBJECT: required when CARELOOP_VAPID_PUBLIC_KEY is set (mailto: or https:)',
      );
    else if (!/^(mailto:|https:\/\/)/.test(subject))
      problems.push('CARELOOP_VAPID_SUBJECT: expected a mailto: or https:// contact');
    if (priv && subject)
      webPush = {
        publicKey: vapidPublic,
        privateKey: priv,
        subject,
        allowHttpEndpoints: bool('CARELOOP_WEB_PUSH_ALLOW_HTTP', false),
      };
  } else if (get('CARELOOP_VAPID_PRIVATE_KEY') !== undefined) {
    problems.push('CARELOOP_VAPID_PUBLIC_KEY: required when CARELOOP_VAPID_PRIVATE_KEY is set');
  }

  let email: EmailConfig | null = null;
  const smtpHost = get('CARELOOP_SMTP_HOST');
  if (smtpHost !== undefined) {
    const tlsRaw = get('CARELOOP_SMTP_TLS') ?? 'starttls';
    const tls = (['implicit', 'starttls', 'none'] as const).find((t) => t === tlsRaw);
    if (!tls) problems.push('CARELOOP_SMTP_TLS: expected implicit, starttls or none');
    const port = int(
      'CARELOOP_SMTP_PORT',
      tls === 'implicit' ? 465 : tls === 'none' ? 25 : 587,
      1,
      65535,
    );
    const from = get('CARELOOP_SMTP_FROM');
    if (from === undefined)
      problems.push('CARELOOP_SMTP_FROM: required when CARELOOP_SMTP_HOST is set');
    else if (!/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(from))
      problems.push('CARELOOP_SMTP_FROM: expected an address, e.g. "CareLoop <care@example.org>"');
    const user = get('CARELOOP_SMTP_USER') ?? null;
    const password = user
      ? (secret('CARELOOP_SMTP_PASSWORD', 1, 'CARELOOP_SMTP_USER') ?? null)
      : null;
    if (tls && from) email = { host: smtpHost, port, tls, user, password: password ?? null, from };
  }

  const gateway = (prefix: 'SMS' | 'WECHAT'): GatewayConfig | null => {
    const u = url(`CARELOOP_${prefix}_GATEWAY_URL`);
    if (u === undefined) {
      if (
        get(`CARELOOP_${prefix}_GATEWAY_TOKEN`) !== undefined &&
        !get(`CARELOOP_${prefix}_GATEWAY_URL`)
      )
        problems.push(
          `CARELOOP_${prefix}_GATEWAY_URL: required when CARELOOP_${prefix}_GATEWAY_TOKEN is set`,
        );
      return null;
    }
    const token = secret(`CARELOOP_${prefix}_GATEWAY_TOKEN`, 16, `CARELOOP_${prefix}_GATEWAY_URL`);
    return token ? { url: u, token } : null;
  };
  const sms = gateway('SMS');
  const wechatGateway = gateway('WECHAT');
  let wechat: WeChatConfig | null = null;
  if (wechatGateway) {
    const templateId = get('CARELOOP_WECHAT_TEMPLATE_ID');
    if (templateId === undefined)
      problems.push(
        'CARELOOP_WECHAT_TEMPLATE_ID: required when CARELOOP_WECHAT_GATEWAY_URL is set',
      );
    else
      wechat = {
        ...wechatGateway,
        templateId,
        page: get('CARELOOP_WECHAT_PAGE') ?? 'pages/inbox/index',
      };
  }

  let webhook: WebhookConfig | null = null;
  const webhookUrl = url('CARELOOP_WEBHOOK_URL');
  if (webhookUrl !== undefined) {
    const s = secret('CARELOOP_WEBHOOK_SECRET', 32, 'CARELOOP_WEBHOOK_URL');
    if (s) webhook = { url: webhookUrl, secret: s };
  }

  const config: ChannelConfig = {
    maxAttempts: int('CARELOOP_CHANNEL_MAX_ATTEMPTS', 5, 1, 100),
    retryBaseMs,
    retryMaxMs,
    pollMs: int('CARELOOP_CHANNEL_POLL_MS', 5000, 0, 3_600_000),
    sendTimeoutMs,
    leaseMs: int(
      'CARELOOP_CHANNEL_LEASE_MS',
      Math.max(60_000, sendTimeoutMs * 3),
      1000,
      86_400_000,
    ),
    sseHeartbeatMs: int('CARELOOP_SSE_HEARTBEAT_MS', 15_000, 1000, 300_000),
    rateLimits,
    webPush,
    email,
    sms,
    wechat,
    webhook,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isBase64UrlOfLength(s: string, bytes: number): boolean {
  return /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').length === bytes;
}

/** The outside channels this configuration turns on. */
export function configuredChannels(config: ChannelConfig): Channel[] {
  const out: Channel[] = [];
  if (config.webPush) out.push('web-push');
  if (config.email) out.push('email');
  if (config.sms) out.push('sms');
  if (config.wechat) out.push('wechat');
  if (config.webhook) out.push('webhook');
  return out;
}
