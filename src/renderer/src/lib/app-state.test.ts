import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppError, StateSnapshot } from '../../../shared/domain';
import { deferred, FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import {
  alice,
  bob,
  chloe,
  manyAccounts,
  snapshot,
} from '../../../../test/support/renderer/fixtures';
import { AppState } from './app-state.svelte';
import { diffSnapshots, isPatch } from '../../../shared/state-patch';

const unreachable: AppError = { kind: 'unreachable', message: 'ECONNREFUSED' };
const offline: StateSnapshot['connection'] = {
  status: 'offline',
  tried: ['http://localhost:39300'],
  error: unreachable,
  nextRetryAt: Date.now() + 10_000,
};

async function started(fake: FakeBridge, detailsDelayMs = 0): Promise<AppState> {
  const app = new AppState(fake.bridge, { detailsDelayMs });
  await app.start();
  return app;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('AppState', () => {
  it('renders the snapshot from getState, then the ones main pushes', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    expect(app.accounts.map((a) => a.id)).toEqual([alice.id, bob.id, chloe.id]);
    expect(app.activeId).toBe(alice.id);
    fake.push({ activeId: bob.id });
    expect(app.activeId).toBe(bob.id);
  });

  it('selects the active account first and loads its details', async () => {
    const fake = new FakeBridge(snapshot({ activeId: bob.id }));
    const app = await started(fake);
    expect(app.selectedId).toBe(bob.id);
    await flush();
    expect(fake.callsTo('getDetails')).toEqual([{ id: bob.id }]);
    expect(app.details).toMatchObject({ id: bob.id, status: 'ready' });
  });

  it('keeps only the details of the latest selection when answers arrive out of order', async () => {
    const fake = new FakeBridge(snapshot());
    const slow = deferred<Awaited<ReturnType<typeof fake.bridge.getDetails>>>();
    const app = await started(fake);
    await flush();
    fake.handlers.getDetails = ({ id }) =>
      id === bob.id ? slow.promise : { ok: true, value: { displayName: 'C', fields: [] } };
    app.select(bob.id);
    app.select(chloe.id);
    await flush();
    slow.resolve({ ok: true, value: { displayName: 'B', fields: [] } });
    await flush();
    expect(app.details).toMatchObject({ id: chloe.id, status: 'ready' });
  });

  it('waits for the selection to settle before fetching details', async () => {
    vi.useFakeTimers();
    const fake = new FakeBridge(snapshot());
    const app = new AppState(fake.bridge, { detailsDelayMs: 150 });
    await app.start();
    await vi.advanceTimersByTimeAsync(200);
    fake.calls.length = 0;
    app.select(bob.id);
    app.select(chloe.id);
    expect(app.details).toEqual({ id: chloe.id, status: 'loading' });
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.callsTo('getDetails')).toEqual([{ id: chloe.id }]);
  });

  it('does not fetch details while offline, and fetches them when Pieces OS is back', async () => {
    const fake = new FakeBridge(snapshot({ connection: offline }));
    const app = await started(fake);
    expect(app.details).toEqual({ id: alice.id, status: 'offline' });
    expect(fake.callsTo('getDetails')).toEqual([]);
    fake.push({ connection: { status: 'online', url: 'http://localhost:39300' } });
    await flush();
    expect(fake.callsTo('getDetails')).toEqual([{ id: alice.id }]);
  });

  it('switches: shows progress on the row, then the new active account', async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<Awaited<ReturnType<typeof fake.bridge.switchTo>>>();
    fake.handlers.switchTo = () => answer.promise;
    const app = await started(fake);
    const switching = app.switchTo(bob.id);
    expect(app.rowActivity(bob.id)).toBe('switch');
    answer.resolve({
      ok: true,
      value: fake.answer({ ...fake.state, revision: fake.state.revision + 1, activeId: bob.id }),
    });
    await switching;
    expect(app.rowActivity(bob.id)).toBeNull();
    expect(app.activeId).toBe(bob.id);
  });

  it('offers to trust an untrusted address, asks main, and then moves past the refusal', async () => {
    const fake = new FakeBridge(snapshot());
    const refused: AppError = {
      kind: 'untrusted',
      message: 'Sign-ins are not sent to http://127.0.0.1:39301 yet: it was set in Settings.',
    };
    fake.handlers.switchTo = () => ({ ok: false, error: refused });
    const app = await started(fake);
    await app.switchTo(bob.id);
    expect(app.untrusted).toEqual(refused);

    // The person cancels main's dialog: still refused, nothing changed.
    fake.handlers.confirmPiecesOsAddress = () => ({
      ok: true,
      value: { url: 'http://127.0.0.1:39301', confirmed: false },
    });
    await app.trustAddress();
    expect(app.untrusted).toEqual(refused);
    // Another user's listener: main refuses, and the banner says why.
    const owner: AppError = { kind: 'untrusted', message: 'belongs to another user' };
    fake.handlers.confirmPiecesOsAddress = () => ({ ok: false, error: owner });
    await app.trustAddress();
    expect(app.trustError).toEqual(owner);
    // Confirmed: the refusal is gone, and the next switch is the person's to make.
    fake.handlers.confirmPiecesOsAddress = undefined;
    await app.trustAddress();
    expect(fake.callsTo('confirmPiecesOsAddress')).toHaveLength(3);
    expect(app.untrusted).toBeNull();
    expect(app.rowError(bob.id)).toBeNull();
    expect(app.announcement).toMatch(/is now trusted as your Pieces OS/);
  });

  it('shows no phantom error or activity on an account whose id is "__proto__"', async () => {
    const proto = { ...bob, id: '__proto__', displayName: 'Proto' };
    const fake = new FakeBridge(snapshot({ accounts: [alice, proto] }));
    const app = await started(fake);
    expect(app.rowError('__proto__')).toBeNull();
    expect(app.rowActivity('__proto__')).toBeNull();
  });

  it('keeps the error on the row of a failed switch, and the active account', async () => {
    const fake = new FakeBridge(snapshot());
    const error: AppError = { kind: 'needs-sign-in', message: 'no token' };
    fake.handlers.switchTo = () => ({ ok: false, error });
    const app = await started(fake);
    await app.switchTo(bob.id);
    expect(app.rowError(bob.id)).toEqual(error);
    expect(app.rowError(alice.id)).toBeNull();
    expect(app.activeId).toBe(alice.id);
    // A new attempt clears the old error.
    fake.handlers.switchTo = undefined;
    await app.switchTo(bob.id);
    expect(app.rowError(bob.id)).toBeNull();
    expect(app.activeId).toBe(bob.id);
  });

  it('does not switch to the active account, while offline, or twice at once', async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<Awaited<ReturnType<typeof fake.bridge.switchTo>>>();
    fake.handlers.switchTo = () => answer.promise;
    const app = await started(fake);
    await app.switchTo(alice.id);
    const first = app.switchTo(bob.id);
    await app.switchTo(bob.id);
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
    answer.resolve({ ok: true, value: fake.answer(fake.state) });
    await first;
    fake.push({ connection: offline });
    await app.switchTo(chloe.id);
    expect(fake.callsTo('switchTo')).toHaveLength(1);
  });

  it('switchToIndex counts in the filtered list', async () => {
    const fake = new FakeBridge(snapshot({ accounts: manyAccounts(20), activeId: 'u-00001' }));
    const app = await started(fake);
    app.query = '0012';
    await app.switchToIndex(0);
    expect(fake.callsTo('switchTo')).toEqual([{ id: 'u-00012' }]);
    expect(app.selectedId).toBe('u-00012');
  });

  it('shows the filter field for long lists, and for short ones once there is a query', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    expect(app.searchable).toBe(false);
    app.query = 'bob';
    expect(app.searchable).toBe(true);
    expect(app.visibleAccounts.map((a) => a.id)).toEqual([bob.id]);
    fake.push({ accounts: manyAccounts(6) });
    app.query = '00002';
    expect(app.visibleAccounts.map((a) => a.id)).toEqual(['u-00002']);
  });

  it('shows an operation main reports (e.g. from the tray) on its row', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    fake.push({ operation: { kind: 'switch', accountId: chloe.id } });
    expect(app.rowActivity(chloe.id)).toBe('switch');
    const error: AppError = { kind: 'timeout', message: 't' };
    fake.push({
      operation: null,
      lastError: { operation: { kind: 'switch', accountId: chloe.id }, error },
    });
    expect(app.rowError(chloe.id)).toEqual(error);
    // Retrying from this window puts the old failure behind it.
    await app.switchTo(chloe.id);
    expect(app.rowError(chloe.id)).toBeNull();
  });

  it('reads a throwing bridge as an internal error, not a crash', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    fake.handlers.switchTo = () => Promise.reject(new Error('boom'));
    await app.switchTo(bob.id);
    expect(app.rowError(bob.id)?.kind).toBe('internal');
  });

  it('reports a failed first getState', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.getState = () => ({ ok: false, error: { kind: 'forbidden', message: 'x' } });
    const app = await started(fake);
    expect(app.loadError?.kind).toBe('forbidden');
  });

  it('signs out after confirmation and forgets a selection that is gone', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    app.select(bob.id);
    app.requestSignOut(bob.id);
    expect(app.dialog).toEqual({ kind: 'sign-out', id: bob.id, displayName: bob.displayName });
    await app.confirmSignOut();
    expect(fake.callsTo('signOut')).toEqual([{ id: bob.id }]);
    expect(app.dialog).toBeNull();
    expect(app.accounts.map((a) => a.id)).toEqual([alice.id, chloe.id]);
    expect(app.selectedId).toBe(alice.id);
  });

  it('signs in and selects the new account', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    const result = await app.signIn({
      json: '{"access_token":"t","token_type":"Bearer","expires_in":60}',
    });
    expect(result.ok).toBe(true);
    expect(app.selectedId).toBe('new-4');
  });

  it('hides a dismissed notice at once', async () => {
    const fake = new FakeBridge(
      snapshot({ notices: [{ id: 'n1', level: 'info', message: 'Hello' }] }),
    );
    const app = await started(fake);
    const dismissing = app.dismissNotice('n1');
    expect(app.notices).toEqual([]);
    await dismissing;
    expect(fake.callsTo('dismissNotice')).toEqual([{ id: 'n1' }]);
  });

  it('opens Add account when main asks (the tray menu)', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    app.requestSignOut(bob.id);
    fake.command('add-account');
    expect(app.dialog).toEqual({ kind: 'add-account' });
  });

  it('unsubscribes on stop', async () => {
    const fake = new FakeBridge(snapshot());
    const app = await started(fake);
    expect(fake.listenerCount).toBe(2);
    app.stop();
    expect(fake.listenerCount).toBe(0);
  });

  describe('pictures', () => {
    const url = 'https://example.com/alice.png';
    const data = 'data:image/png;base64,iVBORw0KGgo=';
    /** The picture of account `id` as a row showing the app's account object asks for it. */
    const pictureShown = (app: AppState, id: string) =>
      app.pictureOf(app.accounts.find((a) => a.id === id)!);

    it('asks main once per account with a picture URL, and answers with what main handed over', async () => {
      const fake = new FakeBridge(snapshot({ accounts: [{ ...alice, picture: url }, bob] }));
      fake.pictures.set(url, data);
      const app = await started(fake);
      expect(pictureShown(app, alice.id)).toBeNull(); // asked, not answered yet
      expect(pictureShown(app, alice.id)).toBeNull();
      expect(pictureShown(app, bob.id)).toBeNull(); // no picture URL: nothing to ask
      await flush();
      expect(pictureShown(app, alice.id)).toBe(data);
      expect(fake.callsTo('getPicture')).toEqual([{ id: alice.id }]);
    });

    it('asks again when the picture URL changes, showing the old one meanwhile', async () => {
      const fake = new FakeBridge(snapshot({ accounts: [{ ...alice, picture: url }] }));
      fake.pictures.set(url, data);
      const app = await started(fake);
      pictureShown(app, alice.id);
      await flush();
      const next = 'https://example.com/alice-2.png';
      fake.pictures.set(next, 'data:image/png;base64,AAAA');
      fake.push({ accounts: [{ ...alice, picture: next }] });
      expect(pictureShown(app, alice.id)).toBe(data);
      await flush();
      expect(pictureShown(app, alice.id)).toBe('data:image/png;base64,AAAA');
      expect(fake.callsTo('getPicture')).toEqual([{ id: alice.id }, { id: alice.id }]);
    });

    it('shows initials when main has no picture, and asks again once Pieces OS is back', async () => {
      const fake = new FakeBridge(snapshot({ accounts: [{ ...alice, picture: url }] }));
      fake.handlers.getPicture = () => ({ ok: false, error: unreachable });
      const app = await started(fake);
      pictureShown(app, alice.id);
      await flush();
      expect(pictureShown(app, alice.id)).toBeNull();
      expect(fake.callsTo('getPicture')).toHaveLength(1); // not asked on every render
      fake.push({ connection: offline });
      fake.handlers.getPicture = undefined;
      fake.pictures.set(url, data);
      fake.push({ connection: snapshot().connection });
      pictureShown(app, alice.id);
      await flush();
      expect(pictureShown(app, alice.id)).toBe(data);
      expect(fake.callsTo('getPicture')).toHaveLength(2);
    });
  });

  describe('patches from main', () => {
    const patchOf = (prev: StateSnapshot, next: StateSnapshot) => {
      const update = diffSnapshots(prev, next);
      if (!isPatch(update)) throw new Error('expected a patch');
      return update;
    };

    it('applies what changed and keeps the objects of the accounts that did not', async () => {
      const accounts = manyAccounts(50);
      const fake = new FakeBridge(snapshot({ accounts, activeId: 'u-00001' }));
      const app = await started(fake);
      const untouched = app.accounts.find((a) => a.id === 'u-00030');
      const next = snapshot({
        revision: 2,
        accounts: accounts.map((a) => ({ ...a, state: a.id === 'u-00040' ? 'active' : 'ready' })),
        activeId: 'u-00040',
      });
      fake.pushUpdate(patchOf(fake.state, next));
      expect(app.activeId).toBe('u-00040');
      expect(app.accounts.map((a) => a.id)).toEqual([
        'u-00040',
        ...accounts.map((a) => a.id).filter((id) => id !== 'u-00040'),
      ]);
      expect(app.accounts.find((a) => a.id === 'u-00030')).toBe(untouched);
      expect(fake.callsTo('getState')).toHaveLength(1);
    });

    it('ignores a patch older than what it shows, and asks for the whole state after a gap', async () => {
      const fake = new FakeBridge(snapshot({ revision: 5 }));
      const app = await started(fake);
      fake.pushUpdate(
        patchOf(snapshot({ revision: 3 }), snapshot({ revision: 4, activeId: bob.id })),
      );
      expect(app.activeId).toBe(alice.id);
      expect(fake.callsTo('getState')).toHaveLength(1);
      // Revision 6 went missing: 7 cannot be applied to 5.
      fake.state = snapshot({ revision: 7, activeId: chloe.id });
      fake.pushUpdate(patchOf(snapshot({ revision: 6 }), fake.state));
      await flush();
      expect(fake.callsTo('getState')).toHaveLength(2);
      expect(app.activeId).toBe(chloe.id);
      expect(app.snapshot?.revision).toBe(7);
    });
  });
});
