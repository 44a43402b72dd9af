import type { Role } from '@careloop/core';

/** Who is making a request: resolved from the session cookie or a bearer token. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Set for member accounts: the member record they are. */
  memberId: string | null;
  via: 'session' | 'token';
}

export const hasRole = (a: Actor, ...roles: Role[]): boolean =>
  a.roles.some((r) => roles.includes(r));
