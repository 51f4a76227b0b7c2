// What main pushes to the window: the whole snapshot first, then what changed since the snapshot it
// pushed before. At 10,000 accounts a whole snapshot is megabytes to copy, send and parse on every
// change, although a switch changes two accounts; a patch costs what the change costs.
import type { Account, StateSnapshot } from './domain';
import { compareAccounts, displayOrder } from './order';

/** A snapshot told as the change from the one of revision `base`: every field but the accounts whole. */
export interface StatePatch extends Omit<StateSnapshot, 'accounts'> {
  kind: 'patch';
  /** The revision of the snapshot this applies to (the one pushed before it). */
  base: number;
  /** Accounts new or changed since `base`, whole. */
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
 * The update that turns `prev` into `next`: a patch, or `next` itself when most of the list
 * changed (then the whole list is as cheap to send).
 */
export function diffSnapshots(prev: StateSnapshot, next: StateSnapshot): StateUpdate {
  const changed: Account[] = [];
  const removed: string[] = [];
  if (prev.accounts !== next.accounts) {
    const before = new Map(prev.accounts.map((a) => [a.id, a]));
    for (const a of next.accounts) {
      const old = before.get(a.id);
      if (!old || !sameAccount(old, a)) changed.push(a);
      before.delete(a.id);
    }
    removed.push(...before.keys());
  }
  if (changed.length + removed.length > next.accounts.length / 2) return next;
  const { accounts: _whole, ...rest } = next;
  return { ...rest, kind: 'patch', base: prev.revision, changed, removed };
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
