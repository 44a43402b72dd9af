import { createHash, randomBytes } from 'node:crypto';

/** A fresh secret token; only its SHA-256 is stored, so a database leak does not leak sessions. */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A readable random password for generated demo users (never written to the repository). */
export function newPassword(): string {
  return randomBytes(12).toString('base64url');
}
