import {
  createECDH,
  createDecipheriv,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
} from 'node:crypto';

/**
 * What a push service and a browser do with a Web Push request, written from the RFCs so the test
 * checks our requests independently of the library that built them.
 */

/** A browser's subscription keys: a P-256 key pair and a 16-byte auth secret (RFC 8291 §3). */
export function browserSubscriptionKeys(): {
  p256dh: string;
  auth: string;
  decrypt(body: Buffer): Buffer;
} {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const uaPublic = ecdh.getPublicKey();
  return {
    p256dh: uaPublic.toString('base64url'),
    auth: authSecret.toString('base64url'),
    decrypt(body: Buffer): Buffer {
      // RFC 8188 §2.1 header: salt (16) | record size (4) | key id length (1) | key id.
      const salt = body.subarray(0, 16);
      const idlen = body.readUInt8(20);
      const asPublic = body.subarray(21, 21 + idlen);
      const ciphertext = body.subarray(21 + idlen);
      // RFC 8291 §3.4: IKM from the ECDH secret and the auth secret.
      const ecdhSecret = ecdh.computeSecret(asPublic);
      const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
      const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
      const cek = Buffer.from(
        hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16),
      );
      const nonce = Buffer.from(
        hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12),
      );
      const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      const padded = Buffer.concat([
        decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
        decipher.final(),
      ]);
      // The last record ends with the delimiter 0x02 then zero padding (RFC 8188 §2).
      let end = padded.length - 1;
      while (end >= 0 && padded[end] === 0) end--;
      if (padded[end] !== 2) throw new Error('missing the last-record delimiter');
      return padded.subarray(0, end);
    },
  };
}

/**
 * Checks `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292 §3): an ES256 JWT signed by the
 * application server key, its audience the push service's origin, not expired, at most 24 h ahead.
 */
export function verifyVapid(
  authorization: string | undefined,
  expected: { publicKey: string; audience: string; nowSeconds: number },
): { ok: true; claims: { aud: string; exp: number; sub: string } } | { ok: false; reason: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) return { ok: false, reason: 'no vapid Authorization header' };
  const [, jwt = '', k = ''] = m;
  if (k !== expected.publicKey) return { ok: false, reason: 'k is not the application server key' };
  const [h = '', p = '', s = ''] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  if (header.alg !== 'ES256') return { ok: false, reason: `alg ${header.alg}` };
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!valid) return { ok: false, reason: 'signature does not verify' };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
    aud: string;
    exp: number;
    sub: string;
  };
  if (claims.aud !== expected.audience) return { ok: false, reason: `aud ${claims.aud}` };
  if (claims.exp <= expected.nowSeconds || claims.exp > expected.nowSeconds + 24 * 3600)
    return { ok: false, reason: 'exp out of range' };
  return { ok: true, claims };
}
