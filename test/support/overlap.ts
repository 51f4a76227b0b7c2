import type { PiecesClient } from '../../src/main/pieces/types';

type Call = 'signInWithToken' | 'disconnect' | 'listUsers' | 'currentUser';
const MUTATIONS = new Set<Call>(['signInWithToken', 'disconnect']);

/**
 * Wraps a client to watch the requests the service makes. Requests that change Pieces OS (sign
 * in, disconnect) must run one at a time, and no refresh may start while one runs.
 *
 * `strict` also refuses a change that starts while a user list is being read: such a list, read
 * before the change, would be applied after it. Off by default because a refresh whose
 * `GET /user` failed fast leaves its `GET /users` running with its answer unused, which is
 * harmless; the soak judges that case by its outcome (an online app agrees with Pieces OS).
 */
export function watchOverlaps(client: PiecesClient, opts: { strict?: boolean } = {}) {
  const inFlight = new Map<Call, number>();
  const violations: string[] = [];
  let mutations = 0;

  const running = (): Call[] => [...inFlight].filter(([, n]) => n > 0).map(([c]) => c);

  function track<A extends unknown[], R>(call: Call, fn: (...args: A) => Promise<R>) {
    return async (...args: A): Promise<R> => {
      const clash = running().filter((c) =>
        MUTATIONS.has(call)
          ? MUTATIONS.has(c) || (opts.strict && c === 'listUsers')
          : MUTATIONS.has(c),
      );
      if (clash.length > 0) violations.push(`${call} started while ${clash.join(', ')} ran`);
      if (MUTATIONS.has(call)) mutations++;
      inFlight.set(call, (inFlight.get(call) ?? 0) + 1);
      try {
        return await fn(...args);
      } finally {
        inFlight.set(call, (inFlight.get(call) ?? 1) - 1);
      }
    };
  }

  const watched: PiecesClient = {
    ...client,
    signInWithToken: track('signInWithToken', client.signInWithToken),
    disconnect: track('disconnect', client.disconnect),
    listUsers: track('listUsers', client.listUsers),
    currentUser: track('currentUser', client.currentUser),
  };
  return {
    client: watched,
    violations,
    /** How many requests that change Pieces OS were sent. */
    mutations: () => mutations,
    /** Requests that change Pieces OS still running. */
    changesRunning: () => running().filter((c) => MUTATIONS.has(c)),
  };
}
