import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { StateSnapshot } from '../../shared/domain';
import { boot, NO_BRIDGE_MESSAGE } from './boot';
import { accountDetails, FakeBridge, profileOf } from '../../../test/support/renderer/fake-bridge';
import { alice, bob, snapshot } from '../../../test/support/renderer/fixtures';
import {
  click,
  getByRole,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  text,
} from '../../../test/support/renderer/dom';

afterEach(() => {
  vi.useRealTimers();
});

const offline = (nextRetryAt: number): StateSnapshot['connection'] => ({
  status: 'offline',
  tried: ['http://localhost:39300', 'http://localhost:1000'],
  error: { kind: 'unreachable', message: 'ECONNREFUSED' },
  nextRetryAt,
});

describe('connection banner', () => {
  it('says in one short line which Pieces OS it is connected to; the address is a tooltip', async () => {
    const view = await renderApp(new FakeBridge(snapshot()));
    const status = getByRole(view.target, 'status');
    expect(text(status)).toBe('Connected to Pieces OS 12.3.0');
    expect(status.getAttribute('title')).toBe('Pieces OS at http://localhost:39300');
  });

  it('says it is connecting until main knows', async () => {
    const fake = new FakeBridge(snapshot({ connection: { status: 'connecting' } }));
    const view = await renderApp(fake);
    expect(text(getByRole(view.target, 'status'))).toBe('Connecting to Pieces OS…');
  });

  it('when offline: what was tried, a live countdown, Retry now, and actions disabled', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    const fake = new FakeBridge(snapshot({ connection: offline(Date.now() + 12_000) }));
    const view = await renderApp(fake);
    const { target } = view;
    const status = text(getByRole(target, 'status'));
    expect(status).toContain('Pieces OS is not reachable.');
    expect(text(target)).toContain('Tried http://localhost:39300 and http://localhost:1000');
    expect(text(target)).toContain('Retrying in 12 seconds');
    vi.advanceTimersByTime(3000);
    flushSync();
    expect(text(target)).toContain('Retrying in 9 seconds');

    expect((getByRole(target, 'button', 'Add account') as HTMLButtonElement).disabled).toBe(true);
    // The row stays reachable by keyboard, but says it cannot switch now, and does nothing.
    const switchBob = getByRole(target, 'button', `Switch to ${bob.displayName}`);
    expect(switchBob.getAttribute('aria-disabled')).toBe('true');
    click(switchBob);
    expect(fake.callsTo('switchTo')).toEqual([]);
    // Sign out of all is not offered while it cannot work.
    click(getByRole(target, 'button', 'More'));
    await settle();
    expect(queryAllByRole(document.body, 'menuitem').map(text)).toEqual(['Settings…']);
    // Said once: no row or details pane repeats that Pieces OS is away.
    expect(text(target).match(/not reachable/g)).toHaveLength(1);
    getByRole(target, 'button', 'Change address…');

    const retry = getByRole(target, 'button', 'Retry now') as HTMLButtonElement;
    expect(retry.disabled).toBe(false);
    click(retry);
    await settle();
    expect(fake.callsTo('retryConnection')).toHaveLength(1);
  });

  it('when Pieces OS answers with an error, says so instead of "not reachable"', async () => {
    const fake = new FakeBridge(
      snapshot({
        connection: {
          status: 'offline',
          tried: ['http://localhost:39300'],
          error: { kind: 'http', status: 500, message: 'Pieces OS ran into an internal error.' },
          nextRetryAt: Date.now() + 5000,
        },
      }),
    );
    const view = await renderApp(fake);
    const status = text(getByRole(view.target, 'status'));
    expect(status).toContain('Pieces OS answered with an error.');
    expect(status).toContain('Pieces OS ran into a problem.');
    expect(status).not.toContain('HTTP');
    // The status code is for support, on a details line.
    expect(text(view.target)).toContain('HTTP 500');
    expect(status).not.toContain('not reachable');
    getByRole(view.target, 'button', 'Retry now');
  });

  it('comes back online when main pushes the news', async () => {
    const fake = new FakeBridge(snapshot({ connection: offline(Date.now() + 5000) }));
    const view = await renderApp(fake);
    fake.push({ connection: { status: 'online', url: 'http://localhost:1000' } });
    flushSync();
    expect(text(getByRole(view.target, 'status'))).toBe('Connected to Pieces OS');
    expect(queryByRole(view.target, 'button', 'Retry now')).toBeNull();
    expect((getByRole(view.target, 'button', 'Add account') as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it('shows a failed retry as an alert next to the button', async () => {
    const fake = new FakeBridge(snapshot({ connection: offline(Date.now() + 5000) }));
    fake.handlers.retryConnection = () => ({
      ok: false,
      error: { kind: 'timeout', message: 't' },
    });
    const view = await renderApp(fake);
    click(getByRole(view.target, 'button', 'Retry now'));
    await settle();
    expect(text(getByRole(view.target, 'alert'))).toMatch(/took too long/);
  });
});

describe('window', () => {
  it('opens the Add account dialog when the tray asks for it', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    expect(queryByRole(view.target, 'dialog')).toBeNull();
    fake.command('add-account');
    flushSync();
    getByRole(view.target, 'dialog', 'Add account');
  });

  it('has exactly one status region, the connection banner, whatever else is on screen', async () => {
    const fake = new FakeBridge(
      snapshot({ notices: [{ id: 'n', level: 'info', message: 'Hi' }], tokensPersist: false }),
    );
    const view = await renderApp(fake);
    click(getByRole(view.target, 'button', 'More'));
    await settle();
    click(getByRole(document.body, 'menuitem', 'Sign out of all accounts…'));
    await settle();
    click(getByRole(getByRole(view.target, 'alertdialog'), 'button', 'Sign out of 3 accounts'));
    await settle();
    expect(text(view.target)).toContain('Signed out of 3 accounts.');
    expect(queryAllByRole(document.body, 'status')).toHaveLength(1);
  });

  it('shows notices and dismisses them through main', async () => {
    const fake = new FakeBridge(
      snapshot({ notices: [{ id: 'n1', level: 'warning', message: 'Token for Bob expired.' }] }),
    );
    const view = await renderApp(fake);
    expect(text(view.target)).toContain('Token for Bob expired.');
    click(getByRole(view.target, 'button', 'Dismiss'));
    await settle();
    expect(fake.callsTo('dismissNotice')).toEqual([{ id: 'n1' }]);
    expect(text(view.target)).not.toContain('Token for Bob expired.');
  });

  it('says gently when sign-ins will not survive a restart', async () => {
    const ephemeral = await renderApp(new FakeBridge(snapshot({ tokensPersist: false })));
    expect(text(ephemeral.target)).toMatch(/add your accounts again after the app restarts/);
    ephemeral.destroy();
    const persistent = await renderApp(new FakeBridge(snapshot()));
    expect(text(persistent.target)).not.toMatch(/after the app restarts/);
  });

  it('an empty window offers Sign in with Pieces, and says no account is active', async () => {
    const fake = new FakeBridge(snapshot({ accounts: [], activeId: null }));
    const view = await renderApp(fake);
    expect(text(view.target)).toContain('No accounts yet');
    expect(text(getByRole(view.target, 'region', 'Active account'))).toContain(
      'No account is active',
    );
    expect(queryByRole(view.target, 'list', 'Accounts')).toBeNull();
    click(getByRole(view.target, 'button', 'More'));
    await settle();
    expect(queryAllByRole(document.body, 'menuitem').map(text)).toEqual(['Settings…']);
    click(getByRole(view.target, 'button', 'Sign in with Pieces'));
    await settle();
    expect(fake.callsTo('signInWithPieces')).toEqual([{}]);
    expect(text(getByRole(view.target, 'region', 'Active account'))).toContain('Pieces Person 1');
  });

  it('the active account is at the top, and after signing it out the window says so', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    const region = getByRole(view.target, 'region', 'Active account');
    expect(text(region)).toContain(alice.displayName);
    expect(text(region)).toContain(alice.email);
    fake.push({ activeId: null });
    flushSync();
    expect(text(region)).toContain('No account is active');
    expect(text(region)).toContain('Choose an account below');
  });

  it('while a sign-in waits in the browser: whom to choose, the time left, and Cancel', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    fake.push({
      pendingSignIn: {
        via: 'pieces',
        forAccount: { id: bob.id, displayName: bob.displayName, email: bob.email },
        deadline: Date.now() + 125_000,
      },
    });
    flushSync();
    expect(text(view.target)).toContain(
      `Finish signing in in your browser: choose ${bob.displayName} (${bob.email}).`,
    );
    expect(text(view.target)).toContain('2 min 5 s left');
    click(getByRole(view.target, 'button', 'Cancel'));
    await settle();
    expect(fake.callsTo('cancelSignIn')).toHaveLength(1);
  });

  it('a Pieces sign-in that chose someone else says so, with a way to try again', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.signInWithPieces = () => ({
      ok: true,
      value: { account: alice, intended: { id: bob.id, displayName: bob.displayName } },
    });
    const view = await renderApp(fake);
    await view.app.signInWithPieces(bob.id);
    flushSync();
    expect(text(getByRole(view.target, 'alert'))).toContain(
      `You signed in as ${alice.displayName}, so that account is active. ${bob.displayName} still needs a sign-in`,
    );
    click(getByRole(view.target, 'button', 'Try again'));
    await settle();
    expect(fake.callsTo('signInWithPieces')).toEqual([
      { accountId: bob.id },
      { accountId: bob.id },
    ]);
  });

  it('a Pieces sign-in that failed says why, tries again for the same account, and can be dismissed', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.signInWithPieces = () => ({
      ok: false,
      error: { kind: 'http', message: 'Pieces OS answered 500.', status: 500 },
    });
    const view = await renderApp(fake);
    await view.app.signInWithPieces(bob.id);
    flushSync();
    expect(text(getByRole(view.target, 'alert'))).toContain('Could not sign in with Pieces.');
    click(getByRole(view.target, 'button', 'Try again'));
    await settle();
    expect(fake.callsTo('signInWithPieces')).toEqual([
      { accountId: bob.id },
      { accountId: bob.id },
    ]);
    click(getByRole(view.target, 'button', 'Dismiss'));
    flushSync();
    expect(queryByRole(view.target, 'button', 'Dismiss')).toBeNull();
    expect(text(view.target)).not.toContain('Could not sign in with Pieces.');
  });

  it('applies the theme setting as data-theme', async () => {
    await renderApp(new FakeBridge(snapshot(), { theme: 'dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('explains a failed first load instead of an empty window', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.getState = () => ({ ok: false, error: { kind: 'internal', message: 'x' } });
    const view = await renderApp(fake);
    expect(text(getByRole(view.target, 'alert'))).toMatch(/^Could not load your accounts\./);
    fake.handlers.getState = undefined;
    click(getByRole(view.target, 'button', 'Try again'));
    await settle();
    getByRole(view.target, 'list', 'Accounts');
  });
});

describe('account details', () => {
  it('shows the selected account, dates in the local format', async () => {
    const fake = new FakeBridge(snapshot());
    const created = '2024-03-05T14:30:00Z';
    // Main writes the details in words (src/shared/details-view.ts); the pane shows them.
    fake.handlers.getDetails = ({ id }) => ({
      ok: true,
      value: accountDetails({
        ...profileOf(id === bob.id ? bob : alice),
        name: 'Robert Builder',
        vanityName: 'bob-builds',
        created,
        allocation: { status: 'RUNNING', region: 'us-east1' },
      }),
    });
    const view = await renderApp(fake);
    click(
      queryAllByRole(view.target, 'listitem')
        .find((li) => text(li).includes(bob.displayName))!
        .querySelector<HTMLElement>('.row-main')!,
    );
    await settle();
    const region = getByRole(view.target, 'region', 'Account details');
    const t = text(region);
    expect(t).toContain('Robert Builder');
    expect(t).toContain(bob.email);
    expect(t).toContain('bob-builds');
    expect(t).toContain(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(created),
      ),
    );
    expect(t).toContain('Google');
    expect(t).toContain('Running · us-east1');
  });

  it('shows loading, then an error with Try again', async () => {
    const fake = new FakeBridge(snapshot());
    let answer: ((r: Awaited<ReturnType<typeof fake.bridge.getDetails>>) => void) | undefined;
    fake.handlers.getDetails = () => new Promise((r) => (answer = r));
    const view = await renderApp(fake);
    const region = getByRole(view.target, 'region', 'Account details');
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(text(region)).toContain('Loading details…');
    answer!({ ok: false, error: { kind: 'bad-response', message: 'users.0.id' } });
    await settle();
    expect(text(getByRole(region, 'alert'))).toMatch(/not the way Pieces OS does/);
    fake.handlers.getDetails = undefined;
    click(getByRole(region, 'button', 'Try again'));
    await settle();
    expect(queryByRole(region, 'alert')).toBeNull();
    expect(text(region)).toContain(alice.email);
  });
});

describe('avatar', () => {
  it('never loads a picture from the network: a URL from Pieces OS shows initials', async () => {
    const withPicture = { ...alice, picture: 'https://example.com/a.png' };
    const view = await renderApp(new FakeBridge(snapshot({ accounts: [withPicture, bob] })));
    expect(view.target.querySelector('img[src^="http"]')).toBeNull();
    const row = queryAllByRole(view.target, 'listitem')[0]!;
    expect(row.querySelector('.avatar-initials')?.textContent).toBe('AE');
  });

  it('shows the picture main hands over, in the row and at the top, and initials if it does not decode', async () => {
    const url = 'https://example.com/a.png';
    const picture = 'data:image/png;base64,iVBORw0KGgo=';
    const fake = new FakeBridge(snapshot({ accounts: [{ ...alice, picture: url }, bob] }));
    fake.pictures.set(url, picture);
    const view = await renderApp(fake);
    await settle();
    const row = queryAllByRole(view.target, 'listitem')[0]!;
    const img = row.querySelector('img.avatar');
    expect(img?.getAttribute('src')).toBe(picture);
    const top = getByRole(view.target, 'region', 'Active account');
    expect(top.querySelector('img.avatar')?.getAttribute('src')).toBe(picture);
    // One question per account, however many places show it; none for Bob, who has no picture.
    expect(fake.callsTo('getPicture')).toEqual([{ id: alice.id }]);
    img!.dispatchEvent(new Event('error'));
    flushSync();
    expect(row.querySelector('img')).toBeNull();
    expect(row.querySelector('.avatar-initials')?.textContent).toBe('AE');
  });
});

describe('boot', () => {
  it('explains itself when opened without the app bridge', () => {
    const target = document.createElement('div');
    boot(target, undefined);
    expect(target.textContent).toBe(NO_BRIDGE_MESSAGE);
  });

  it('mounts the app when the bridge is there', async () => {
    const target = document.createElement('div');
    const destroy = boot(target, new FakeBridge(snapshot()).bridge);
    await settle();
    getByRole(target, 'list', 'Accounts');
    destroy();
    expect(target.textContent).toBe('');
  });
});
