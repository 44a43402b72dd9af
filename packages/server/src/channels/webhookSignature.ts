import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-careloop-signature';
export const timestampHeader = 'x-careloop-timestamp';

/**
 * `v1=` + hex HMAC-SHA256 over `<timestamp>.<raw body>` with the shared secret. Signing the
 * timestamp with the body lets a receiver reject replays of an old, validly signed request.
 */
export function signWebhook(secret: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `v1=${mac.digest('hex')}`;
}

/**
 * What a receiver does (and what our receipt endpoint does): recompute over the raw bytes, compare
 * in constant time, and refuse timestamps more than `toleranceSeconds` from its own clock.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string | Uint8Array;
  now: Date;
  toleranceSeconds?: number;
}): { ok: true } | { ok: false; reason: string } {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing or malformed timestamp' };
  if (!signature) return { ok: false, reason: 'missing signature' };
  const ts = Number(timestamp);
  const skew = Math.abs(input.now.getTime() / 1000 - ts);
  if (skew > (input.toleranceSeconds ?? 300))
    return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(signWebhook(input.secret, ts, input.body));
  // A header may carry several signatures (secret rotation): any valid v1 passes.
  for (const candidate of signature.split(',').map((s) => s.trim())) {
    const got = Buffer.from(candidate);
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { ok: true };
  }
  return { ok: false, reason: 'signature does not match' };
}
