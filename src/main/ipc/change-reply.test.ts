// An action's answer to the window is what changed while it ran, never the account list: at any
// number of accounts a switch answers with the two accounts it changed and the small fields.
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StateSnapshot } from '../../shared/domain';
import { ok } from '../../shared/domain';
import { displayOrder } from '../../shared/order';
import { applyUpdate, type StatePatch } from '../../shared/state-patch';
import { publicSettings } from '../settings/settings';
import { createHarness, type Harness } from '../../../test/support/harness';
import { withChange, type StateSource } from './change-reply';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';

// settings.ts loads electron-store, which imports electron; with a cwd it needs nothing from it.
vi.mock('electron', () => ({ default: {} }));

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** A switch from Grace to Ada through IPC dispatch, with `users` more users in Pieces OS. */
async function switchAt(users: number) {
  const h = await createHarness({ users, seed: 7, timeoutMs: 20_000 });
  harnesses.push(h);
  await h.service.start();
  const ada = await h.signIn({ email: 'ada@example.com', name: 'Ada Lovelace' });
  const grace = await h.signIn({ email: 'grace@example.com', name: 'Grace Hopper' });
  const handlers = createHandlers(h.service, {
    get: () => publicSettings(h.settings.get()),
    update: (patch) => publicSettings(h.settings.update(patch)),
  });
  // What the window holds: the whole state, in display order (as its getState brought it).
  const window = applyUpdate(null, h.service.snapshot()) as StateSnapshot;
  const reply = await dispatch(handlers, 'switchTo', { id: ada.id });
  const whole = h.service.snapshot();
  await h.service.idle();
  if (!reply.ok) throw new Error(`The switch failed: ${reply.error.message}`);
  return { ada, grace, window, patch: reply.value as StatePatch, whole, reply };
}

describe("an action's answer", () => {
  it('of a switch names the two accounts it changed, at 20 users as at 3,000', async () => {
    const small = await switchAt(20);
    const large = await switchAt(3_000);
    for (const { ada, grace, window, patch, whole } of [small, large]) {
      expect(patch).not.toHaveProperty('accounts');
      expect(patch).toMatchObject({ kind: 'patch', base: window.revision, activeId: ada.id });
      expect(patch.changed.map((a) => [a.id, a.state]).sort()).toEqual(
        [
          [ada.id, 'active'],
          [grace.id, 'ready'],
        ].sort(),
      );
      expect(patch.removed).toEqual([]);
      // Enough for the window: applied to what it holds, it shows the state main has.
      const shown = applyUpdate(window, patch) as StateSnapshot;
      expect(shown.accounts).toEqual(displayOrder(whole.accounts, whole.activeId));
      expect(shown.accounts[0]).toMatchObject({ id: ada.id, state: 'active' });
      expect(shown.accounts.length).toBe(whole.accounts.length);
    }
    expect(large.whole.accounts.length).toBeGreaterThan(3_000);
    // What crosses IPC (structured clone): the same size whatever the number of accounts.
    const smallBytes = serialize(small.reply).length;
    const largeBytes = serialize(large.reply).length;
    expect(largeBytes).toBeLessThan(2_048);
    expect(Math.abs(largeBytes - smallBytes)).toBeLessThan(64);
    expect(serialize(large.whole).length).toBeGreaterThan(100 * largeBytes);
  }, 120_000);
});

describe('withChange', () => {
  /** A state source pushed by hand, as the account service pushes its snapshots. */
  function handSource(first: StateSnapshot) {
    let now = first;
    const listeners = new Set<(s: StateSnapshot) => void>();
    const source: StateSource = {
      snapshot: () => now,
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const push = (next: StateSnapshot) => {
      now = next;
      for (const l of listeners) l(next);
    };
    return { source, push, listeners };
  }

  const person = (id: string, displayName: string) => ({
    id,
    displayName,
    connected: true,
    hasToken: true,
    state: 'ready' as const,
  });
  const start: StateSnapshot = {
    revision: 1,
    accounts: [person('a', 'Ada'), person('b', 'Bea'), person('c', 'Cy')],
    activeId: null,
    connection: { status: 'online', url: 'http://127.0.0.1:39300' },
    operation: null,
    lastError: null,
    notices: [],
    tokensPersist: true,
    pendingSignIn: null,
  };

  it('names an account that changed and changed back while the action ran', async () => {
    const { source, push, listeners } = handSource(start);
    const renamed = {
      ...start,
      revision: 2,
      accounts: [person('a', 'Ada'), person('b', 'Bo'), person('c', 'Cy')],
    };
    const result = await withChange(source, () => {
      push(renamed);
      push({ ...start, revision: 3, accounts: start.accounts.slice(0, 2) });
      push({ ...start, revision: 4, accounts: start.accounts.slice(0, 2), notices: [] });
      return ok(null);
    });
    expect(listeners.size).toBe(0);
    if (!result.ok) throw new Error('expected a patch');
    expect(result.value).toMatchObject({ base: 1, revision: 4, removed: ['c'] });
    expect(result.value.changed).toEqual([person('b', 'Bea')]);
  });

  it('passes a failure on as it is, and stops listening', async () => {
    const { source, listeners } = handSource(start);
    const error = { kind: 'busy' as const, message: 'Another action is still running.' };
    expect(await withChange(source, () => Promise.resolve({ ok: false, error }))).toEqual({
      ok: false,
      error,
    });
    expect(listeners.size).toBe(0);
  });
});
