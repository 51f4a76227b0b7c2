// The one name of each account state, used by the window and the tray alike.
import type { AccountState } from './domain';

export const STATE_LABEL: Readonly<Record<AccountState, string>> = Object.freeze({
  active: 'Active',
  ready: 'Ready',
  'sign-in-needed': 'Sign-in needed',
  'not-in-pieces-os': 'Not in Pieces OS',
});

/** One sentence on what the state means and what a click does, for tooltips and details. */
export const STATE_HINT: Readonly<Record<AccountState, string>> = Object.freeze({
  active: 'Pieces OS is signed in as this account now.',
  ready: 'The app keeps a sign-in for this account, so it can switch to it.',
  'sign-in-needed':
    'The saved sign-in is missing, expired or was refused: sign in as this account to use it again.',
  'not-in-pieces-os':
    'Signed out of Pieces OS elsewhere. The app keeps its sign-in, so switching signs it in again.',
});
