import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhookSignature.ts';

const secret = 'whsec-0123456789abcdef0123456789abcdef';
const body = '{"type":"message","id":"careloop-d1-r0"}';
const now = new Date('2026-03-10T02:00:00Z');
const ts = Math.floor(now.getTime() / 1000);

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed v1=', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signWebhook(secret, ts, body)).toBe(`v1=${expected}`);
  });
  it('verifies a good signature, also among several (secret rotation)', () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhookSignature({ secret, timestamp: String(ts), signature, body, now })).toEqual(
      { ok: true },
    );
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: String(ts),
        signature: `v1=${'0'.repeat(64)}, ${signature}`,
        body,
        now,
      }).ok,
    ).toBe(true);
  });
  it('refuses a changed body, a wrong secret, a missing header', () => {
    const signature = signWebhook(secret, ts, body);
    expect(
      verifyWebhookSignature({ secret, timestamp: String(ts), signature, body: `${body} `, now }),
    ).toEqual({ ok: false, reason: 'signature does not match' });
    expect(
      verifyWebhookSignature({ secret: `${secret}x`, timestamp: String(ts), signature, body, now })
        .ok,
    ).toBe(false);
    expect(verifyWebhookSignature({ secret, timestamp: undefined, signature, body, now }).ok).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({ secret, timestamp: String(ts), signature: undefined, body, now }).ok,
    ).toBe(false);
  });
  it('accepts a timestamp up to 300 s away and refuses one beyond (replay)', () => {
    for (const skew of [300, -300]) {
      const t = ts + skew;
      expect(
        verifyWebhookSignature({
          secret,
          timestamp: String(t),
          signature: signWebhook(secret, t, body),
          body,
          now,
        }).ok,
      ).toBe(true);
    }
    for (const skew of [301, -301]) {
      const t = ts + skew;
      expect(
        verifyWebhookSignature({
          secret,
          timestamp: String(t),
          signature: signWebhook(secret, t, body),
          body,
          now,
        }),
      ).toEqual({ ok: false, reason: 'timestamp outside the tolerance' });
    }
  });
});
