import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retryBackoff.ts';
import { routeMessage, type RouteInput } from './routeChannels.ts';
import { TokenBucket } from './tokenBucket.ts';

describe('retry backoff', () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt, between half and all of the step (equal jitter)', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, opts, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, opts, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(retryDelayMs(3, opts, () => 0.5)).toBe(3000);
  });
  it('is capped at the maximum', () => {
    expect(retryDelayMs(7, opts, () => 1)).toBe(60_000); // 1000 × 2^6 = 64 000 > cap
    expect(retryDelayMs(6, opts, () => 1)).toBe(32_000); // just under the cap
    expect(retryDelayMs(99, opts, () => 0)).toBe(30_000);
  });
});

describe('token bucket', () => {
  it('lets a burst through, then the steady rate', () => {
    const b = new TokenBucket({ perSecond: 2, burst: 3 });
    expect(b.take(5, 0)).toBe(3);
    expect(b.take(1, 0)).toBe(0);
    expect(b.msUntilNext(0)).toBe(500);
    expect(b.take(5, 499)).toBe(0); // 0.998 tokens: not a whole one yet
    expect(b.take(5, 500)).toBe(1);
    expect(b.take(5, 1500)).toBe(2);
    expect(b.available(100_000)).toBe(3); // never more than the burst
  });
  it('takes back tokens for sends that did not happen', () => {
    const b = new TokenBucket({ perSecond: 1, burst: 2 });
    expect(b.take(2, 0)).toBe(2);
    b.giveBack(1);
    expect(b.available(0)).toBe(1);
  });
});

describe('channel routing', () => {
  const base: RouteInput = {
    requested: 'in-app',
    priority: 'care',
    preferences: ['in-app'],
    consent: { 'in-app': true },
    reachable: new Set(),
  };
  it('uses the in-app inbox by default', () => {
    expect(routeMessage(base)).toEqual({ primary: 'in-app', redFlagChain: [] });
  });
  it("follows the member's preference where they consented and can be reached", () => {
    const r = routeMessage({
      ...base,
      preferences: ['sms', 'email', 'in-app'],
      consent: { sms: true, email: true },
      reachable: new Set(['sms', 'email']),
    });
    expect(r.primary).toBe('sms');
  });
  it('skips a preferred channel without consent, or without an address', () => {
    const noConsent = routeMessage({
      ...base,
      preferences: ['sms', 'email'],
      consent: { email: true },
      reachable: new Set(['sms', 'email']),
    });
    expect(noConsent.primary).toBe('email');
    const noAddress = routeMessage({
      ...base,
      preferences: ['sms', 'email'],
      consent: { sms: true, email: true },
      reachable: new Set(['email']),
    });
    expect(noAddress.primary).toBe('email');
    const nothing = routeMessage({ ...base, preferences: ['wechat'], consent: { wechat: true } });
    expect(nothing.primary).toBe('in-app');
  });
  it("takes the program's channel when the member's preferences do not qualify", () => {
    const r = routeMessage({
      ...base,
      requested: 'wechat',
      preferences: ['sms'],
      consent: { wechat: true },
      reachable: new Set(['wechat']),
    });
    expect(r.primary).toBe('wechat');
  });
  it('gives a red flag every consented outside channel, most immediate after the preferred', () => {
    const r = routeMessage({
      ...base,
      priority: 'red-flag',
      preferences: ['email', 'in-app'],
      consent: { email: true, sms: true, 'web-push': true, wechat: false },
      reachable: new Set(['email', 'sms', 'web-push', 'wechat']),
    });
    expect(r.redFlagChain).toEqual(['email', 'sms', 'web-push']);
  });
  it('needs explicit consent for the webhook, but no address', () => {
    expect(routeMessage({ ...base, preferences: ['webhook'], consent: {} }).primary).toBe('in-app');
    expect(
      routeMessage({ ...base, preferences: ['webhook'], consent: { webhook: true } }).primary,
    ).toBe('webhook');
  });
});
