import { describe, expect, it } from 'vitest';
import type { Account, StateSnapshot } from './domain';
import { displayOrder } from './order';
import { diffSnapshots, isPatch, patchAccounts, type StatePatch } from './state-patch';

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
