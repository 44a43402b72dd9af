import { createContext, useContext } from 'react';
import type { User } from './api/types.ts';

export interface Session {
  user: User | null;
  signOut: () => void;
  /** The server answered 401: the session expired or was ended elsewhere. */
  sessionEnded: () => void;
}

export const SessionContext = createContext<Session>({
  user: null,
  signOut: () => undefined,
  sessionEnded: () => undefined,
});

export function useSession(): Session {
  return useContext(SessionContext);
}

/** Care-team roles see caseloads and other members' records; a member sees only themself. */
export function isCareTeam(user: User): boolean {
  return user.roles.some((r) => r === 'manager' || r === 'doctor' || r === 'admin');
}
