// What the main process logs, and the hooks that tell the log which values are secrets. Entries
// carry kinds and messages, never snapshots or tokens.
import type { AppError, StateSnapshot } from '../../shared/domain';
import type { AccountActions } from '../accounts/types';
import type { PiecesClient } from '../pieces/types';
import type { Log } from './logger';

const errorFields = (e: AppError) => ({
  kind: e.kind,
  message: e.message,
  ...(e.status === undefined ? {} : { status: e.status }),
});

/** Logs connection changes and each operation's start and outcome, from the service's snapshots. */
export function logServiceEvents(
  service: Pick<AccountActions, 'subscribe' | 'snapshot'>,
  log: Log,
): () => void {
  let previous: StateSnapshot = service.snapshot();
  return service.subscribe((next) => {
    const before = previous;
    previous = next;
    const was = before.connection;
    const now = next.connection;
    if (was.status !== now.status || connectionUrl(was) !== connectionUrl(now)) {
      if (now.status === 'offline') {
        log.warn('Pieces OS offline', { tried: now.tried, error: errorFields(now.error) });
      } else {
        log.info(`Pieces OS ${now.status}`, { url: connectionUrl(now) });
      }
    }
    const mode = (c: StateSnapshot['connection']) =>
      c.status === 'online' ? c.updates : undefined;
    if (mode(now) && mode(now) !== mode(was)) {
      log.info(
        mode(now) === 'live'
          ? 'Following Pieces OS live (its WebSocket streams)'
          : 'Polling Pieces OS (it has no WebSocket streams)',
        { url: connectionUrl(now) },
      );
    }
    const op = next.operation;
    if (op && (before.operation?.kind !== op.kind || before.operation.accountId !== op.accountId)) {
      log.info('operation started', { kind: op.kind });
    }
    // A failure is a new lastError; "sign out all" sets it just after it ends, for partial failures.
    const failed = next.lastError && next.lastError !== before.lastError ? next.lastError : null;
    if (failed) {
      log.warn('operation failed', {
        kind: failed.operation.kind,
        error: errorFields(failed.error),
      });
    } else if (before.operation && !op) {
      log.info('operation succeeded', { kind: before.operation.kind });
    }
  });
}

const connectionUrl = (c: StateSnapshot['connection']): string | undefined =>
  c.status === 'offline' ? undefined : c.url;

/**
 * The client with every token it is asked to send registered as a secret first, so no later log
 * line (an error quoting what the server echoed, say) can carry it.
 */
export function registeringTokens(client: PiecesClient, log: Pick<Log, 'addToken'>): PiecesClient {
  return {
    ...client,
    signInWithToken(token, opts) {
      log.addToken(token);
      return client.signInWithToken(token, opts);
    },
  };
}

/** The part of a token store the log needs to see: what it holds, and what goes in. */
interface TokenHolder {
  ids(): string[];
  get(userId: string): unknown;
  set(userId: string, token: never): void;
}

/**
 * The token store with every token it holds now, and every one stored later, registered as a
 * secret. Other methods and getters (`persistent`) pass through untouched.
 */
export function registeringStore<S extends TokenHolder>(store: S, log: Pick<Log, 'addToken'>): S {
  for (const id of store.ids()) log.addToken(store.get(id));
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      // The one way in: set() stores new and renewed tokens alike.
      if (prop === 'set' && typeof value === 'function') {
        return (userId: string, token: never): unknown => {
          log.addToken(token);
          return (value as (userId: string, token: never) => unknown).call(target, userId, token);
        };
      }
      return value;
    },
  });
}
