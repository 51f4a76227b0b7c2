import { describe, expect, it } from 'vitest';
import type { Account, StateSnapshot } from './domain';
import { displayOrder } from './order';
import {
  applyUpdate,
  changeBetween,
  collectChanges,
  diffSnapshots,
  isPatch,
  patchAccounts,
  patchOf,
  type AccountChanges,
  type StatePatch,
} from './state-patch';

const account = (n: number, extra: Partial<Account> = {}): Account => ({
  id: `id-${String(n).padStart(4, '0')}`,
  displayName: `Person ${(n * 7919) % 1000}`,
  email: `p${n}@example.com`,
  connected: true,
  hasToken: true,
  state: 'ready',
  ...extra,
});

function snap(accounts: Account[], activeId: string | null, revision: number): StateSnapshot {
  const withState = accounts.map((a) =>
    a.id === activeId ? { ...a, state: 'active' as const } : a,
  );
  return {
    revision,
    accounts: displayOrder(withState, activeId),
    activeId,
    connection: { status: 'online', url: 'http://127.0.0.1:39300' },
    operation: null,
    lastError: null,
    notices: [],
    tokensPersist: true,
    pendingSignIn: null,
  };
}

/** What the window holds after `update`, from `prev` (as app-state applies it). */
function applied(prev: StateSnapshot, update: StateSnapshot | StatePatch): Account[] {
  if (!isPatch(update)) return displayOrder(update.accounts, update.activeId);
  expect(update.base).toBe(prev.revision);
  return patchAccounts(prev.accounts, prev.activeId, update);
}

const base = Array.from({ length: 200 }, (_, i) => account(i));

describe('diffSnapshots and patchAccounts', () => {
  it('tell a switch as the two accounts that changed, and rebuild the same order', () => {
    const prev = snap(base, base[3]!.id, 1);
    // A fresh list of fresh objects, as main builds it, with another account active.
    const next = snap(
      base.map((a) => ({ ...a })),
      base[150]!.id,
      2,
    );
    const update = diffSnapshots(prev, next);
    if (!isPatch(update)) throw new Error('expected a patch');
    expect(update.changed.map((a) => a.id).sort()).toEqual([base[150]!.id, base[3]!.id].sort());
    expect(update.removed).toEqual([]);
    expect(update).not.toHaveProperty('accounts');
    const after = applied(prev, update);
    expect(after).toEqual(next.accounts);
    // Accounts the patch does not name are the window's own objects still.
    const kept = after.find((a) => a.id === base[7]!.id);
    expect(kept).toBe(prev.accounts.find((a) => a.id === base[7]!.id));
  });

  it('tell accounts added, renamed and removed', () => {
    const prev = snap(base, null, 4);
    const list = base.filter((_, i) => i !== 10 && i !== 11).map((a) => ({ ...a }));
    list[20] = { ...list[20]!, displayName: 'Aaron First' };
    list.push(account(900, { displayName: 'Zed Last' }), account(901));
    const next = snap(list, null, 5);
    const update = diffSnapshots(prev, next);
    if (!isPatch(update)) throw new Error('expected a patch');
    expect(update.removed.sort()).toEqual([base[10]!.id, base[11]!.id]);
    expect(update.changed).toHaveLength(3);
    expect(applied(prev, update)).toEqual(next.accounts);
  });

  it('send the whole snapshot when most of the list changed', () => {
    const prev = snap(base, null, 1);
    const next = snap(
      base.map((a) => ({ ...a, hasToken: false })),
      null,
      2,
    );
    expect(diffSnapshots(prev, next)).toBe(next);
  });

  it('carry every other field, and nothing about accounts when they did not change', () => {
    const prev = snap(base, null, 1);
    const next = { ...prev, revision: 2, operation: { kind: 'refresh' as const } };
    const update = diffSnapshots(prev, next);
    expect(update).toMatchObject({ kind: 'patch', base: 1, revision: 2, changed: [], removed: [] });
    expect(update).toMatchObject({ operation: { kind: 'refresh' } });
    if (!isPatch(update)) throw new Error('expected a patch');
    expect(applied(prev, update)).toBe(prev.accounts);
  });

  it('rebuild display order for any sequence of changes (seeded)', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let pool = base.slice(0, 60);
    let prev = snap(pool, pool[0]!.id, 1);
    let held = prev.accounts;
    for (let step = 0; step < 200; step++) {
      pool = pool.map((a) => (rand(10) === 0 ? { ...a, displayName: `Name ${rand(50)}` } : a));
      if (rand(3) === 0) pool = pool.filter((_, i) => i !== rand(pool.length));
      if (rand(3) === 0) pool = [...pool, account(1000 + step)];
      const activeId = rand(4) === 0 ? null : pool[rand(pool.length)]!.id;
      const next = snap(pool, activeId, prev.revision + 1);
      const update = diffSnapshots(prev, next);
      held = isPatch(update)
        ? patchAccounts(held, prev.activeId, update)
        : displayOrder(next.accounts, activeId);
      expect(held).toEqual(next.accounts);
      prev = next;
    }
  });
});

/** The changes from `prev` to `next` by a plain index by id: what collectChanges must find. */
function reference(prev: readonly Account[], next: readonly Account[]): [string, Account | null][] {
  const before = new Map(prev.map((a) => [a.id, a]));
  const out: [string, Account | null][] = [];
  for (const b of next) {
    const a = before.get(b.id);
    if (!a || JSON.stringify(a) !== JSON.stringify(b)) out.push([b.id, b]);
    before.delete(b.id);
  }
  for (const id of before.keys()) out.push([id, null]);
  return out.sort(([x], [y]) => (x < y ? -1 : 1));
}

function collected(prev: readonly Account[], next: readonly Account[]) {
  const changes: AccountChanges = new Map();
  collectChanges(prev, next, changes);
  return [...changes].sort(([x], [y]) => (x < y ? -1 : 1));
}

describe('collectChanges', () => {
  it('names just the two accounts of a switch in a list of 10,000 (one to the front, one back)', () => {
    const byName = Array.from({ length: 10_000 }, (_, i) => account(i));
    const grace = byName[7_000]!;
    const ada = byName[300]!;
    const prev = [{ ...grace, state: 'active' as const }, ...byName.filter((a) => a !== grace)];
    const next = [{ ...ada, state: 'active' as const }, ...byName.filter((a) => a !== ada)];
    // The unchanged accounts are the same objects, as main keeps them.
    expect(collected(prev, next)).toEqual([
      [ada.id, next[0]],
      [grace.id, grace],
    ]);
    expect(collected(next, prev)).toEqual(reference(next, prev));
  });

  it('ignores a new object equal to the old one', () => {
    const prev = base.slice(0, 10);
    const next = prev.map((a) => ({ ...a }));
    expect(collected(prev, next)).toEqual([]);
  });

  it('finds the same as an index by id for any edit of the list (seeded)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let prev = base.slice(0, 120);
    for (let step = 0; step < 300; step++) {
      const next = prev.slice();
      for (let k = rand(6); k > 0; k--) {
        const at = rand(next.length);
        const edit = rand(4);
        if (edit === 0) next.splice(at, 1); // gone
        if (edit === 1) next.splice(at, 0, account(2_000 + step * 10 + k)); // new
        if (edit === 2) next.splice(rand(next.length), 0, ...next.splice(at, 1)); // moved
        if (edit === 3) next[at] = { ...next[at]!, displayName: `Renamed ${step}` }; // changed
      }
      // Now and then most of the list moves: the walk gives up and indexes by id.
      if (rand(20) === 0) next.reverse();
      expect(collected(prev, next)).toEqual(reference(prev, next));
      prev = next;
    }
  });
});

/** What a window shows after `update` from `held`; fails the test on 'same' or 'resync'. */
function shown(held: StateSnapshot | null, update: StateSnapshot | StatePatch): StateSnapshot {
  const next = applyUpdate(held, update);
  if (typeof next === 'string') throw new Error(`expected a new snapshot, got ${next}`);
  return next;
}

describe('applyUpdate (how both windows take a push or an answer)', () => {
  it('shows a newer whole snapshot in display order, and keeps what it has over an older one', () => {
    const s1 = snap(base.slice(0, 20), null, 1);
    const s2 = {
      ...s1,
      revision: 2,
      accounts: s1.accounts.slice().reverse(),
      activeId: base[5]!.id,
    };
    const first = shown(null, s2);
    expect(first.accounts).toEqual(displayOrder(s2.accounts, s2.activeId));
    expect(first.accounts[0]!.id).toBe(base[5]!.id);
    expect(applyUpdate(first, s1)).toBe('same');
    expect(applyUpdate(first, s2)).toBe('same');
  });

  it('applies a patch on its base, skips an old one, and asks for the whole state after a gap', () => {
    const s1 = snap(base, base[1]!.id, 1);
    const s2 = snap(base, base[2]!.id, 2);
    const s3 = snap(base, base[3]!.id, 3);
    const p12 = diffSnapshots(s1, s2);
    const p23 = diffSnapshots(s2, s3);
    expect(applyUpdate(null, p12)).toBe('same'); // the window's getState brings the first
    const held = shown(s1, p12);
    expect(held.accounts).toEqual(s2.accounts);
    expect(held).not.toHaveProperty('kind');
    expect(applyUpdate(held, p12)).toBe('same');
    expect(applyUpdate(s1, p23)).toBe('resync');
    expect(shown(held, p23).accounts).toEqual(s3.accounts);
  });

  it('an answer covering several pushes applies on each of them (pushes and answers race)', () => {
    // During a switch main pushes its start, a refresh renames Ada and renames her back, then the
    // outcome. The answer names every account that changed on the way, not only the net change.
    const s0 = snap(base, base[0]!.id, 10);
    const renamed = base.map((a, i) => (i === 40 ? { ...a, displayName: 'Ada Renamed' } : a));
    const steps = [
      { ...s0, revision: 11, operation: { kind: 'switch' as const, accountId: base[9]!.id } },
      snap(renamed, base[0]!.id, 12),
      snap(base, base[9]!.id, 13),
    ];
    const changes: AccountChanges = new Map();
    let prev = s0;
    for (const s of steps) {
      collectChanges(prev.accounts, s.accounts, changes);
      prev = s;
    }
    const last = steps.at(-1)!;
    const answer = patchOf(s0, last, changes);
    for (const held of [s0, ...steps.slice(0, -1)]) {
      expect(shown(held, answer).accounts).toEqual(last.accounts);
    }
    expect(applyUpdate(last, answer)).toBe('same');
    // The net change alone would leave the renamed account on the window that saw the rename.
    expect(shown(steps[1]!, changeBetween(s0, last)).accounts).not.toEqual(last.accounts);
  });
});
