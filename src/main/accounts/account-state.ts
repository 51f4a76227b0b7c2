// The one state each account is in, decided once here so the window and the tray never disagree.
import type { AccountState } from '../../shared/domain';

export interface AccountFacts {
  /** Pieces OS says this is the current user. */
  active: boolean;
  /** Pieces OS lists this user. */
  listed: boolean;
  /** The app keeps a saved sign-in for this user. */
  hasToken: boolean;
  /** Pieces OS refused the saved sign-in and it could not be renewed, or it is known to be expired. */
  unusable: boolean;
}

/**
 * Active wins (Pieces OS has that user signed in, whatever the app keeps); then an account
 * without a usable saved sign-in needs a sign-in, since a switch would fail; an account Pieces OS
 * no longer lists but whose sign-in the app keeps is "not in Pieces OS"; the rest are ready.
 */
export function accountState(f: AccountFacts): AccountState {
  if (f.active) return 'active';
  if (!f.hasToken || f.unusable) return 'sign-in-needed';
  if (!f.listed) return 'not-in-pieces-os';
  return 'ready';
}

/** Whether a switch to an account in this state can be tried without a new sign-in. */
export const canSwitchWithSaved = (state: AccountState): boolean =>
  state === 'ready' || state === 'not-in-pieces-os';
