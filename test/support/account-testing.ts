import type { OAuthTokenInput, StateSnapshot, UserProfile } from '../../src/shared/domain';
import type { Emulator } from '../../emulator/server';
import { PiecesError } from '../../src/main/pieces/errors';
import type { AccountService, TokenStore } from '../../src/main/accounts/account-service';
import type { AccountsEvent } from '../../src/main/accounts/state';

/**
 * An in-memory token store that can be told to fail writes, for "nothing lost on errors" tests.
 * Like the vault, a failed write keeps the token in memory and reports the error.
 */
export function memoryTokens(): TokenStore & {
  map: Map<string, OAuthTokenInput>;
  failWrites: boolean;
} {
  const map = new Map<string, OAuthTokenInput>();
  const store = {
    map,
    failWrites: false,
    persistent: true,
    get: (id: string) => map.get(id),
    has: (id: string) => map.has(id),
    ids: () => [...map.keys()],
    set(id: string, token: OAuthTokenInput) {
      map.set(id, token);
      return Promise.resolve(
        store.failWrites
          ? new PiecesError('internal', 'The sign-in could not be saved (ENOSPC).')
          : null,
      );
    },
    delete(id: string) {
      map.delete(id);
      return Promise.resolve(
        store.failWrites
          ? new PiecesError('internal', 'The sign-in could not be removed (ENOSPC).')
          : null,
      );
    },
  };
  return store;
}

/** Timers a test advances by hand: no waiting on the wall clock. */
export function manualTimers() {
  let seq = 0;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  return {
    pending,
    setTimeout: (fn: () => void, ms: number) => {
      pending.set(++seq, { fn, ms });
      return seq;
    },
    clearTimeout: (h: unknown) => void pending.delete(h as number),
    /** Run every pending timer once; returns the delays they were set with. */
    fireAll(): number[] {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, t] of due) t.fn();
      return due.map(([, t]) => t.ms);
    },
    delays: () => [...pending.values()].map((t) => t.ms),
  };
}

/** Pieces OS at `url` listed `users`, with `current` signed in: the reducer's refresh event. */
export const refreshedAt = (
  url: string,
  users: UserProfile[],
  current: UserProfile | null = null,
): AccountsEvent => ({
  type: 'refreshed',
  url,
  version: '12.0.0',
  users,
  current,
  fallbackCurrentId: null,
});

/** What the snapshot helpers need of an account service. */
interface Watched {
  snapshot(): StateSnapshot;
  subscribe(listener: (s: StateSnapshot) => void): () => void;
}

/** Resolves with the service's first snapshot that satisfies `test` (the current one included). */
export function snapshotWhere(
  service: Watched,
  test: (s: StateSnapshot) => boolean,
): Promise<StateSnapshot> {
  return new Promise((resolve) => {
    if (test(service.snapshot())) return resolve(service.snapshot());
    const off = service.subscribe((s) => {
      if (test(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** Starts a Pieces sign-in and finishes it in the emulator's "browser" as `who`. */
export async function signInWithPiecesAs(
  service: Pick<AccountService, 'signInWithPieces'>,
  emulator: Pick<Emulator, 'whenSignInPending' | 'completeSignIn'>,
  who: { id?: string; email?: string; name?: string },
  accountId?: string,
): ReturnType<AccountService['signInWithPieces']> {
  const result = service.signInWithPieces(accountId);
  await emulator.whenSignInPending();
  emulator.completeSignIn(who);
  return result;
}
