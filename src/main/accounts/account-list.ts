// The account list the window and the tray show, rebuilt with work in proportion to what changed.
// An account whose inputs are the same as last time keeps its object (so a snapshot holds no
// copies, and whoever compares by identity sees what changed), also when Pieces OS answered with
// new profile objects that show the same; an account that came, went, or changed its name or
// email is taken out and put in its place (a binary search), and the whole list is sorted again
// only when much of it changed: a switch only moves the active account to the front. At 100,000
// accounts a sort held the main process for seconds; a list that new is sorted in steps
// beforehand (`prepare`, see order-in-steps.ts), and the build takes that order.
import type { Account, UserProfile } from '../../shared/domain';
import { placeIn, sortAccounts } from '../../shared/order';
import { sortInSteps } from './order-in-steps';
import { accountState } from './account-state';
import { providerLabel } from '../../shared/details-view';
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

/** What an account is built from in `state` at `now`, given its profile and whether it is listed. */
function factsOf(
  state: AccountsState,
  id: string,
  profile: UserProfile | undefined,
  listed: boolean,
  now: number,
): Omit<Built, 'account'> {
  const info: SavedSignIn | undefined = state.saved.get(id);
  const expiresAt = info?.expiresAt;
  return {
    profile,
    listed,
    saved: info !== undefined,
    expiresAt,
    expired: expiresAt !== undefined && expiresAt <= now,
    refused: state.refused.has(id),
    active: id === state.currentId,
  };
}

export interface AccountList {
  /**
   * Every user Pieces OS lists, then every saved sign-in it does not list, each with its one
   * state, in display order (active first, then by name): the same as a fresh build, reusing
   * what the last build made where its inputs are unchanged.
   */
  build(state: AccountsState, now: number): Account[];
  /**
   * Sorts a new user list in steps that let the event loop run, so that a build of a state with
   * these very users (the same array) takes that order instead of sorting in one go.
   */
  prepare(users: readonly UserProfile[], pause?: () => Promise<void>): Promise<void>;
}

/** Fewer accounts than this are sorted at once when needed: quick, and steps would cost more. */
export const PREPARE_ABOVE = 2000;

export function accountList(): AccountList {
  let built = new Map<string, Built>();
  /** Every account of the last build, in display order when none is active (owned: changed in place). */
  let byName: Account[] = [];
  /** The state of the last build. */
  let last: AccountsState | undefined;
  /** A user list sorted in steps beforehand (prepare), for the build that gets it. */
  let prepared: { users: readonly UserProfile[]; order: UserProfile[] } | undefined;

  /** Accounts in display order: the active one first, the rest by name. */
  const ordered = (state: AccountsState): Account[] => {
    const active = state.currentId === null ? undefined : built.get(state.currentId)?.account;
    if (!active) return byName.slice();
    const out = new Array<Account>(byName.length);
    out[0] = active;
    let at = 1;
    for (const a of byName) if (a !== active) out[at++] = a;
    out.length = at;
    return out;
  };

  /** Where `account` is in byName (it is there), found by its place in the order. */
  const indexOf = (account: Account): number => {
    const at = placeIn(byName, account);
    return byName[at] === account ? at : byName.indexOf(account);
  };

  /** Where an account that is not in byName goes. */
  const placeOf = (account: Account): number => placeIn(byName, account);

  /**
   * When the user list is the same (a switch, a sign-in of a listed user, a saved sign-in stored
   * or forgotten, a refusal), only the accounts with a saved sign-in, a refusal, or that were or
   * are active, before or now, can have changed: those few are built again and put in place;
   * everything else, order included, stays. False when the user list changed.
   */
  const fewChanged = (state: AccountsState, now: number): boolean => {
    if (!last || state.users !== last.users) return false;
    const ids = new Set<string>([...last.saved.keys(), ...state.saved.keys()]);
    for (const id of last.refused) ids.add(id);
    for (const id of state.refused) ids.add(id);
    if (last.currentId !== null) ids.add(last.currentId);
    if (state.currentId !== null) ids.add(state.currentId);
    for (const id of ids) {
      const before = built.get(id);
      // The same users: an account not built last time is not listed.
      const listed = before?.listed ?? false;
      const info = state.saved.get(id);
      if (!listed && !info) {
        if (before) {
          byName.splice(indexOf(before.account), 1);
          built.delete(id);
        }
        continue;
      }
      const facts = factsOf(
        state,
        id,
        listed ? before!.profile : state.profiles.get(id),
        listed,
        now,
      );
      if (before && sameFacts(before, facts)) continue;
      const account = accountOf(id, facts);
      built.set(id, { account, ...facts });
      if (
        before &&
        before.account.displayName === account.displayName &&
        before.account.email === account.email
      ) {
        // Same name, email and id: the same place.
        byName[indexOf(before.account)] = account;
        continue;
      }
      if (before) byName.splice(indexOf(before.account), 1);
      byName.splice(placeOf(account), 0, account);
    }
    return true;
  };

  return {
    build(state, now) {
      if (fewChanged(state, now)) {
        last = state;
        return ordered(state);
      }
      const next = new Map<string, Built>();
      /** Accounts of the last build that are gone or move (their name or email changed). */
      const out = new Set<Account>();
      /** New accounts, and new objects of those that move. */
      const moved: Account[] = [];
      /** Accounts built again in the same place: old object → new one. */
      const replaced = new Map<Account, Account>();
      let listedCount = 0;
      const visit = (profile: UserProfile | undefined, id: string, listed: boolean) => {
        const facts = factsOf(state, id, profile, listed, now);
        const before = built.get(id);
        let account: Account;
        if (before && sameFacts(before, facts)) {
          account = before.account;
        } else {
          account = accountOf(id, facts);
          if (!before) moved.push(account);
          else if (
            before.account.displayName !== account.displayName ||
            before.account.email !== account.email
          ) {
            out.add(before.account);
            moved.push(account);
          } else replaced.set(before.account, account);
        }
        next.set(id, { account, ...facts });
        if (listed) listedCount++;
      };
      // Pieces OS should never list a user twice; if it does, the first one counts.
      for (const u of state.users) if (!next.has(u.id)) visit(u, u.id, true);
      for (const id of state.saved.keys()) {
        if (!next.has(id)) visit(state.profiles.get(id), id, false);
      }
      for (const [id, b] of built) if (!next.has(id)) out.add(b.account);
      const ready = prepared?.users === state.users ? prepared : undefined;
      prepared = undefined;
      // Each account that moves costs a search and an insertion: a few are put in place.
      if (moved.length + out.size <= Math.max(16, next.size / 64)) {
        if (out.size > 0 || replaced.size > 0) {
          byName = byName.filter((a) => !out.has(a)).map((a) => replaced.get(a) ?? a);
        }
        for (const a of moved) byName.splice(placeOf(a), 0, a);
      } else if (ready && ready.order.length === listedCount) {
        // Sorted in steps beforehand: the users in that order, then the few saved sign-ins
        // Pieces OS does not list put in place.
        byName = ready.order.map((u) => next.get(u.id)!.account);
        for (const b of next.values())
          if (!b.listed) byName.splice(placeOf(b.account), 0, b.account);
      } else {
        byName = sortAccounts([...next.values()].map((b) => b.account));
      }
      built = next;
      last = state;
      return ordered(state);
    },

    async prepare(users, pause) {
      prepared = undefined;
      if (users.length <= PREPARE_ABOVE) return;
      // A list with an id twice is left to the build (the first one counts): see `listed` there.
      prepared = { users, order: await sortInSteps(users, pause) };
    },
  };
}

const sameFacts = (a: Omit<Built, 'account'>, b: Omit<Built, 'account'>): boolean =>
  sameShown(a.profile, b.profile) &&
  a.listed === b.listed &&
  a.saved === b.saved &&
  a.expiresAt === b.expiresAt &&
  a.expired === b.expired &&
  a.refused === b.refused &&
  a.active === b.active;

/**
 * Whether two profiles give the same account (accountOf reads only these): a refresh with new
 * bytes decodes every profile anew, and an account whose profile shows the same keeps its object.
 */
function sameShown(a: UserProfile | undefined, b: UserProfile | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.displayName === b.displayName &&
    a.email === b.email &&
    a.username === b.username &&
    a.picture === b.picture &&
    a.providers[0]?.type === b.providers[0]?.type
  );
}

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
  if (p?.providers[0]) {
    account.provider = p.providers[0].type;
    account.providerName = providerLabel(p.providers[0].type);
  }
  if (f.expiresAt !== undefined) account.signInExpiresAt = new Date(f.expiresAt).toISOString();
  return account;
}
