import type { AccountActions } from '../../src/main/accounts/types';
import type { StateSnapshot } from '../../src/shared/domain';
import { ok } from '../../src/shared/domain';

export const EMPTY_SNAPSHOT: StateSnapshot = {
  revision: 1,
  accounts: [],
  activeId: null,
  connection: { status: 'connecting' },
  operation: null,
  lastError: null,
  notices: [],
  tokensPersist: true,
  pendingSignIn: null,
};

/** An AccountActions that records every call, for tests of the layers above the service. */
export function recordingActions(): AccountActions & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const record =
    <T>(name: string, value: T) =>
    async (arg?: unknown) => {
      calls.push([name, arg]);
      return ok(value);
    };
  return {
    calls,
    snapshot: () => EMPTY_SNAPSHOT,
    subscribe: () => () => undefined,
    switchTo: record('switchTo', EMPTY_SNAPSHOT),
    signIn: record('signIn', {
      id: 'x',
      displayName: 'X',
      connected: true,
      hasToken: true,
      state: 'active',
    }),
    signInWithBrowser: record('signInWithBrowser', {
      id: 'x',
      displayName: 'X',
      connected: true,
      hasToken: true,
      state: 'active',
    }),
    signInWithPieces: record('signInWithPieces', {
      account: { id: 'x', displayName: 'X', connected: true, hasToken: true, state: 'active' },
    }),
    cancelSignIn: () => {
      calls.push(['cancelSignIn', undefined]);
      return null;
    },
    cancelBrowserSignIn: () => {
      calls.push(['cancelBrowserSignIn', undefined]);
      return null;
    },
    signOutMany: record('signOutMany', { signedOut: [], failed: [] }),
    forgetSignIn: record('forgetSignIn', EMPTY_SNAPSHOT),
    signOut: record('signOut', EMPTY_SNAPSHOT),
    signOutAll: record('signOutAll', { signedOut: [], failed: [] }),
    details: record('details', { id: 'x', displayName: 'X', providers: [] }),
    retryNow: record('retryNow', EMPTY_SNAPSHOT),
    dismissNotice: (id) => {
      calls.push(['dismissNotice', id]);
      return EMPTY_SNAPSHOT;
    },
  };
}
