// What a keyboard or screen-reader user runs into between the big features: where focus goes when
// things disappear, what the keys act on, what is unavailable while something runs, and errors
// that outlive their cause.
import { describe, expect, it } from 'vitest';
import type { AppError, OAuthProviderSettings } from '../../shared/domain';
import { changeBetween } from '../../shared/state-patch';
import { deferred, FakeBridge } from '../../../test/support/renderer/fake-bridge';
import { alice, bob, chloe, manyAccounts, snapshot } from '../../../test/support/renderer/fixtures';
import {
  chooseMenuItem,
  click,
  getByRole,
  openDisclosure,
  press,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  text,
  typeInto,
  accountItem as itemOf,
  accountList as list,
  rowMain,
} from '../../../test/support/renderer/dom';

const needsSignIn: AppError = {
  kind: 'needs-sign-in',
  message: 'Pieces OS no longer accepts the saved sign-in for Bob Builder. Sign in again.',
};

type SwitchResult = Awaited<ReturnType<FakeBridge['bridge']['switchTo']>>;
type SignOutAllResult = Awaited<ReturnType<FakeBridge['bridge']['signOutAll']>>;
type BrowserResult = Awaited<ReturnType<FakeBridge['bridge']['signInWithBrowser']>>;

describe('focus', () => {
  it('after signing out the focused row, lands on the account selected next, not the page', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    const more = getByRole(target, 'button', `More actions for ${bob.displayName}`);
    more.focus();
    chooseMenuItem(target, `More actions for ${bob.displayName}`, 'Sign out');
    click(getByRole(target, 'button', 'Sign out')); // in the confirmation
    more.focus(); // where the closing dialog puts it back
    await settle();
    expect(queryByRole(target, 'button', `More actions for ${bob.displayName}`)).toBeNull();
    expect(document.activeElement).toBe(rowMain(itemOf(target, alice.displayName)));
  });

  it('after signing out of the last account, lands on Sign in with Pieces in the empty window', async () => {
    const fake = new FakeBridge(snapshot({ accounts: [alice], activeId: alice.id }));
    const { target } = await renderApp(fake);
    const more = getByRole(target, 'button', `More actions for ${alice.displayName}`);
    chooseMenuItem(target, `More actions for ${alice.displayName}`, 'Sign out');
    click(getByRole(target, 'button', 'Sign out'));
    more.focus();
    await settle();
    expect(text(target)).toContain('No accounts yet');
    expect(document.activeElement).toBe(getByRole(target, 'button', 'Sign in with Pieces'));
  });

  it('moves from "Sign in with browser" to Cancel while waiting, and back after a cancel', async () => {
    const provider: OAuthProviderSettings = {
      issuer: 'https://login.example.com',
      clientId: 'switcher',
      scopes: ['openid'],
    };
    const fake = new FakeBridge(snapshot(), { oauthProvider: provider });
    const answer = deferred<BrowserResult>();
    fake.handlers.signInWithBrowser = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', 'Add account'));
    const dialog = getByRole(target, 'dialog', 'Add account');
    openDisclosure(dialog, 'Other ways to sign in');
    const browserButton = getByRole(dialog, 'button', 'Sign in with your provider');
    browserButton.focus();
    click(browserButton);
    await settle();
    expect(document.activeElement).toBe(getByRole(dialog, 'button', 'Cancel'));
    answer.resolve({ ok: false, error: { kind: 'cancelled', message: 'Cancelled.' } });
    await settle();
    expect(document.activeElement).toBe(getByRole(dialog, 'button', 'Sign in with your provider'));
  });

  it('after a refused Settings save, is on the first field to fix', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    chooseMenuItem(target, 'More', 'Settings…');
    const dialog = getByRole(target, 'dialog', 'Settings');
    openDisclosure(dialog, 'Advanced');
    const address = getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement;
    typeInto(address, 'file:///etc/passwd');
    getByRole(dialog, 'button', 'Save').focus();
    dialog.querySelector('form')!.requestSubmit(getByRole(dialog, 'button', 'Save'));
    await settle();
    expect(address.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(address);
  });
});

describe('keys act on what the list shows', () => {
  it('Enter does not switch to a selected account the search has hidden', async () => {
    const accounts = [alice, bob, chloe, ...manyAccounts(5)];
    const fake = new FakeBridge(snapshot({ accounts, activeId: alice.id }));
    const { target, app } = await renderApp(fake);
    app.select(bob.id);
    typeInto(getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement, 'Person');
    press(list(target), 'Enter');
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([]);
    // Once the search shows it again, Enter switches to it.
    typeInto(getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement, '');
    press(list(target), 'Enter');
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
  });

  it('Ctrl+2 on a list scrolled to the end brings the top rows into view', async () => {
    const accounts = manyAccounts(2000);
    const fake = new FakeBridge(snapshot({ accounts, activeId: accounts[1]!.id }));
    const { target } = await renderApp(fake);
    press(list(target), 'End');
    expect(list(target).scrollTop).toBeGreaterThan(1000 * 56);
    // The active account is listed first: Ctrl+1 is it (nothing to do), Ctrl+2 the next row.
    press(window, '2', { ctrlKey: true });
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([{ id: accounts[0]!.id }]);
    expect(list(target).scrollTop).toBe(0);
    expect(itemOf(target, 'Person 00001').getAttribute('aria-current')).toBe('true');
  });

  it('a query never filters the list unseen: its field stays while it has text', async () => {
    const accounts = manyAccounts(8);
    const fake = new FakeBridge(snapshot({ accounts, activeId: accounts[0]!.id }));
    const { target } = await renderApp(fake);
    const field = () => getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement;
    typeInto(field(), '00003');
    fake.push({ accounts: accounts.slice(0, 4) });
    await settle();
    // Four accounts would hide the field, but it filters: it stays, with its text.
    expect(field().value).toBe('00003');
    expect(queryAllByRole(list(target), 'listitem')).toHaveLength(1);
    typeInto(field(), '');
    expect(queryByRole(target, 'searchbox', 'Filter accounts')).toBeNull();
    expect(queryAllByRole(list(target), 'listitem')).toHaveLength(4);
  });
});

describe('while an action runs', () => {
  it("other rows' actions and the toolbar are unavailable, and clicking them sends nothing", async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<SwitchResult>();
    fake.handlers.switchTo = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    for (const name of [`Switch to ${chloe.displayName}`, 'Add account']) {
      const button = getByRole(target, 'button', name);
      expect(button.getAttribute('aria-disabled'), name).toBe('true');
      click(button);
    }
    for (const [menu, item] of [
      [`More actions for ${chloe.displayName}`, 'Sign out'],
      [`More actions for ${alice.displayName}`, 'Sign out'],
      ['More', 'Sign out of all accounts…'],
    ] as const) {
      click(getByRole(target, 'button', menu));
      const menuItem = getByRole(document.body, 'menuitem', item);
      expect(menuItem.getAttribute('aria-disabled'), `${menu} › ${item}`).toBe('true');
      click(menuItem);
    }
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
    expect(queryByRole(target, 'dialog')).toBeNull();
    expect(queryByRole(target, 'alertdialog')).toBeNull();

    fake.push({ activeId: bob.id });
    answer.resolve({ ok: true, value: fake.answer(fake.state) });
    await settle();
    expect(
      getByRole(target, 'button', `Switch to ${chloe.displayName}`).hasAttribute('aria-disabled'),
    ).toBe(false);
  });

  it('a sign-out confirmed while a tray action runs says to wait, on its row', async () => {
    const fake = new FakeBridge(snapshot());
    const { target } = await renderApp(fake);
    chooseMenuItem(target, `More actions for ${bob.displayName}`, 'Sign out');
    fake.push({ operation: { kind: 'switch', accountId: chloe.id } }); // from the tray
    await settle();
    click(getByRole(getByRole(target, 'alertdialog'), 'button', 'Sign out'));
    await settle();
    expect(fake.callsTo('signOut')).toEqual([]);
    expect(text(getByRole(itemOf(target, bob.displayName), 'alert'))).toContain(
      'Another action is still running',
    );
  });

  it('a switch or sign-out-all started from the tray shows progress here too', async () => {
    const fake = new FakeBridge(snapshot());
    const { target } = await renderApp(fake);
    fake.push({ operation: { kind: 'sign-out-all' } });
    await settle();
    expect(text(target)).toContain('Signing out of all accounts…');
    expect(
      getByRole(target, 'button', `Switch to ${bob.displayName}`).getAttribute('aria-disabled'),
    ).toBe('true');
    fake.push({ operation: null, accounts: [], activeId: null });
    await settle();
    expect(text(target)).not.toContain('Signing out of all accounts…');
  });

  it('announces the end of sign-out-all in the polite live region', async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<SignOutAllResult>();
    fake.handlers.signOutAll = () => answer.promise;
    const { target, app } = await renderApp(fake);
    chooseMenuItem(target, 'More', 'Sign out of all accounts…');
    expect(text(getByRole(target, 'alertdialog'))).toContain('All 3 accounts will be signed out');
    click(getByRole(target, 'button', 'Sign out of 3 accounts'));
    expect(app.announcement).toBe('Signing out of all accounts…');
    fake.push({ accounts: [], activeId: null });
    answer.resolve({ ok: true, value: { signedOut: [alice.id, bob.id, chloe.id], failed: [] } });
    await settle();
    expect(app.announcement).toBe('Signed out of 3 accounts.');
    const live = target.querySelector('[aria-live="polite"].visually-hidden');
    expect(live?.textContent).toBe('Signed out of 3 accounts.');
  });

  it('says "your one account" when there is only one', async () => {
    const { target } = await renderApp(
      new FakeBridge(snapshot({ accounts: [alice], activeId: alice.id })),
    );
    chooseMenuItem(target, 'More', 'Sign out of all accounts…');
    expect(text(getByRole(target, 'alertdialog'))).toContain('Your one account will be signed out');
  });
});

describe('accounts Pieces OS does not list', () => {
  it('are marked as such, and still offer Switch (which signs them in again)', async () => {
    const gone = { ...chloe, connected: false, state: 'not-in-pieces-os' as const };
    const { target } = await renderApp(new FakeBridge(snapshot({ accounts: [alice, bob, gone] })));
    expect(text(itemOf(target, chloe.displayName))).toContain('Not in Pieces OS');
    expect(text(itemOf(target, bob.displayName))).not.toContain('Not in Pieces OS');
    getByRole(target, 'button', `Switch to ${chloe.displayName}`);
  });
});

describe('snapshots arriving out of order', () => {
  it("an action's answer older than a snapshot already pushed does not undo it", async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<SwitchResult>();
    fake.handlers.switchTo = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    const before = fake.state;
    fake.push({ activeId: bob.id });
    // The switch's answer: what changed from before it to the snapshot it ended with.
    const answered = changeBetween(before, fake.state);
    fake.push({ accounts: [alice, bob], activeId: bob.id }); // then a refresh: Chloé is gone
    await settle();
    answer.resolve({ ok: true, value: answered });
    await settle();
    expect(queryAllByRole(list(target), 'listitem')).toHaveLength(2);
    expect(itemOf(target, bob.displayName).getAttribute('aria-current')).toBe('true');
  });
});

describe('errors that outlive their cause, and actions that would lose work', () => {
  it('a refused saved sign-in: the row says so in words, and offers Sign in as once main agrees', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.switchTo = () => {
      // Main marks the account: its one state is now "sign-in needed".
      fake.push({
        accounts: fake.state.accounts.map((a) =>
          a.id === bob.id ? { ...a, needsSignIn: true, state: 'sign-in-needed' as const } : a,
        ),
      });
      return { ok: false, error: needsSignIn };
    };
    fake.handlers.signInWithPieces = () => {
      fake.push({
        accounts: fake.state.accounts.map((a) =>
          a.id === bob.id ? { ...bob, state: 'active' as const } : a,
        ),
        activeId: bob.id,
      });
      return { ok: true, value: { account: bob } };
    };
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    await settle();
    const row = itemOf(target, bob.displayName);
    expect(text(getByRole(row, 'alert'))).toContain('Sign in to this account again.');
    // The message is in the details too, where it is not cut to one line.
    expect(text(getByRole(target, 'region', 'Account details'))).toContain(
      'Sign in to this account again.',
    );
    click(getByRole(row, 'button', `Sign in as ${bob.displayName}`));
    await settle();
    expect(fake.callsTo('signInWithPieces')).toEqual([{ accountId: bob.id }]);
    expect(queryByRole(itemOf(target, bob.displayName), 'alert')).toBeNull();
    expect(itemOf(target, bob.displayName).getAttribute('aria-current')).toBe('true');
  });

  it('Add account from the tray waits for an open Settings dialog instead of discarding it', async () => {
    const fake = new FakeBridge(snapshot());
    const { target } = await renderApp(fake);
    chooseMenuItem(target, 'More', 'Settings…');
    const settings = getByRole(target, 'dialog', 'Settings');
    openDisclosure(settings, 'Advanced');
    const address = getByRole(settings, 'textbox', 'Pieces OS address') as HTMLInputElement;
    typeInto(address, 'http://127.0.0.1:39311');
    fake.command('add-account');
    await settle();
    expect(getByRole(target, 'dialog', 'Settings')).toBe(settings);
    expect(address.value).toBe('http://127.0.0.1:39311');
    click(getByRole(settings, 'button', 'Cancel'));
    await settle();
    getByRole(target, 'dialog', 'Add account');
  });

  it('settings that could not be read at start are read again when Settings is clicked', async () => {
    const fake = new FakeBridge(snapshot());
    let failures = 2;
    const real = fake.bridge.getSettings;
    fake.bridge.getSettings = () =>
      failures-- > 0
        ? Promise.resolve({ ok: false, error: { kind: 'internal', message: 'Disk trouble.' } })
        : real();
    const { target } = await renderApp(fake);
    chooseMenuItem(target, 'More', 'Settings…');
    await settle();
    expect(text(getByRole(target, 'alert'))).toContain(
      'Could not open the settings. Something went wrong inside the app.',
    );
    expect(queryByRole(target, 'dialog', 'Settings')).toBeNull();
    chooseMenuItem(target, 'More', 'Settings…');
    await settle();
    getByRole(target, 'dialog', 'Settings');
    expect(queryByRole(target, 'alert')).toBeNull();
  });
});
