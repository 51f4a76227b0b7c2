// What main pushes to the window: the whole snapshot first, then what changed since the snapshot it
// pushed before. At 10,000 accounts a whole snapshot is megabytes to copy, send and parse on every
// change, although a switch changes two accounts; a patch costs what the change costs. An action's
// answer (a switch, a sign-out) is a patch too, of everything that changed while it ran.
import type { Account, StateSnapshot } from './domain';
import { compareAccounts, displayOrder } from './order';

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

/**
 * Adds to `ids` the id of every account new, changed or gone from `prev` to `next`. Main keeps the
 * list's order and the objects of unchanged accounts, so a walk side by side usually settles it
 * without building an index of thousands of ids.
 */
export function collectChanges(
  prev: readonly Account[],
  next: readonly Account[],
  ids: Set<string>,
): void {
  if (prev === next) return;
  if (prev.length === next.length) {
    let i = 0;
    for (; i < next.length; i++) {
      const a = prev[i]!;
      const b = next[i]!;
      if (a === b) continue;
      if (a.id !== b.id) break;
      if (!sameAccount(a, b)) ids.add(b.id);
    }
    if (i === next.length) return;
  }
  const before = new Map(prev.map((a) => [a.id, a]));
  for (const b of next) {
    const a = before.get(b.id);
    if (!a || !sameAccount(a, b)) ids.add(b.id);
    before.delete(b.id);
  }
  for (const id of before.keys()) ids.add(id);
}

/** `next` told as a patch on `base`, naming the accounts `ids` (those changed since `base`). */
export function patchOf(
  base: StateSnapshot,
  next: StateSnapshot,
  ids: ReadonlySet<string>,
): StatePatch {
  const changed = ids.size === 0 ? [] : next.accounts.filter((a) => ids.has(a.id));
  const present = new Set(changed.map((a) => a.id));
  const removed = [...ids].filter((id) => !present.has(id));
  const { accounts: _whole, ...rest } = next;
  return { ...rest, kind: 'patch', base: base.revision, changed, removed };
}

/** The change from `prev` to `next`, always as a patch (the accounts changed, never the list). */
export function changeBetween(prev: StateSnapshot, next: StateSnapshot): StatePatch {
  const ids = new Set<string>();
  collectChanges(prev.accounts, next.accounts, ids);
  return patchOf(prev, next, ids);
}

/**
 * The update that turns `prev` into `next`: a patch, or `next` itself when most of the list
 * changed (then the whole list is as cheap to send).
 */
export function diffSnapshots(prev: StateSnapshot, next: StateSnapshot): StateUpdate {
  const ids = new Set<string>();
  collectChanges(prev.accounts, next.accounts, ids);
  if (ids.size > next.accounts.length / 2) return next;
  return patchOf(prev, next, ids);
}

/** Index at which `a` goes in `sorted` (ascending by compareAccounts). */
function insertionIndex(sorted: readonly Account[], a: Account): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAccounts(sorted[mid]!, a) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
    return displayOrder([...kept, ...added], patch.activeId);
  }
  // The rest keep their order among themselves: each moved account is put in its place.
  const rest = ordered.filter((a) => !moved.has(a.id));
  let active: Account | undefined;
  for (const a of moved.values()) {
    if (a === null) continue;
    if (a.id === patch.activeId) active = a;
    else rest.splice(insertionIndex(rest, a), 0, a);
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
    return { ...update, accounts: displayOrder(update.accounts, update.activeId) };
  }
  // Before the first snapshot there is nothing to patch: the window's getState brings it.
  if (!current || update.revision <= current.revision) return 'same';
  if (update.base > current.revision) return 'resync';
  const { kind: _kind, base: _base, changed: _changed, removed: _removed, ...rest } = update;
  return { ...rest, accounts: patchAccounts(current.accounts, current.activeId, update) };
}
