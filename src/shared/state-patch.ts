// What main pushes to the window: the whole snapshot first, then what changed since the snapshot it
// pushed before. At 10,000 accounts a whole snapshot is megabytes to copy, send and parse on every
// change, although a switch changes two accounts; a patch costs what the change costs. An action's
// answer (a switch, a sign-out) is a patch too, of everything that changed while it ran.
import type { Account, StateSnapshot } from './domain';
import { activeFirst, placeInOrder } from './display-order';

/** A snapshot told as the change from the one of revision `base`: every field but the accounts whole. */
export interface StatePatch extends Omit<StateSnapshot, 'accounts'> {
  kind: 'patch';
  /**
   * The revision of a snapshot main pushed before this one. `changed` and `removed` name every
   * account that changed at any point after it, so the patch applies to that snapshot and to any
   * pushed later but before `revision`.
   */
  base: number;
  /** Accounts new or changed since `base`, whole, as they are at `revision`. */
  changed: Account[];
  /** Ids of the accounts gone since `base`. */
  removed: string[];
}

/** What the `state` event carries. */
export type StateUpdate = StateSnapshot | StatePatch;

export const isPatch = (u: StateUpdate): u is StatePatch => 'kind' in u && u.kind === 'patch';

/** Accounts are flat records of primitives: equal when every field is. */
function sameAccount(a: Account, b: Account): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof Account)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}

/** Every account changed since some snapshot: as it is now, or null when it is gone. */
export type AccountChanges = Map<string, Account | null>;

/** Beyond this many accounts out of place, one index by id is cheaper than looking ahead. */
const MAX_OUT_OF_PLACE = 64;

/**
 * Records in `changes` every account new, changed or gone from `prev` to `next`. Main keeps the
 * objects of unchanged accounts and their order (a switch moves one account to the front and one
 * back into place), so a walk side by side, setting aside the few accounts out of place until
 * their match comes, settles it without an index of thousands of ids.
 */
export function collectChanges(
  prev: readonly Account[],
  next: readonly Account[],
  changes: AccountChanges,
): void {
  if (prev === next) return;
  const fromPrev = new Map<string, Account>();
  const fromNext = new Map<string, Account>();
  const settle = (a: Account, b: Account) => {
    if (!sameAccount(a, b)) changes.set(b.id, b);
  };
  let i = 0;
  let j = 0;
  while (i < prev.length || j < next.length) {
    if (fromPrev.size + fromNext.size > MAX_OUT_OF_PLACE) return collectById(prev, next, changes);
    const a = prev[i];
    const b = next[j];
    if (a && b && (a === b || a.id === b.id)) {
      if (a !== b) settle(a, b);
      i++;
      j++;
    } else if (a && fromNext.has(a.id)) {
      settle(a, fromNext.get(a.id)!);
      fromNext.delete(a.id);
      i++;
    } else if (b && fromPrev.has(b.id)) {
      settle(fromPrev.get(b.id)!, b);
      fromPrev.delete(b.id);
      j++;
    } else if (a && (!b || prev[i + 1] === b)) {
      // `a` left this place (moved later, or gone).
      fromPrev.set(a.id, a);
      i++;
    } else if (b && (!a || next[j + 1] === a)) {
      // `b` came to this place (moved here, or new).
      fromNext.set(b.id, b);
      j++;
    } else {
      fromPrev.set(a!.id, a!);
      fromNext.set(b!.id, b!);
      i++;
      j++;
    }
  }
  for (const id of fromPrev.keys()) changes.set(id, null);
  for (const [id, b] of fromNext) changes.set(id, b);
}

/** collectChanges for lists in another order: an index of `prev` by id. */
function collectById(
  prev: readonly Account[],
  next: readonly Account[],
  changes: AccountChanges,
): void {
  const before = new Map(prev.map((a) => [a.id, a]));
  for (const b of next) {
    const a = before.get(b.id);
    if (!a || !sameAccount(a, b)) changes.set(b.id, b);
    before.delete(b.id);
  }
  for (const id of before.keys()) changes.set(id, null);
}

/** `next` told as a patch on `base`, with `changes` (every account changed since `base`). */
export function patchOf(
  base: StateSnapshot,
  next: StateSnapshot,
  changes: AccountChanges,
): StatePatch {
  const changed: Account[] = [];
  const removed: string[] = [];
  for (const [id, a] of changes) {
    if (a) changed.push(a);
    else removed.push(id);
  }
  const { accounts: _whole, ...rest } = next;
  return { ...rest, kind: 'patch', base: base.revision, changed, removed };
}

/** The change from `prev` to `next`, always as a patch (the accounts changed, never the list). */
export function changeBetween(prev: StateSnapshot, next: StateSnapshot): StatePatch {
  const changes: AccountChanges = new Map();
  collectChanges(prev.accounts, next.accounts, changes);
  return patchOf(prev, next, changes);
}

/**
 * The update that turns `prev` into `next`: a patch, or `next` itself when most of the list
 * changed (then the whole list is as cheap to send).
 */
export function diffSnapshots(prev: StateSnapshot, next: StateSnapshot): StateUpdate {
  const changes: AccountChanges = new Map();
  collectChanges(prev.accounts, next.accounts, changes);
  if (changes.size > next.accounts.length / 2) return next;
  return patchOf(prev, next, changes);
}

/**
 * The accounts after `patch`, in display order, from `ordered` (the accounts of the snapshot of
 * revision `patch.base`, in display order, active first when `prevActiveId` is set). Accounts the
 * patch does not name stay the same objects, so what is derived from them can be kept.
 */
export function patchAccounts(
  ordered: readonly Account[],
  prevActiveId: string | null,
  patch: StatePatch,
): Account[] {
  if (patch.changed.length === 0 && patch.removed.length === 0 && prevActiveId === patch.activeId)
    return ordered as Account[];
  const moved = new Map<string, Account | null>(patch.changed.map((a) => [a.id, a]));
  for (const id of patch.removed) moved.set(id, null);
  // The accounts that were or become active move even if nothing else about them changed.
  for (const id of [prevActiveId, patch.activeId]) {
    if (id === null || moved.has(id)) continue;
    const a = ordered.find((x) => x.id === id);
    if (a) moved.set(id, a);
  }
  if (moved.size > ordered.length / 2) {
    // Most of the list moves: one sort is cheaper than as many insertions.
    const kept = ordered.filter((a) => !moved.has(a.id));
    const added = [...moved.values()].filter((a): a is Account => a !== null);
    return activeFirst([...kept, ...added], patch.activeId);
  }
  // The rest keep their order among themselves: each moved account is put in its place.
  const rest = ordered.filter((a) => !moved.has(a.id));
  let active: Account | undefined;
  for (const a of moved.values()) {
    if (a === null) continue;
    if (a.id === patch.activeId) active = a;
    else rest.splice(placeInOrder(rest, a), 0, a);
  }
  if (active) rest.unshift(active);
  return rest;
}

/**
 * What a window shows after `update` (pushed, or an action's answer) when it shows `current`, its
 * accounts in display order: the new snapshot, its accounts in display order too; 'same' when it
 * shows that one or a newer one already (the two roads need not arrive in order); 'resync' when
 * a change in between went missing (the window was reloaded, say): then it asks for the whole state.
 */
export function applyUpdate(
  current: StateSnapshot | null,
  update: StateUpdate,
): StateSnapshot | 'same' | 'resync' {
  if (!isPatch(update)) {
    if (current && update.revision <= current.revision) return 'same';
    return { ...update, accounts: activeFirst(update.accounts, update.activeId) };
  }
  // Before the first snapshot there is nothing to patch: the window's getState brings it.
  if (!current || update.revision <= current.revision) return 'same';
  if (update.base > current.revision) return 'resync';
  const { kind: _kind, base: _base, changed: _changed, removed: _removed, ...rest } = update;
  return { ...rest, accounts: patchAccounts(current.accounts, current.activeId, update) };
}
