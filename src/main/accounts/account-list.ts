// The account list the window and the tray show, rebuilt with work in proportion to what changed.
// An account whose inputs are the same as last time keeps its object (so a snapshot holds no
// copies, and whoever compares by identity sees what changed), and the list is sorted again only
// when an account came, went, or changed its name or email: a switch only moves the active
// account to the front.
import type { Account, UserProfile } from '../../shared/domain';
import { displayOrder } from '../../shared/order';
import { accountState } from './account-state';
import type { AccountsState, SavedSignIn } from './state';

/** What one account object was built from. */
interface Built {
  account: Account;
  profile: UserProfile | undefined;
  listed: boolean;
  saved: boolean;
  expiresAt: number | undefined;
  expired: boolean;
  refused: boolean;
  active: boolean;
}

export interface AccountList {
  /**
   * Every user Pieces OS lists, then every saved sign-in it does not list, each with its one
   * state, in display order (active first, then by name): the same as a fresh build, reusing
   * what the last build made where its inputs are unchanged.
   */
  build(state: AccountsState, now: number): Account[];
}

export function accountList(): AccountList {
  let built = new Map<string, Built>();
  /** Every account of the last build, by name (the display order when none is active). */
  let byName: Account[] = [];
  /** The state of the last build. */
  let last: AccountsState | undefined;

  /** Accounts in display order: the active one first, the rest by name. */
  const ordered = (state: AccountsState): Account[] => {
    const active = state.currentId === null ? undefined : built.get(state.currentId)?.account;
    // Sorting all, then taking the active one out, is the order displayOrder gives the rest.
    return active ? [active, ...byName.filter((a) => a !== active)] : [...byName];
  };

  /**
   * When only the current user changed (a switch), only the accounts that were and are active
   * are built again; everything else, order included, stays. False when more than that changed.
   */
  const onlyCurrentChanged = (state: AccountsState, now: number): boolean => {
    if (
      !last ||
      state.users !== last.users ||
      state.profiles !== last.profiles ||
      state.saved !== last.saved ||
      state.refused !== last.refused
    )
      return false;
    // Saved sign-ins are few: check none expired since the last build.
    for (const [id, info] of state.saved) {
      const expired = info.expiresAt !== undefined && info.expiresAt <= now;
      if (built.get(id)?.expired !== expired) return false;
    }
    const changed = new Map<Account, Account>();
    for (const id of [last.currentId, state.currentId]) {
      const before = id === null ? undefined : built.get(id);
      if (!before || before.active === (id === state.currentId)) continue;
      const facts = { ...before, active: !before.active };
      const account = accountOf(id!, facts);
      built.set(id!, { ...facts, account });
      changed.set(before.account, account);
    }
    if (changed.size > 0) byName = byName.map((a) => changed.get(a) ?? a);
    return true;
  };

  return {
    build(state, now) {
      if (onlyCurrentChanged(state, now)) {
        last = state;
        return ordered(state);
      }
      const next = new Map<string, Built>();
      // Stays true while every account is one from last time with the same name and email.
      let sameOrder = true;
      const visit = (profile: UserProfile | undefined, id: string, listed: boolean) => {
        const info: SavedSignIn | undefined = state.saved.get(id);
        const expiresAt = info?.expiresAt;
        const facts: Omit<Built, 'account'> = {
          profile,
          listed,
          saved: info !== undefined,
          expiresAt,
          expired: expiresAt !== undefined && expiresAt <= now,
          refused: state.refused.has(id),
          active: id === state.currentId,
        };
        const before = built.get(id);
        let account: Account;
        if (before && sameFacts(before, facts)) {
          account = before.account;
        } else {
          account = accountOf(id, facts);
          if (
            !before ||
            before.account.displayName !== account.displayName ||
            before.account.email !== account.email
          )
            sameOrder = false;
        }
        next.set(id, { account, ...facts });
      };
      // Pieces OS should never list a user twice; if it does, the first one counts.
      for (const u of state.users) if (!next.has(u.id)) visit(u, u.id, true);
      for (const id of state.saved.keys()) {
        if (!next.has(id)) visit(state.profiles.get(id), id, false);
      }
      sameOrder &&= next.size === built.size;
      byName = sameOrder
        ? byName.map((a) => next.get(a.id)!.account)
        : displayOrder(
            [...next.values()].map((b) => b.account),
            null,
          );
      built = next;
      last = state;
      return ordered(state);
    },
  };
}

const sameFacts = (a: Omit<Built, 'account'>, b: Omit<Built, 'account'>): boolean =>
  a.profile === b.profile &&
  a.listed === b.listed &&
  a.saved === b.saved &&
  a.expiresAt === b.expiresAt &&
  a.expired === b.expired &&
  a.refused === b.refused &&
  a.active === b.active;

function accountOf(id: string, f: Omit<Built, 'account'>): Account {
  const p = f.profile;
  const account: Account = {
    id,
    displayName: p?.displayName ?? `Account ${id.slice(0, 8)}`,
    connected: f.listed,
    hasToken: f.saved,
    state: accountState({
      active: f.active,
      listed: f.listed,
      hasToken: f.saved,
      unusable: f.refused || f.expired,
    }),
  };
  if (f.refused) account.needsSignIn = true;
  if (p?.email) account.email = p.email;
  if (p?.username) account.username = p.username;
  if (p?.picture) account.picture = p.picture;
  if (p?.providers[0]) account.provider = p.providers[0].type;
  if (f.expiresAt !== undefined) account.signInExpiresAt = new Date(f.expiresAt).toISOString();
  return account;
}
