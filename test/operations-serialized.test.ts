// Operations that change Pieces OS run one at a time, and never alongside a refresh that could
// apply an older user list over their result. Found by the soak (test/soak.test.ts); pinned here.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, emulatorIds, type Harness } from './support/harness';

vi.mock('electron', () => ({ default: {} }));

let h: Harness;
let ada: string;
let grace: string;

beforeEach(async () => {
  h = await createHarness({ users: 1, seed: 3, strictOverlaps: true });
  await h.service.start();
  ada = (await h.signIn({ email: 'ada@example.com', name: 'Ada' })).id;
  grace = (await h.signIn({ email: 'grace@example.com', name: 'Grace' })).id;
});
afterEach(() => h.close());

/** Waits (bounded) until the emulator has received `n` more list requests than `from`. */
async function untilListRequests(from: number, n = 1): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (h.emulator.requestCount('listUsers') >= from + n) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the list request never arrived');
}

describe('operations are serialized', () => {
  it('refuses a second operation that arrives while the first waits for a running refresh', async () => {
    h.emulator.setFaults({ listUsers: { latencyMs: 80, times: 1 } });
    const refreshing = h.service.refresh();
    const [a, b] = await Promise.all([h.service.switchTo(ada), h.service.signOut(grace)]);
    await refreshing;
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const refused = a.ok ? b : a;
    expect(refused).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect(h.overlaps.violations).toEqual([]);
    expect(h.overlaps.mutations()).toBe(3); // two sign-ins in beforeEach, one operation here
  });

  it('starts an operation only after the previous one’s closing refresh, so that list cannot undo it', async () => {
    const before = h.emulator.requestCount('listUsers');
    // The switch's own request is quick; the list that ends it is read at once but sent slowly.
    h.emulator.setFaults({ listUsers: { trickleMs: 4, times: 1 } });
    const switching = h.service.switchTo(ada);
    await untilListRequests(before);
    const signOut = await h.service.signOut(grace);
    const switched = await switching;
    expect(switched.ok).toBe(true);
    expect(signOut.ok).toBe(true);
    expect(h.overlaps.violations).toEqual([]);
    // The last list applied is the one after the sign-out: Grace is gone everywhere.
    const s = h.service.snapshot();
    expect(
      s.accounts
        .filter((a) => a.connected)
        .map((a) => a.id)
        .sort(),
    ).toEqual(emulatorIds(h.emulator));
    expect(s.accounts.some((a) => a.id === grace)).toBe(false);
  });
});
