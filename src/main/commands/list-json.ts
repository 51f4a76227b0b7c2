// The `--list --json` and `--status --json` documents. Scripts parse these, so they are versioned:
// a key is never renamed or removed within a version, new keys may be added, and absent values are
// null rather than missing. No token, nor anything derived from one, is ever included.
import type { Account, AccountState, StateSnapshot } from '../../shared/domain';
import { displayOrder } from '../../shared/order';

export const JSON_VERSION = 1;

export interface PiecesOsJson {
  /** 'online', or 'offline' when Pieces OS did not answer. */
  status: 'online' | 'offline' | 'connecting';
  /** The address the app used (online) or tried last (offline). */
  url: string | null;
  version: string | null;
  /** Why Pieces OS is not reachable, in words; null when online. */
  error: string | null;
}

export interface AccountJson {
  id: string;
  name: string;
  email: string | null;
  username: string | null;
  state: AccountState;
  active: boolean;
}

export interface ListJson {
  version: typeof JSON_VERSION;
  piecesOs: PiecesOsJson;
  activeId: string | null;
  accounts: AccountJson[];
}

export interface StatusJson {
  version: typeof JSON_VERSION;
  piecesOs: PiecesOsJson;
  active: AccountJson | null;
  accountCount: number;
}

/** The last address tried: the end of a range of ports ("http://127.0.0.1:39300–39333"). */
export function lastTried(tried: readonly string[]): string | null {
  const last = tried.at(-1);
  if (last === undefined) return null;
  const range = /^(.*):\d+–(\d+)$/.exec(last);
  return range ? `${range[1]}:${range[2]}` : last;
}

export function piecesOsJson(snapshot: StateSnapshot): PiecesOsJson {
  const c = snapshot.connection;
  switch (c.status) {
    case 'online':
      return { status: 'online', url: c.url, version: c.version ?? null, error: null };
    case 'offline':
      return {
        status: 'offline',
        url: lastTried(c.tried),
        version: null,
        error: c.error.message,
      };
    case 'connecting':
      return { status: 'connecting', url: c.url ?? null, version: null, error: null };
  }
}

export function accountJson(account: Account, activeId: string | null): AccountJson {
  return {
    id: account.id,
    name: account.displayName,
    email: account.email ?? null,
    username: account.username ?? null,
    state: account.state,
    active: account.id === activeId,
  };
}

/** The accounts in the window's order: the active one first, then by name, then email. */
export function listJson(snapshot: StateSnapshot): ListJson {
  return {
    version: JSON_VERSION,
    piecesOs: piecesOsJson(snapshot),
    activeId: snapshot.activeId,
    accounts: displayOrder(snapshot.accounts, snapshot.activeId).map((a) =>
      accountJson(a, snapshot.activeId),
    ),
  };
}

export function statusJson(snapshot: StateSnapshot): StatusJson {
  const active = snapshot.accounts.find((a) => a.id === snapshot.activeId);
  return {
    version: JSON_VERSION,
    piecesOs: piecesOsJson(snapshot),
    active: active ? accountJson(active, snapshot.activeId) : null,
    accountCount: snapshot.accounts.length,
  };
}
