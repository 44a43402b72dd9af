import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { ConfigError } from '../config.ts';
import { configuredChannels, loadChannelConfig } from './channelConfig.ts';

const vapid = webpush.generateVAPIDKeys();
const full = {
  CARELOOP_VAPID_PUBLIC_KEY: vapid.publicKey,
  CARELOOP_VAPID_PRIVATE_KEY: vapid.privateKey,
  CARELOOP_VAPID_SUBJECT: 'mailto:ops@example.org',
  CARELOOP_SMTP_HOST: 'smtp.example.org',
  CARELOOP_SMTP_FROM: 'CareLoop <care@example.org>',
  CARELOOP_SMTP_USER: 'care',
  CARELOOP_SMTP_PASSWORD: 'smtp-password-value',
  CARELOOP_SMS_GATEWAY_URL: 'https://sms.example.org/send',
  CARELOOP_SMS_GATEWAY_TOKEN: 'sms-token-0123456789abcdef',
  CARELOOP_WECHAT_GATEWAY_URL: 'https://wx.example.org/subscribe',
  CARELOOP_WECHAT_GATEWAY_TOKEN: 'wx-token-0123456789abcdef',
  CARELOOP_WECHAT_TEMPLATE_ID: 'tmpl-1',
  CARELOOP_WEBHOOK_URL: 'https://partner.example.org/careloop',
  CARELOOP_WEBHOOK_SECRET: 'whsec-0123456789abcdef0123456789abcdef',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadChannelConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('channel configuration from the environment', () => {
  it('offers only the in-app inbox when nothing is set, with the documented defaults', () => {
    const c = loadChannelConfig({});
    expect(configuredChannels(c)).toEqual([]);
    expect(c.maxAttempts).toBe(5);
    expect(c.retryBaseMs).toBe(30_000);
    expect(c.rateLimits.sms).toEqual({ perSecond: 10, burst: 20 });
  });

  it('turns every channel on when its variables are complete', () => {
    const c = loadChannelConfig(full);
    expect(configuredChannels(c)).toEqual(['web-push', 'email', 'sms', 'wechat', 'webhook']);
    expect(c.email).toMatchObject({ host: 'smtp.example.org', port: 587, tls: 'starttls' });
    expect(c.wechat?.page).toBe('pages/inbox/index');
  });

  it('never shows a secret when the configuration is logged, serialised or inspected', () => {
    const c = loadChannelConfig(full);
    const printed = `${JSON.stringify(c)}\n${inspect(c, { depth: 10 })}\n${String(c.sms?.token)}`;
    for (const secret of [
      full.CARELOOP_SMTP_PASSWORD,
      full.CARELOOP_SMS_GATEWAY_TOKEN,
      full.CARELOOP_WECHAT_GATEWAY_TOKEN,
      full.CARELOOP_WEBHOOK_SECRET,
      vapid.privateKey,
    ])
      expect(printed).not.toContain(secret);
    expect(c.sms?.token.reveal()).toBe(full.CARELOOP_SMS_GATEWAY_TOKEN);
  });

  it('names each half-configured channel by its missing variable', () => {
    const problems = problemsOf({
      CARELOOP_SMS_GATEWAY_URL: 'https://sms.example.org',
      CARELOOP_WECHAT_GATEWAY_TOKEN: 'wx-token-0123456789abcdef',
      CARELOOP_SMTP_HOST: 'smtp.example.org',
      CARELOOP_WEBHOOK_URL: 'https://partner.example.org/x',
      CARELOOP_VAPID_PUBLIC_KEY: vapid.publicKey,
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CARELOOP_SMS_GATEWAY_TOKEN',
      'CARELOOP_SMTP_FROM',
      'CARELOOP_VAPID_PRIVATE_KEY',
      'CARELOOP_VAPID_SUBJECT',
      'CARELOOP_WEBHOOK_SECRET',
      'CARELOOP_WECHAT_GATEWAY_URL',
    ]);
  });

  it('rejects bad values without echoing secrets', () => {
    const shortSecret = 'too-short-secret';
    const problems = problemsOf({
      ...full,
      CARELOOP_WEBHOOK_SECRET: shortSecret,
      CARELOOP_SMS_GATEWAY_URL: 'ftp://sms.example.org',
      CARELOOP_WECHAT_GATEWAY_URL: 'https://user:pass@wx.example.org',
      CARELOOP_VAPID_PRIVATE_KEY: 'not-a-key',
      CARELOOP_SMTP_TLS: 'maybe',
      CARELOOP_CHANNEL_MAX_ATTEMPTS: '0',
      CARELOOP_SMS_RATE_PER_SECOND: 'fast',
      CARELOOP_CHANNEL_RETRY_BASE_MS: '5000',
      CARELOOP_CHANNEL_RETRY_MAX_MS: '1000',
    });
    const joined = problems.join('\n');
    expect(joined).toMatch(/CARELOOP_WEBHOOK_SECRET: too short \(at least 32/);
    expect(joined).toMatch(/CARELOOP_SMS_GATEWAY_URL: expected an http:\/\/ or https:\/\//);
    expect(joined).toMatch(/CARELOOP_WECHAT_GATEWAY_URL: must not carry credentials/);
    expect(joined).toMatch(/CARELOOP_VAPID_PRIVATE_KEY: expected a P-256 private key/);
    expect(joined).toMatch(/CARELOOP_SMTP_TLS: expected implicit, starttls or none/);
    expect(joined).toMatch(/CARELOOP_CHANNEL_MAX_ATTEMPTS="0": expected an integer from 1 to 100/);
    expect(joined).toMatch(/CARELOOP_SMS_RATE_PER_SECOND="fast"/);
    expect(joined).toMatch(/CARELOOP_CHANNEL_RETRY_MAX_MS: must not be below/);
    expect(joined).not.toContain(shortSecret);
    expect(joined).not.toContain('pass@');
  });

  it('reads per-channel rate limits', () => {
    const c = loadChannelConfig({ CARELOOP_SMS_RATE_PER_SECOND: '0.5', CARELOOP_SMS_BURST: '3' });
    expect(c.rateLimits.sms).toEqual({ perSecond: 0.5, burst: 3 });
    expect(c.rateLimits.email).toEqual({ perSecond: 5, burst: 20 });
  });
});
