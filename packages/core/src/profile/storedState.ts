import type { ProfileFact } from '../model/types.ts';
import { storedFact } from './ruleRegistry.ts';
import type { ProfileState } from './state.ts';

/**
 * A profile state as stored: without its facts, which are kept once, in their own table
 * (profile_facts), instead of twice — they were about half of every stored state's bytes
 * (decision 0008). A state written before the split still carries them and is read as it is.
 */
export type StoredProfileState = Omit<ProfileState, 'facts'> & {
  facts?: ProfileState['facts'];
};

export function stateForStorage(state: ProfileState): StoredProfileState {
  const { facts: _facts, ...rest } = state;
  return rest;
}

/** The state again, its facts taken from the fact table (each as `updateProfile` keeps them). */
export function stateFromStorage(
  stored: StoredProfileState,
  facts: readonly ProfileFact[],
): ProfileState {
  if (stored.facts) return stored as ProfileState;
  const byKey: ProfileState['facts'] = {};
  for (const f of facts) byKey[f.key] = storedFact(f);
  return { ...stored, facts: byKey };
}
